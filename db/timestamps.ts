/** The format of every *_at column: ISO 8601 UTC with milliseconds, as SQLite's default writes it. */
export const SQL_NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`
