// Plain JavaScript that parses under old Node, so the version check runs before anything that
// would crash: better-sqlite3 13 segfaults under Node 20 instead of throwing.
import { pathToFileURL } from 'node:url'

const [major] = process.versions.node.split('.').map(Number)

export function requireNode22() {
  if (major < 22) {
    process.stderr.write(
      `Node 22 or newer is required (this is Node ${process.versions.node}). ` +
        'Install Node 22 (https://nodejs.org) and run the command again.\n',
    )
    process.exit(1)
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) requireNode22()
