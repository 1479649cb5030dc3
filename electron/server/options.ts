import { homedir } from 'node:os'
import { resolve } from 'node:path'
import { Command, InvalidArgumentError, Option } from 'commander'
import { defaultWorkspaceFolder } from '../api/workspace-location.ts'

export interface ServeOptions {
  port: number
  /** null: the last workspace opened, else the default one. */
  workspace: string | null
  roots: string[]
}

function parsePort(text: string): number {
  const port = Number(text)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError(`'${text}' is not a port (0-65535; 0 picks a free one).`)
  }
  return port
}

function collectRoot(folder: string, roots: string[]): string[] {
  return [...roots, resolve(folder)]
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('Serve the workbench to a browser on 127.0.0.1, behind a one-time token.')
    .addOption(new Option('-p, --port <port>', 'port (default: a free one)').argParser(parsePort))
    .addOption(
      new Option(
        '-w, --workspace <folder>',
        `workspace folder (default: the last one opened, else ${defaultWorkspaceFolder()})`,
      ),
    )
    .addOption(
      new Option(
        '--root <folder>',
        'a folder the file browser may show (repeatable; default: home)',
      )
        .argParser(collectRoot)
        .default([]),
    )
    .exitOverride()
}

/** Parses `npm run serve -- [--port N] [--root DIR ...] [--workspace DIR]`. */
export function parseServeOptions(argv: string[]): ServeOptions {
  const command = serveCommand().parse(argv, { from: 'user' })
  const options = command.opts<{ port?: number; workspace?: string; root: string[] }>()
  return {
    port: options.port ?? 0,
    workspace: options.workspace === undefined ? null : resolve(options.workspace),
    roots: options.root.length > 0 ? options.root : [homedir()],
  }
}
