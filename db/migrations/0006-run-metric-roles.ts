import type { Migration } from './migration.ts'

// Metric roles chosen in the app (a role such as 'accuracy/test' → a series name), kept apart
// from run.json's metadata, which a re-import replaces: they win over run.json's `metricRoles`.
export const migration: Migration = {
  version: 6,
  name: 'run-metric-roles',
  up: (db) => {
    db.exec(`ALTER TABLE runs ADD COLUMN metric_roles TEXT NOT NULL DEFAULT '{}'
      CHECK (json_valid(metric_roles) AND json_type(metric_roles) = 'object')`)
  },
}
