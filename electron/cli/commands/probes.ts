import { resolve } from 'node:path'
import { InvalidArgumentError, Option } from 'commander'
import type { Command } from 'commander'
import { DEFAULT_PROBE_FRACTIONS } from '../../api/contract/index.ts'
import type {
  DatasetRequest,
  ProbeCurvePoint,
  ProbesRequest,
  ProbesResult,
  ResultInfo,
} from '../../api/contract/index.ts'
import { formatTable } from '../format.ts'
import {
  addCheckpointJobOptions,
  checkpointJobFields,
  listOption,
  positiveInteger,
  seed,
} from '../job-options.ts'
import type { CheckpointJobOptions } from '../job-options.ts'
import type { Output } from '../output.ts'
import { runJobToResult } from '../run-job.ts'
import { withService } from '../service-host.ts'

interface ProbesOptions extends CheckpointJobOptions {
  trainData?: string
  trainSplit: string
  trainSample?: number
  layer?: string
  pooling: 'mean' | 'none'
  fractions: string
  seeds: number
  validation: number
  validationSeed: number
  ridgeGrid?: string
  pca: boolean
  randomProjection: boolean
  exact?: string
  exactSeeds: number
  weightDecay: number
}

function fractionsOf(text: string, option: string): number[] {
  return listOption(text).map((part) => {
    const f = Number(part)
    if (!(f > 0 && f <= 1))
      throw new InvalidArgumentError(`${option}: '${part}' is not a fraction in (0, 1].`)
    return f
  })
}

function fraction(value: string): number {
  const f = Number(value)
  if (!(f > 0 && f < 0.9)) throw new InvalidArgumentError('Not a fraction in (0, 0.9).')
  return f
}

function positiveNumber(value: string): number {
  const x = Number(value)
  if (!(x >= 0 && Number.isFinite(x))) throw new InvalidArgumentError('Not a number ≥ 0.')
  return x
}

/** The training images: the test set's folder (or --train-data) at --train-split. */
function trainingSet(test: DatasetRequest, options: ProbesOptions): DatasetRequest {
  return {
    ...test,
    path: options.trainData === undefined ? test.path : resolve(options.trainData),
    split: options.trainSplit === 'none' ? null : options.trainSplit,
    sample:
      options.trainSample === undefined ? null : { count: options.trainSample, seed: options.seed },
    limit: null,
  }
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`
const BASIS_NAMES = {
  neurons: 'neurons',
  'pca-top': 'PCA top-k',
  'pca-bottom': 'PCA bottom-k',
  'random-projection': 'random proj.',
}

function curveRow(point: ProbeCurvePoint): string[] {
  return [
    `${BASIS_NAMES[point.basis]}${point.solver === 'logistic' ? ' (logistic)' : ''}`,
    String(point.fraction),
    String(point.k),
    String(point.seeds),
    `${pct(point.accuracy.mean)} ± ${pct(point.accuracy.std)}`,
    point.cka === null ? '' : `${point.cka.mean.toFixed(4)} ± ${point.cka.std.toFixed(4)}`,
  ]
}

function printProbes(result: ResultInfo<ProbesResult>, out: Output): void {
  const p = result.payload
  const full = p.fullLayer
  out.text(
    `${result.provenance.modelFile}: linear probes on random subsets of the ${p.dim} '${p.layer}' neurons, ${p.classes.length} classes; ${p.numTrain} training images (${p.numValidation} of them held out to choose λ), ${p.numTest} test images (result ${result.id})`,
  )
  out.text(
    `features: training ${p.features.train.cache} (${p.features.train.forwardPasses} forward passes), test ${p.features.test.cache} (${p.features.test.forwardPasses})`,
  )
  out.text(
    'note: ridge points are closed-form ridge regression on one-hot targets of unaugmented features, a deviation from the paper’s SGD probes; logistic points are exact multinomial L2 probes.',
  )
  out.text(
    formatTable(
      ['basis', 'fraction', 'k', 'seeds', 'top-1 (mean ± std)', 'CKA(subset, full)'],
      p.curve.map(curveRow),
    ),
  )
  out.text(
    `full layer: ${pct(full.accuracy)} [${pct(full.interval.lower)}, ${pct(full.interval.upper)}], λ = ${full.regularization.toPrecision(3)}`,
  )
  for (const dr of p.diffusedRedundancy)
    out.text(
      `DR at δ = ${dr.delta} (inferred definition): ${dr.value === null ? 'none' : `${dr.value.toFixed(4)} (f* = ${dr.fraction})`}`,
    )
  out.text(`smallest fraction within 5 points of the full layer: ${p.within5Points ?? 'none'}`)
  const t = p.timings
  out.text(
    `time: moments ${(t.moments / 1000).toFixed(2)} s, ridge ${(t.ridge / 1000).toFixed(2)} s, PCA ${(t.pca / 1000).toFixed(2)} s, logistic ${(t.logistic / 1000).toFixed(2)} s`,
  )
}

export function registerProbes(program: Command): void {
  addCheckpointJobOptions(
    program
      .command('probes')
      .description(
        'Diffused Redundancy: linear probes on random subsets of the penultimate neurons (fraction → test top-1, mean ± std over seeds), PCA and random-projection baselines, CKA(subset, full), DR_δ; the --data options name the test images',
      ),
  )
    .option('--train-data <path>', 'the training images (default: the test images’ folder)')
    .option('--train-split <name>', "the training split ('none': the whole folder)", 'train')
    .option(
      '--train-sample <n>',
      'a seeded random subset of the training images (seed: --seed)',
      positiveInteger,
    )
    .option('--layer <key>', 'probe this tap instead of the penultimate features')
    .addOption(
      new Option('--pooling <how>', 'how a spatial tap becomes a vector')
        .choices(['mean', 'none'])
        .default('mean'),
    )
    .option('--fractions <list>', 'fractions of the neurons', DEFAULT_PROBE_FRACTIONS.join(','))
    .option('--seeds <n>', 'random subsets per fraction', positiveInteger, 5)
    .option('--validation <f>', 'part of the training images held out to choose λ', fraction, 0.1)
    .option('--validation-seed <n>', 'seed of the held-out part', seed, 0)
    .option('--ridge-grid <list>', 'relative ridge strengths r (λ = r · mean variance)')
    .option('--no-pca', 'skip the PCA top-k / bottom-k baselines')
    .option('--no-random-projection', 'skip the random-projection baseline')
    .option('--exact <fractions>', 'also fit exact multinomial logistic probes at these fractions')
    .option('--exact-seeds <n>', 'subsets per exact fraction', positiveInteger, 1)
    .option(
      '--weight-decay <α>',
      'L2 weight decay of the exact probes, on the mean loss (the paper’s CIFAR value)',
      positiveNumber,
      5e-4,
    )
    .action(async (checkpoint: string, options: ProbesOptions, command: Command) => {
      await withService(command, async (service, out) => {
        const fields = checkpointJobFields(service, checkpoint, options)
        const request: ProbesRequest = {
          kind: 'probes',
          ...fields,
          dataset: trainingSet(fields.dataset, options),
          testDataset: fields.dataset,
          layer: { tap: options.layer ?? null, pooling: options.pooling },
          fractions: fractionsOf(options.fractions, '--fractions'),
          seeds: options.seeds,
          validation: { fraction: options.validation, seed: options.validationSeed },
          ridgeGrid:
            options.ridgeGrid === undefined ? null : listOption(options.ridgeGrid).map(Number),
          baselines: { pca: options.pca, randomProjection: options.randomProjection },
          exact:
            options.exact === undefined
              ? null
              : {
                  fractions: fractionsOf(options.exact, '--exact'),
                  seeds: options.exactSeeds,
                  weightDecay: options.weightDecay,
                },
        }
        const result = (await runJobToResult(service, request, out)) as ResultInfo<ProbesResult>
        if (out.isJson) return out.json(result)
        printProbes(result, out)
      })
    })
}
