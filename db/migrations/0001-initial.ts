import type { Migration } from './migration.ts'

const NOW = `(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`

const RUNS = `
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  folder TEXT NOT NULL UNIQUE,
  tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
  notes TEXT NOT NULL DEFAULT '',
  classes TEXT CHECK (classes IS NULL OR json_type(classes) = 'array'),
  preprocessing TEXT CHECK (preprocessing IS NULL OR json_type(preprocessing) = 'object'),
  meta TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta) AND json_type(meta) = 'object'),
  imported_at TEXT NOT NULL DEFAULT ${NOW},
  updated_at TEXT NOT NULL DEFAULT ${NOW}
) STRICT;
`

// run_id is NULL for a checkpoint opened on its own (not part of a run folder).
const CHECKPOINTS = `
CREATE TABLE checkpoints (
  id INTEGER PRIMARY KEY,
  run_id INTEGER REFERENCES runs (id) ON DELETE CASCADE,
  path TEXT NOT NULL UNIQUE,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
  mtime_ms REAL NOT NULL,
  epoch INTEGER CHECK (epoch IS NULL OR epoch >= 0),
  step INTEGER,
  variant TEXT NOT NULL DEFAULT '',
  is_bn_folded INTEGER NOT NULL CHECK (is_bn_folded IN (0, 1)),
  params INTEGER NOT NULL CHECK (params >= 0),
  macs INTEGER NOT NULL CHECK (macs >= 0),
  opset INTEGER NOT NULL,
  summary TEXT NOT NULL CHECK (json_valid(summary) AND json_type(summary) = 'object'),
  imported_at TEXT NOT NULL DEFAULT ${NOW}
) STRICT;
CREATE INDEX checkpoints_by_run ON checkpoints (run_id, epoch, variant);
CREATE INDEX checkpoints_by_sha256 ON checkpoints (sha256);
`

// One row per value: `grad_norms` maps arrive flattened as 'grad_norms/<param>'.
const METRICS = `
CREATE TABLE metrics (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL CHECK (epoch >= 0),
  step INTEGER,
  split TEXT,
  name TEXT NOT NULL,
  value REAL NOT NULL
) STRICT;
CREATE INDEX metrics_by_run ON metrics (run_id, name, split, epoch, step);
`

const DATASETS = `
CREATE TABLE datasets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  path TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  classes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(classes) AND json_type(classes) = 'array'),
  meta TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta) AND json_type(meta) = 'object'),
  created_at TEXT NOT NULL DEFAULT ${NOW},
  UNIQUE (path, fingerprint)
) STRICT;
CREATE INDEX datasets_by_fingerprint ON datasets (fingerprint);
`

const JOBS = `
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  params TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
  stage TEXT,
  progress_done INTEGER NOT NULL DEFAULT 0,
  progress_total INTEGER NOT NULL DEFAULT 0,
  error_code TEXT,
  error_message TEXT,
  created_at TEXT NOT NULL DEFAULT ${NOW},
  started_at TEXT,
  finished_at TEXT
) STRICT;
CREATE INDEX jobs_by_status ON jobs (status, created_at);
`

// A result outlives the job that made it (SET NULL), not the checkpoint or dataset it describes.
const RESULTS = `
CREATE TABLE results (
  id INTEGER PRIMARY KEY,
  job_id INTEGER REFERENCES jobs (id) ON DELETE SET NULL,
  kind TEXT NOT NULL,
  checkpoint_id INTEGER REFERENCES checkpoints (id) ON DELETE CASCADE,
  dataset_id INTEGER REFERENCES datasets (id) ON DELETE CASCADE,
  request_hash TEXT NOT NULL UNIQUE,
  provenance TEXT NOT NULL CHECK (json_valid(provenance) AND json_type(provenance) = 'object'),
  payload TEXT NOT NULL CHECK (json_valid(payload)),
  created_at TEXT NOT NULL DEFAULT ${NOW}
) STRICT;
CREATE INDEX results_by_checkpoint ON results (checkpoint_id, kind);
CREATE INDEX results_by_dataset ON results (dataset_id);
CREATE INDEX results_by_job ON results (job_id);

CREATE TABLE result_blobs (
  result_id INTEGER NOT NULL REFERENCES results (id) ON DELETE CASCADE,
  blob_sha256 TEXT NOT NULL CHECK (length(blob_sha256) = 64),
  role TEXT NOT NULL,
  PRIMARY KEY (result_id, role)
) STRICT;
CREATE INDEX result_blobs_by_sha256 ON result_blobs (blob_sha256);
`

export const migration: Migration = {
  version: 1,
  name: 'initial',
  up: (db) => {
    db.exec(RUNS + CHECKPOINTS + METRICS + DATASETS + JOBS + RESULTS)
  },
}
