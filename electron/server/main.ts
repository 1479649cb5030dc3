import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RecentWorkspaces } from '../api/recent-workspaces.ts'
import { defaultWorkspaceFolder } from '../api/workspace-location.ts'
import { CommanderError } from 'commander'
import { parseServeOptions } from './options.ts'
import { startServer } from './server.ts'
import type { WorkbenchServer } from './server.ts'

const RENDERER_FOLDER = fileURLToPath(new URL('../../out/renderer', import.meta.url))

function stopOnSignals(server: WorkbenchServer): void {
  const stop = (): void => {
    void server.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

async function serve(argv: string[]): Promise<void> {
  const options = parseServeOptions(argv)
  const recent = new RecentWorkspaces(dirname(defaultWorkspaceFolder()))
  const workspace = options.workspace ?? recent.last(defaultWorkspaceFolder())
  const server = await startServer({
    ...options,
    workspace,
    recent,
    rendererFolder: RENDERER_FOLDER,
  })
  stopOnSignals(server)
  process.stdout.write(
    `ResNet Workbench on workspace '${workspace}'.\n` +
      `Open ${server.url}\n(the token in this URL is the only way in; Ctrl+C stops the server)\n`,
  )
}

serve(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CommanderError) process.exit(error.exitCode)
  process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
