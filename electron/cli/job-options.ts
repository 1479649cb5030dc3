import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { InvalidArgumentError, Option } from 'commander'
import type { Command } from 'commander'
import type { DatasetRequest, ExecutionProvider, Preprocessing } from '../api/contract/index.ts'
import type { WorkbenchService } from '../api/service.ts'

export interface CheckpointJobOptions {
  data?: string
  format: DatasetRequest['format']
  split?: string
  classes?: string
  sample?: number
  seed: number
  limit?: number
  batch?: number
  provider: ExecutionProvider
  preprocessing?: string
  tensorCache: boolean
}

export function positiveInteger(value: string): number {
  const parsed = Number(value)
  if (!Number.isSafeInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('Not a whole number from 1 to 2^53 − 1.')
  return parsed
}

/** A seed: any whole number JavaScript holds exactly. */
export function seed(value: string): number {
  const parsed = Number(value)
  if (!Number.isSafeInteger(parsed))
    throw new InvalidArgumentError('Not a whole number between −(2^53 − 1) and 2^53 − 1.')
  return parsed
}

/** The options every checkpoint × dataset job shares. */
const BATCH_HELP = 'batch size (default: sized so one batch takes about a second)'

export const CHECKPOINT_HELP =
  "a checkpoint id, '<run>@<epoch>[.<variant>]' (seed0@10, seed0@10.bn), or an .onnx file"

export function addCheckpointJobOptions(command: Command, batchHelp = BATCH_HELP): Command {
  return addImageOptions(command.argument('<checkpoint>', CHECKPOINT_HELP), batchHelp)
}

/** The images, preprocessing and execution options of a job (without its checkpoint argument). */
export function addImageOptions(command: Command, batchHelp = BATCH_HELP): Command {
  return command
    .option(
      '-d, --data <path>',
      "image folder, folder of IDX files (MNIST family) or of images.npy + labels.npy (default: the run's run.json dataset, test split)",
    )
    .addOption(
      new Option('--format <format>', 'dataset format')
        .choices(['auto', 'imagefolder', 'idx', 'npy'])
        .default('auto'),
    )
    .option('--split <name>', 'split: a sub-folder (train/val/test) or IDX prefix (train, t10k)')
    .option(
      '--classes <names>',
      'comma-separated class names in logit order (default: sorted folder names)',
    )
    .option('--sample <n>', 'a seeded random subset of n images', positiveInteger)
    .option('--seed <n>', 'seed for --sample', seed, 0)
    .option('--limit <n>', 'only the first n images (after --sample)', positiveInteger)
    .option('--batch <n>', batchHelp, positiveInteger)
    .addOption(
      new Option('--provider <provider>', 'execution provider')
        .choices(['auto', 'cuda', 'dml', 'cpu'])
        .default('auto'),
    )
    .option(
      '--preprocessing <json|file>',
      "preprocessing as JSON or a JSON file (default: the run's run.json)",
    )
    .option(
      '--tensor-cache',
      'keep the preprocessed images in the workspace, so later jobs on the same images skip decoding',
      false,
    )
}

function parsePreprocessing(value: string | undefined): Preprocessing | null {
  if (value === undefined) return null
  const text = existsSync(value) ? readFileSync(value, 'utf8') : value
  try {
    return JSON.parse(text) as Preprocessing
  } catch {
    throw new InvalidArgumentError(
      `--preprocessing is neither a JSON object nor a readable JSON file: '${value}'.`,
    )
  }
}

export function datasetRequestOf(
  options: CheckpointJobOptions,
  runDataset: DatasetRequest | null = null,
): DatasetRequest {
  const path = options.data ?? runDataset?.path
  if (path === undefined) {
    throw new InvalidArgumentError(
      "Give the images with --data <path>: this checkpoint's run names no dataset in run.json.",
    )
  }
  const isRunDataset = options.data === undefined
  return {
    path: resolve(path),
    format: isRunDataset ? (runDataset?.format ?? 'auto') : options.format,
    split: options.split ?? (isRunDataset ? (runDataset?.split ?? null) : null),
    holdout: null,
    classes: options.classes ? options.classes.split(',').map((c) => c.trim()) : null,
    sample: options.sample === undefined ? null : { count: options.sample, seed: options.seed },
    limit: options.limit ?? null,
  }
}

/** A checkpoint argument as a workspace id; a loose .onnx file is opened as a checkpoint first. */
export async function checkpointIdOf(service: WorkbenchService, text: string): Promise<number> {
  const target = service.resolveCheckpointTarget(text)
  return target.checkpointId ?? (await service.openCheckpoint(target.modelPath!)).id
}

/** 'a, b c' → ['a', 'b', 'c']: a list option split at commas and spaces. */
export function listOption(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,;]+/).filter((part) => part !== '')
}

/** Fields of a job request that select the model, data and execution. */
export function checkpointJobFields(
  service: WorkbenchService,
  checkpoint: string,
  options: CheckpointJobOptions,
) {
  const target = service.resolveCheckpointTarget(checkpoint)
  const runId = target.checkpointId === null ? null : service.checkpointRunId(target.checkpointId)
  const runDataset = runId === null ? null : service.getRun(runId).defaultDataset
  return {
    checkpointId: target.checkpointId,
    modelPath: target.modelPath,
    dataset: datasetRequestOf(options, runDataset),
    preprocessing: parsePreprocessing(options.preprocessing),
    batchSize: options.batch ?? null,
    provider: options.provider,
    useTensorCache: options.tensorCache,
  }
}
