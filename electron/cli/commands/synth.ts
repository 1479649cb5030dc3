import { resolve } from 'node:path'
import { InvalidArgumentError, Option } from 'commander'
import type { Command } from 'commander'
import type { SynthRequest } from '../../api/contract/index.ts'
import { formatBytes, formatCount } from '../format.ts'
import { withService } from '../service-host.ts'

interface SynthOptions {
  depth: string
  classes: number
  size: number
  cifarStem: boolean
  bn: 'kept' | 'folded'
  opset: number
  seed: number
  batch: string
  externalData: boolean
}

function integer(value: string): number {
  const parsed = Number(value)
  if (!Number.isSafeInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError('Not a whole number from 0 to 2^53 − 1.')
  return parsed
}

function toRequest(options: SynthOptions): SynthRequest {
  return {
    depth: Number(options.depth) as SynthRequest['depth'],
    numClasses: options.classes,
    inputSize: options.size,
    cifarStem: options.cifarStem,
    bnFolded: options.bn === 'folded',
    opset: options.opset,
    seed: options.seed,
    batch: options.batch === 'dynamic' ? 'dynamic' : integer(options.batch),
    externalData: options.externalData,
  }
}

export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description(
      'write a seeded, He-initialised torchvision ResNet as ONNX (same seed, same bytes)',
    )
    .argument('<out>', 'output .onnx path')
    .addOption(
      new Option('-d, --depth <depth>', 'ResNet depth')
        .choices(['18', '34', '50', '101'])
        .default('50'),
    )
    .option('-c, --classes <n>', 'number of classes', integer, 1000)
    .option('-s, --size <px>', 'input height and width', integer, 224)
    .option('--cifar-stem', '3×3 stride-1 stem conv without max pool', false)
    .addOption(
      new Option('--bn <mode>', 'BatchNorm kept or folded into the convs')
        .choices(['kept', 'folded'])
        .default('kept'),
    )
    .option('--opset <n>', 'ai.onnx opset, 13 to 18', integer, 17)
    .option('--seed <n>', 'weight seed', integer, 0)
    .option('--batch <n|dynamic>', "fixed batch size or 'dynamic'", 'dynamic')
    .option('--external-data', "write the weights to '<out>.data'", false)
    .action(async (out: string, options: SynthOptions, command: Command) => {
      await withService(command, async (service, output) => {
        const report = await service.synth(resolve(out), toRequest(options))
        if (output.isJson) return output.json(report)
        const s = report.summary
        output.text(
          `Wrote ${report.path} (${formatBytes(report.sizeBytes)}): ${s.architecture.name}, ` +
            `${formatCount(s.params)} parameters, ${formatCount(s.macs)} MACs at ${s.inputSize.height}×${s.inputSize.width}.`,
        )
      })
    })
}
