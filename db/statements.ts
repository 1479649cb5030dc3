import type { Database } from 'better-sqlite3'
import { connectionOf } from './handle.ts'
import type { DbHandle } from './handle.ts'

/**
 * Wraps a function that prepares a module's statements so they are prepared once per connection
 * (on first use) and reused after that.
 */
export function preparedPerConnection<Statements>(
  prepare: (db: Database) => Statements,
): (handle: DbHandle) => Statements {
  const cache = new WeakMap<Database, Statements>()
  return (handle) => {
    const db = connectionOf(handle)
    let statements = cache.get(db)
    if (statements === undefined) {
      statements = prepare(db)
      cache.set(db, statements)
    }
    return statements
  }
}
