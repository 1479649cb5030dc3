import type { Migration } from './migration.ts'

// An import writes a run's metric rows as a new generation in many short transactions, then
// makes it current in one; readers only see the run's current generation. So a metrics.jsonl of
// millions of values never holds the write lock for long, and a killed import leaves old values
// visible. A run whose first import has not finished has metrics_generation 0 and is not listed.
// last_logged_epoch is kept with the rows, so listing runs never scans millions of them.
export const migration: Migration = {
  version: 4,
  name: 'metric-generations',
  up: (db) => {
    db.exec(`
      ALTER TABLE metrics ADD COLUMN generation INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE runs ADD COLUMN metrics_generation INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE runs ADD COLUMN last_metrics_generation INTEGER NOT NULL DEFAULT 1;
      DROP INDEX metrics_by_run;
      CREATE INDEX metrics_by_run ON metrics (run_id, generation, name, split, epoch, step);
      ALTER TABLE runs ADD COLUMN last_logged_epoch INTEGER;
      UPDATE runs SET last_logged_epoch = (SELECT max(epoch) FROM metrics WHERE run_id = runs.id);
    `)
  },
}
