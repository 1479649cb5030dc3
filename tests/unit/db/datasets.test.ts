import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../../db/handle.ts'
import {
  deleteDataset,
  findDatasetByFingerprint,
  getDataset,
  listDatasets,
  upsertDataset,
} from '../../../db/queries/datasets.ts'
import type { DatasetInput } from '../../../db/queries/datasets.ts'
import { createTempWorkspace } from './temp-workspace.ts'
import type { TempWorkspace } from './temp-workspace.ts'

let temp: TempWorkspace
let db: DbHandle
beforeEach(async () => {
  temp = await createTempWorkspace()
  db = temp.workspace.db
})
afterEach(() => temp.dispose())

function dataset(fingerprint: string, overrides: Partial<DatasetInput> = {}): DatasetInput {
  return {
    name: 'fashion-mnist-test',
    kind: 'idx',
    path: '/data/fashion',
    fingerprint,
    classes: ['T-shirt', 'Trouser'],
    meta: { images: 10_000 },
    ...overrides,
  }
}

describe('datasets', () => {
  it('stores classes and meta and finds the dataset by fingerprint', () => {
    const stored = upsertDataset(db, dataset('f1'))
    expect(stored).toMatchObject({ ...dataset('f1'), id: stored.id })
    expect(findDatasetByFingerprint(db, 'f1')).toEqual(stored)
    expect(findDatasetByFingerprint(db, 'f2')).toBeNull()
  })

  it('updates the same files at the same path, and adds a row when the files changed', () => {
    const first = upsertDataset(db, dataset('f1'))
    const renamed = upsertDataset(db, dataset('f1', { name: 'renamed' }))
    expect(renamed.id).toBe(first.id)
    const changed = upsertDataset(db, dataset('f2'))
    expect(changed.id).not.toBe(first.id)
    expect(listDatasets(db).map((d) => d.fingerprint)).toEqual(['f2', 'f1'])
  })

  it('deletes a dataset', () => {
    const stored = upsertDataset(db, dataset('f1'))
    expect(deleteDataset(db, stored.id)).toBe(true)
    expect(getDataset(db, stored.id)).toBeNull()
  })
})
