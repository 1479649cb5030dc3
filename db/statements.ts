import type { Database } from 'better-sqlite3'

/**
 * Wraps a function that prepares a module's statements so they are prepared once per connection
 * (on first use) and reused after that.
 */
export function preparedPerConnection<Statements>(
  prepare: (db: Database) => Statements,
): (db: Database) => Statements {
  const cache = new WeakMap<Database, Statements>()
  return (db) => {
    let statements = cache.get(db)
    if (statements === undefined) {
      statements = prepare(db)
      cache.set(db, statements)
    }
    return statements
  }
}
