import type { JobKind } from '../contract/index.ts'
import { moduleOfKind } from '../analyses/index.ts'
import type { TidyValue } from '../analyses/tidy.ts'

export type { TidyValue } from '../analyses/tidy.ts'

/** Every stored value of a result payload as tidy rows (what the CSV exports write). */
export function tidyValues(kind: JobKind, payload: unknown): TidyValue[] {
  return moduleOfKind(kind).tidyValues(payload as never)
}

/** The payload back from its tidy rows: the inverse of `tidyValues`. */
export function payloadFromTidy(kind: JobKind, rows: TidyValue[]): unknown {
  return moduleOfKind(kind).payloadFromTidy(rows)
}
