import { describe, expect, it } from 'vitest'
import { ANALYSES, JOB_KINDS } from '../../../electron/api/contract/index.ts'
import type {
  DatasetRequest,
  JobKind,
  ResultSummary,
} from '../../../electron/api/contract/index.ts'
import {
  ANALYSIS_UIS,
  analysisOf,
  analysisRoutes,
  analysisUis,
  checkpointActions,
  comparisons,
  launchers,
  runActions,
  topBarLinks,
} from '../../../renderer/src/analyses/index.ts'
import {
  buildRequest,
  defaultLaunchParams,
  requestLike,
} from '../../../renderer/src/components/launcher/launch-request.ts'

// Copied into the requests as it is: no field of its own matters here.
const images = { path: '/data/set', format: 'auto' } as DatasetRequest

const unique = (values: string[]): boolean => new Set(values).size === values.length

describe('the renderer registry of analyses', () => {
  it('has one module per analysis of the contract, under the same name', () => {
    expect(Object.keys(ANALYSIS_UIS).sort()).toEqual(Object.keys(ANALYSES).sort())
    for (const [name, ui] of Object.entries(ANALYSIS_UIS)) expect(ui.name).toBe(name)
  })

  it('names exactly one analysis for every job kind, so every stored result has a page', () => {
    for (const kind of Object.keys(JOB_KINDS) as JobKind[]) {
      const owners = analysisUis.filter((a) => a.jobKinds.includes(kind))
      expect(
        owners.map((a) => a.name),
        kind,
      ).toHaveLength(1)
      expect(analysisOf(kind)).toBe(owners[0])
    }
  })

  it('launches and compares job kinds that have headline fields', () => {
    for (const entry of [...launchers, ...comparisons])
      expect(JOB_KINDS[entry.kind].headline.length, entry.kind).toBeGreaterThan(0)
  })

  it('builds each launched kind’s request, and the same request again from its provenance', () => {
    for (const { kind } of launchers) {
      const request = buildRequest(defaultLaunchParams(kind), 7, images)
      expect(request.kind).toBe(kind)
      // The launcher's engine choices (batch size, tensor cache) are no result parameters.
      const { checkpointId, modelPath, dataset, preprocessing, provider, ...rest } =
        request as unknown as Record<string, unknown>
      const { kind: _k, batchSize: _b, useTensorCache: _t, ...own } = rest
      const like = {
        kind,
        provenance: {
          dataset,
          preprocessing,
          providers: { requested: provider },
          parameters: own,
        },
      } as unknown as ResultSummary
      expect(requestLike(like, 8)).toMatchObject({ ...own, kind, checkpointId: 8, modelPath })
      expect(checkpointId).toBe(7)
    }
  })

  it('gives routes, top-bar links and page buttons ids of their own', () => {
    expect(unique(analysisRoutes.map((r) => String(r.name)))).toBe(true)
    expect(unique(topBarLinks.map((l) => l.id))).toBe(true)
    expect(unique(checkpointActions(1).map((a) => a.id))).toBe(true)
    expect(unique(runActions(1).map((a) => a.id))).toBe(true)
    expect(checkpointActions(1)[0].isPrimary).toBe(true)
  })
})
