export {
  asFraction,
  evaluationSplit,
  loggedAt,
  roleKey,
  roleOfSeries,
  roleWords,
  seriesOfRole,
  splitOfSeries,
} from './metric-roles.ts'
export type { MetricRole, MetricSplit, RoleOfSeries, RoleOverrides } from './metric-roles.ts'
export {
  filterScalars,
  groupScalars,
  isGradNorm,
  matchesQuery,
  namePrefix,
  scalarId,
  scalarKeys,
  scalarLabel,
} from './scalar-list.ts'
export type { ScalarGroup, ScalarGrouping, ScalarKey } from './scalar-list.ts'
export { smoothScalars } from './smoothing.ts'
