import type { Migration } from './migration.ts'

// A result's headline numbers (JSON object), written with the result by its analysis module so
// lists and compare tables never read payloads. NULL: stored before this version; the service
// fills it in when it opens the workspace.
export const migration: Migration = {
  version: 3,
  name: 'result-headlines',
  up: (db) => {
    db.exec('ALTER TABLE results ADD COLUMN headline TEXT')
  },
}
