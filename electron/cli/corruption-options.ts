import type { Command } from 'commander'
import type { CorruptionSweepRequest } from '../api/contract/index.ts'
import { listOption, positiveInteger, seed } from './job-options.ts'

/** How the corrupted images are drawn: the options corrupt and breakdown share. */
export interface CorruptionDrawOptions {
  severities: string
  corruptionSeed: number
  jpegQuality?: number
  corruptAfterPadding?: boolean
}

type CorruptionDrawFields = Pick<
  CorruptionSweepRequest,
  'severities' | 'seed' | 'jpegQuality' | 'padding'
>

export function addCorruptionDrawOptions(command: Command, seedHelp: string): Command {
  return command
    .option('--severities <list>', 'comma-separated severities', '1,2,3,4,5')
    .option('--corruption-seed <n>', seedHelp, seed, 0)
    .option(
      '--jpeg-quality <q>',
      'save each corrupted image as JPEG first (ImageNet-C: 85)',
      positiveInteger,
    )
    .option('--corrupt-after-padding', 'corrupt the zero padding too (default: before padding)')
}

export function corruptionDrawFields(options: CorruptionDrawOptions): CorruptionDrawFields {
  return {
    severities: listOption(options.severities).map(Number) as CorruptionDrawFields['severities'],
    seed: options.corruptionSeed,
    jpegQuality: options.jpegQuality ?? null,
    padding: options.corruptAfterPadding === true ? 'after' : 'before',
  }
}
