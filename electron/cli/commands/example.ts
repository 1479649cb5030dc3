import { resolve } from 'node:path'
import type { Command } from 'commander'
import { defaultExampleFolder } from '../../api/workspace-location.ts'
import { withService } from '../service-host.ts'

export function registerExample(program: Command): void {
  program
    .command('example')
    .description(
      'create the labeled-synthetic example workspace: three random-weight ResNet50 checkpoints and generated shape images',
    )
    .argument('[folder]', 'workspace folder to create', defaultExampleFolder())
    .action(async (folder: string, _options: unknown, command: Command) => {
      await withService(command, async (service, output) => {
        const started = Date.now()
        const report = await service.createExample(resolve(folder))
        if (output.isJson) return output.json(report)
        const seconds = ((Date.now() - started) / 1000).toFixed(1)
        output.text(
          `Created the example workspace (labeled synthetic) in ${report.workspace.folder} in ${seconds} s: ` +
            `run ${report.runId} with ${report.workspace.checkpoints} checkpoints, dataset '${report.dataset.name}' ` +
            `(${report.dataset.numImages} images).\n` +
            `Open it: npm run serve -- --workspace '${report.workspace.folder}'`,
        )
      })
    })
}
