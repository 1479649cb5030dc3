export { loggedAt, roleKey, roleOfSeries, seriesOfRole } from './metric-roles.ts'
export type { MetricRole, MetricSplit, RoleOfSeries, RoleOverrides } from './metric-roles.ts'
