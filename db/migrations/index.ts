import type { Migration } from './migration.ts'
import { migration as initial } from './0001-initial.ts'
import { migration as jobOwnership } from './0002-job-ownership.ts'
import { migration as resultHeadlines } from './0003-result-headlines.ts'
import { migration as metricGenerations } from './0004-metric-generations.ts'
import { migration as checkpointPreprocessing } from './0005-checkpoint-preprocessing.ts'
import { migration as runMetricRoles } from './0006-run-metric-roles.ts'

/** Every migration in version order; a new schema step is a new file added at the end. */
export const MIGRATIONS: readonly Migration[] = [
  initial,
  jobOwnership,
  resultHeadlines,
  metricGenerations,
  checkpointPreprocessing,
  runMetricRoles,
]
