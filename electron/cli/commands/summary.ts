import { runIdOf, runSummaries, summarizePath } from '../lookups.ts'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { ModelSummary } from '../../api/contract/index.ts'
import { RequestError } from '../../api/errors.ts'
import { printSummary } from '../print-summary.ts'
import { withService } from '../service-host.ts'

interface SummaryOptions {
  run?: string
}

export function registerSummary(program: Command): void {
  program
    .command('summary')
    .description(
      'exact summary of ONNX checkpoints: shapes, structure, parameters and MACs per layer',
    )
    .argument('[paths...]', '.onnx files or run folders (every checkpoint in them)')
    .option('-r, --run <run>', 'every checkpoint of an imported run (id or name)')
    .action(async (paths: string[], options: SummaryOptions, command: Command) => {
      await withService(command, async (service, out) => {
        if (paths.length === 0 && options.run === undefined) {
          throw new RequestError(
            'INVALID_ARGUMENT',
            'Give .onnx files, run folders or --run <run>.',
          )
        }
        const summaries: ModelSummary[] = []
        if (options.run !== undefined)
          summaries.push(...runSummaries(service, runIdOf(service, options.run)))
        for (const path of paths) summaries.push(...(await summarizePath(service, resolve(path))))
        if (out.isJson) return out.json(summaries.length === 1 ? summaries[0] : summaries)
        summaries.forEach((summary, i) => {
          if (i > 0) out.text('')
          printSummary(summary, out)
        })
      })
    })
}
