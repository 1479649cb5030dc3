import { resolve } from 'node:path'
import type { Command } from 'commander'
import { formatBytes } from '../format.ts'
import { createProgressBar } from '../progress.ts'
import { withService } from '../service-host.ts'

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'import a run folder (epoch_*.onnx, metrics.jsonl, run.json); again to add new epochs',
    )
    .argument('<folder>', 'run folder exported from training')
    .option(
      '--no-check',
      "skip evaluating the newest epoch on the run's test split (run.json dataset)",
    )
    .action(async (folder: string, options: { check: boolean }, command: Command) => {
      await withService(command, async (service, out) => {
        const bar = createProgressBar()
        const report = await service
          .importRun(resolve(folder), bar.update, { check: options.check })
          .finally(bar.stop)
        if (out.isJson) return out.json(report)
        for (const warning of report.warnings) out.warn(warning)
        out.text(
          `Imported run '${report.run.name}' (id ${report.run.id}) into ${service.folder}: ` +
            `${report.added.length} new checkpoint(s), ${report.unchanged} unchanged, ` +
            `${report.metricLines} metric line(s).`,
        )
        for (const checkpoint of report.added) {
          const epoch = checkpoint.epoch === null ? '-' : `epoch ${checkpoint.epoch}`
          const bn = checkpoint.isBnFolded ? 'BN folded' : 'BN kept'
          out.text(
            `  + ${epoch} ${checkpoint.variant || ''} ${formatBytes(checkpoint.sizeBytes)}, ${bn}`,
          )
        }
        if (report.check) out.text(`Accuracy check: ${report.check.message}`)
        else if (!options.check) out.text('Accuracy check: not run (--no-check).')
      })
    })
}
