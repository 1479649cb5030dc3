import type { Migration } from './migration.ts'

// A model opened on its own has no run (and no run.json) to say how its images are prepared:
// the preprocessing set for it in the app is stored with the checkpoint (JSON, or NULL).
export const migration: Migration = {
  version: 5,
  name: 'checkpoint-preprocessing',
  up: (db) => {
    db.exec(`ALTER TABLE checkpoints ADD COLUMN preprocessing TEXT
      CHECK (preprocessing IS NULL OR json_valid(preprocessing))`)
  },
}
