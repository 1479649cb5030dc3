import { access } from 'node:fs/promises'
import { join } from 'node:path'
import type { DbHandle } from '../../db/index.ts'
import { listDatasets, upsertDataset } from '../../db/index.ts'
import type { DatasetRecord } from '../../db/index.ts'
import { openDataset } from '../../native-models/data/index.ts'
import type { DatasetEntry, DatasetRequest } from './contract/index.ts'

/** A file in a dataset's root that marks its images as generated (the example workspace). */
export const SYNTHETIC_MARKER = 'SYNTHETIC.txt'

function toEntry(record: DatasetRecord): DatasetEntry {
  const meta = record.meta as { request?: DatasetRequest; isSynthetic?: boolean; info?: object }
  const info = (meta.info ?? {}) as Partial<DatasetEntry>
  return {
    id: record.id,
    name: record.name,
    format: record.kind as DatasetEntry['format'],
    path: record.path,
    split: meta.request?.split ?? null,
    numImages: info.numImages ?? 0,
    classes: record.classes,
    fingerprint: record.fingerprint,
    itemShape: info.itemShape ?? [],
    request: meta.request ?? {
      path: record.path,
      format: 'auto',
      split: null,
      holdout: null,
      classes: null,
      sample: null,
      limit: null,
    },
    isSynthetic: meta.isSynthetic === true,
  }
}

export function datasetEntries(db: DbHandle): DatasetEntry[] {
  return listDatasets(db).map(toEntry)
}

/** Reads the selection once (count, classes, fingerprint) and keeps it in the library. */
export async function addDataset(
  db: DbHandle,
  request: DatasetRequest,
  name: string | null,
): Promise<DatasetEntry> {
  const dataset = await openDataset(request)
  const isSynthetic = await access(join(dataset.info.path, SYNTHETIC_MARKER)).then(
    () => true,
    () => false,
  )
  const { info } = dataset
  const record = upsertDataset(db, {
    name: name ?? info.name,
    kind: info.format,
    path: info.path,
    fingerprint: info.fingerprint,
    classes: info.classes,
    meta: {
      request: { ...request, path: info.path },
      isSynthetic,
      info: { numImages: info.numImages, itemShape: info.itemShape },
    },
  })
  return toEntry(record)
}
