// better-sqlite3 13 ships no type declarations and the project adds no @types package, so this
// declares the part of its API the workspace layer uses (lib/database.js, lib/methods/*.js).

declare module 'better-sqlite3' {
  export interface RunResult {
    changes: number
    lastInsertRowid: number | bigint
  }

  export interface Statement<Params extends unknown[] = unknown[], Row = unknown> {
    readonly source: string
    readonly reader: boolean
    run(...params: Params): RunResult
    get(...params: Params): Row | undefined
    all(...params: Params): Row[]
    iterate(...params: Params): IterableIterator<Row>
    pluck(toggle?: boolean): this
    raw(toggle?: boolean): this
  }

  export interface Transaction<Work extends (...args: never[]) => unknown> {
    (...args: Parameters<Work>): ReturnType<Work>
    deferred(...args: Parameters<Work>): ReturnType<Work>
    immediate(...args: Parameters<Work>): ReturnType<Work>
    exclusive(...args: Parameters<Work>): ReturnType<Work>
  }

  export interface Options {
    readonly?: boolean
    fileMustExist?: boolean
    /** busy_timeout in milliseconds (default 5000). */
    timeout?: number
    verbose?: (message?: unknown, ...rest: unknown[]) => void
    nativeBinding?: string
  }

  export interface PragmaOptions {
    simple?: boolean
  }

  export interface Database {
    readonly name: string
    readonly open: boolean
    readonly inTransaction: boolean
    readonly readonly: boolean
    readonly memory: boolean
    prepare<Params extends unknown[] = unknown[], Row = unknown>(
      source: string,
    ): Statement<Params, Row>
    transaction<Work extends (...args: never[]) => unknown>(work: Work): Transaction<Work>
    pragma(source: string, options?: PragmaOptions): unknown
    exec(source: string): this
    close(): this
  }

  export class SqliteError extends Error {
    code: string
    constructor(message: string, code: string)
  }

  interface DatabaseConstructor {
    new (filename?: string, options?: Options): Database
    (filename?: string, options?: Options): Database
    readonly SqliteError: typeof SqliteError
  }

  const Database: DatabaseConstructor
  export default Database
}
