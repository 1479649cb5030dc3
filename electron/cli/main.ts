import { Command, CommanderError, Option } from 'commander'
import { defaultWorkspaceFolder } from '../api/workspace-location.ts'
import { toIpcError } from '../api/errors.ts'
import { registerCka } from './commands/cka.ts'
import { registerEval } from './commands/eval.ts'
import { registerExample } from './commands/example.ts'
import { registerExport } from './commands/export.ts'
import { registerImport } from './commands/import-run.ts'
import { registerJobs } from './commands/jobs.ts'
import { registerStats } from './commands/stats.ts'
import { registerRuns } from './commands/runs.ts'
import { registerSummary } from './commands/summary.ts'
import { registerSynth } from './commands/synth.ts'

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
  registerImport(program)
  registerSummary(program)
  registerRuns(program)
  registerSynth(program)
  registerEval(program)
  registerStats(program)
  registerJobs(program)
  registerExample(program)
  registerCka(program)
  registerExport(program)
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
