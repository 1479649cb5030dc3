import { connectionOf } from './handle.ts'
import type { DbHandle } from './handle.ts'
import { toDbError } from './errors.ts'

/**
 * Runs `work` in one IMMEDIATE transaction: either all of it is written or none of it. IMMEDIATE
 * takes the write lock up front, so with busy_timeout a second process waits for it instead of
 * failing with SQLITE_BUSY when a read transaction tries to turn into a write.
 * `work` must be synchronous: a transaction is never held across an await.
 */
export function writeTransaction<Result>(db: DbHandle, work: () => Result): Result {
  try {
    return connectionOf(db).transaction(work).immediate()
  } catch (error) {
    throw toDbError(error, connectionOf(db).name)
  }
}
