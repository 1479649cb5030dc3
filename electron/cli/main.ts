import { Command, CommanderError, Option } from 'commander'
import { defaultWorkspaceFolder } from '../api/workspace-location.ts'
import { toIpcError } from '../api/errors.ts'
import { COMMANDS } from './commands/index.ts'

export interface GlobalOptions {
  workspace: string
  json: boolean
}

function buildProgram(): Command {
  const program = new Command('resnet-workbench')
    .description('Inspect ResNet ONNX checkpoints and compare training runs, offline.')
    .addOption(
      new Option(
        '-w, --workspace <folder>',
        'workspace folder (workspace.sqlite + blobs/)',
      ).default(defaultWorkspaceFolder()),
    )
    .option('--json', 'print machine-readable JSON on stdout', false)
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ outputError: () => undefined })
  for (const register of COMMANDS) register(program)
  return program
}

/** Runs the CLI and returns the process exit code; every failure is one sentence on stderr. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram()
  try {
    await program.parseAsync(argv, { from: 'user' })
    return 0
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0
      process.stderr.write(`${error.message.replace(/^error: /, 'Error: ')}\n`)
      return 2
    }
    const { code, message } = toIpcError(error)
    const isJson = program.opts<GlobalOptions>().json
    if (isJson) process.stdout.write(JSON.stringify({ error: { code, message } }, null, 2) + '\n')
    process.stderr.write(`Error [${code}]: ${message}\n`)
    return 1
  }
}
