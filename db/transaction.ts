import type { Database } from 'better-sqlite3'
import { toDbError } from './errors.ts'

/**
 * Runs `work` in one IMMEDIATE transaction: either all of it is written or none of it. IMMEDIATE
 * takes the write lock up front, so with busy_timeout a second process waits for it instead of
 * failing with SQLITE_BUSY when a read transaction tries to turn into a write.
 * `work` must be synchronous: a transaction is never held across an await.
 */
export function writeTransaction<Result>(db: Database, work: () => Result): Result {
  try {
    return db.transaction(work).immediate()
  } catch (error) {
    throw toDbError(error, db.name)
  }
}
