import { readFileSync } from 'node:fs'
import type {
  CorruptionGalleryRequest,
  CorruptionSweep,
  GalleryChartData,
  SweepChartData,
} from '../api/contract/index.ts'
import { RequestError } from '../api/errors.ts'
import type { WorkbenchService } from '../api/service.ts'

function readJson(path: string, hint: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch (cause) {
    throw new RequestError(
      'INVALID_ARGUMENT',
      `'${path}' is not a readable JSON file (${cause instanceof Error ? cause.message : String(cause)}); ${hint}.`,
    )
  }
}

/** A sweep chart's data from the output of `corrupt --json`, labelled as the app labels them. */
export function readSweepFile(service: WorkbenchService, path: string): SweepChartData {
  const sweep = readJson(path, "write one with 'corrupt … --json > sweep.json'") as CorruptionSweep
  const checkpoints = Array.isArray(sweep?.checkpoints) ? sweep.checkpoints : []
  return {
    sweep,
    labels: checkpoints.map((c) => service.analysisContext.checkpointLabel(c.checkpointId)),
  }
}

/** A gallery figure from a gallery request (JSON, as robustness:gallery takes it). */
export function readGalleryFile(path: string): GalleryChartData {
  const request = readJson(
    path,
    'write the gallery request: dataset, position, preprocessing, corruptions, seed, padding',
  ) as CorruptionGalleryRequest
  return { request, gallery: null, className: null }
}
