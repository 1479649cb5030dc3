import type { Migration } from './migration.ts'

// A job runs in the engine of the process that started it (the app or one CLI call). Another
// process may ask it to stop (cancel_requested), and a job whose owner died is failed on open.
export const migration: Migration = {
  version: 2,
  name: 'job-ownership',
  up: (db) => {
    db.exec(`
      ALTER TABLE jobs ADD COLUMN owner_pid INTEGER;
      ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0
        CHECK (cancel_requested IN (0, 1));
      ALTER TABLE jobs ADD COLUMN request_hash TEXT;
      CREATE INDEX jobs_by_request_hash ON jobs (request_hash, status);`)
  },
}
