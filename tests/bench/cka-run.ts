// `npm run bench:cka [-- --pause-training --images 512 --large 2048 --repeats 2 --keep
// --skip-copy-out]`: not part of CI, never fails on timing. On a synthesized ResNet50 at 224²,
// the 18 CKA taps (stem, 16 blocks, pooled) and N seeded NPY images, back to back:
//  (1) the evaluation job (batch 64) and (2) the CKA Gram job (n = 64), alternating, → (2)/(1);
//      the Gram share on one batch of 64 (forward vs the Gram job's graph vs the Grams alone);
//      the CKA step from the stored Grams (service.computeDerived(ckaCompute), within);
//  (3) the Gram job's engine peak RSS at N and at the large N;
//  (4) the straightforward copy-out approach at N only (its own process; its peak RSS).
// Prints a Markdown table and writes tests/bench/last-cka-run.json (git-ignored).
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { format, resolveConfig } from 'prettier'
import type { CkaResult } from '../../electron/api/contract/index.ts'
import { pinnedBatchOrder } from '../../native-models/engine/jobs/cka/batch-order.ts'
import {
  ckaRequest,
  evaluateRequest,
  GRAM_BATCH,
  gramsRequest,
  ORDER_SEED,
  prepareCkaFixture,
} from './cka-fixtures.ts'
import type { CkaFixture } from './cka-fixtures.ts'
import { availableMemoryBytes, runCopyOut } from './cka-copy-out.ts'
import type { CopyOutRun } from './cka-copy-out.ts'
import { measureGramShare } from './cka-gram-share.ts'
import { benchGraphs } from './cka-graphs.ts'
import { timeCkaFromStoredGrams, timeServiceJob } from './cka-jobs.ts'
import type { JobTiming } from './cka-jobs.ts'
import { ckaMarkdown } from './cka-report.ts'
import type { CkaBenchReport } from './cka-report.ts'
import { NUM_CLASSES } from './fixtures.ts'
import { openBenchService } from './service-jobs.ts'
import type { BenchService } from './service-jobs.ts'
import { describeTraining, pauseTraining, trainingPids } from './training-pause.ts'
import { machineInfo } from './machine.ts'

const LAST_RUN = new URL('./last-cka-run.json', import.meta.url)

interface Options {
  pauseTraining: boolean
  images: number
  large: number
  repeats: number
  shareRepeats: number
  keep: boolean
  skipCopyOut: boolean
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      'pause-training': { type: 'boolean', default: false },
      images: { type: 'string', default: '512' },
      large: { type: 'string', default: '2048' },
      repeats: { type: 'string', default: '2' },
      'share-repeats': { type: 'string', default: '3' },
      keep: { type: 'boolean', default: false },
      'skip-copy-out': { type: 'boolean', default: false },
    },
  })
  return {
    pauseTraining: values['pause-training'],
    images: Number(values.images),
    large: Number(values.large),
    repeats: Math.max(1, Number(values.repeats)),
    shareRepeats: Math.max(1, Number(values['share-repeats'])),
    keep: values.keep,
    skipCopyOut: values['skip-copy-out'],
  }
}

const log = (text: string): void => void process.stderr.write(`bench:cka: ${text}\n`)

interface JobPhase {
  evaluate: JobTiming[]
  grams: JobTiming[]
  evaluateCold: JobTiming[]
  gramsCold: JobTiming[]
  gramsLarge: JobTiming
  ckaSeconds: number[]
  ckaEngineRuns: number
  within: CkaResult
}

async function jobPhase(
  bench: BenchService,
  fixture: CkaFixture,
  options: Options,
): Promise<JobPhase> {
  const { id } = await bench.service.openCheckpoint(fixture.modelPath)
  log('warm-up: one batch of each job (sessions, placement profiling), untimed')
  await bench.service.runJob(evaluateRequest(fixture, id, GRAM_BATCH))
  await bench.service.runJob(gramsRequest(fixture, id, GRAM_BATCH))
  const evaluate: JobTiming[] = []
  const grams: JobTiming[] = []
  for (let r = 0; r < options.repeats; r++) {
    evaluate.push(await timeServiceJob(bench, evaluateRequest(fixture, id, options.images)))
    log(`(1) evaluate N=${options.images}: ${evaluate.at(-1)!.wallSeconds.toFixed(1)} s`)
    grams.push(await timeServiceJob(bench, gramsRequest(fixture, id, options.images)))
    log(`(2) cka-grams N=${options.images}: ${grams.at(-1)!.wallSeconds.toFixed(1)} s`)
  }
  const evaluateCold: JobTiming[] = []
  const gramsCold: JobTiming[] = []
  for (let r = 0; r < options.repeats; r++) {
    bench.restartEngine()
    evaluateCold.push(await timeServiceJob(bench, evaluateRequest(fixture, id, options.images)))
    log(
      `(1) evaluate N=${options.images}, new engine: ${evaluateCold.at(-1)!.wallSeconds.toFixed(1)} s`,
    )
    bench.restartEngine()
    gramsCold.push(await timeServiceJob(bench, gramsRequest(fixture, id, options.images)))
    log(
      `(2) cka-grams N=${options.images}, new engine: ${gramsCold.at(-1)!.wallSeconds.toFixed(1)} s`,
    )
  }
  const ckaSeconds: number[] = []
  let ckaEngineRuns = 0
  let within: CkaResult | null = null
  for (let r = 0; r < 3; r++) {
    const step = await timeCkaFromStoredGrams(bench, ckaRequest(fixture, id, options.images))
    ckaSeconds.push(step.seconds)
    ckaEngineRuns += step.engineRuns
    within = step.result
  }
  log(`CKA from stored Grams: ${ckaSeconds.map((s) => s.toFixed(3)).join(', ')} s`)
  const gramsLarge = await timeServiceJob(bench, gramsRequest(fixture, id, options.large))
  log(`(3) cka-grams N=${options.large}: ${gramsLarge.wallSeconds.toFixed(1)} s`)
  return {
    ...{ evaluate, grams, evaluateCold, gramsCold, gramsLarge },
    ...{ ckaSeconds, ckaEngineRuns, within: within! },
  }
}

/** Activations copy-out keeps (Σ C·H·W × 4 bytes × N), plus a margin for ORT and one Gram's Sub. */
const COPY_OUT_MARGIN = 3 * 2 ** 30

async function copyOutPhase(
  fixture: CkaFixture,
  options: Options,
  storedBytes: number,
): Promise<{ run: CopyOutRun | null; skipped: string | null }> {
  if (options.skipCopyOut) return { run: null, skipped: '--skip-copy-out' }
  const available = availableMemoryBytes()
  const need = storedBytes + COPY_OUT_MARGIN
  if (available !== null && available < need) {
    const gb = (b: number): string => `${(b / 2 ** 30).toFixed(1)} GiB`
    return { run: null, skipped: `needs ≈ ${gb(need)}, only ${gb(available)} available` }
  }
  log(
    `(4) copy-out N=${options.images} in a child process (keeps ${(storedBytes / 1e9).toFixed(1)} GB)`,
  )
  const run = await runCopyOut({
    modelPath: fixture.modelPath,
    fixture,
    ...{ images: options.images, n: GRAM_BATCH, orderSeed: ORDER_SEED },
  })
  log(`(4) copy-out: ${run.wallSeconds.toFixed(1)} s`)
  return { run, skipped: null }
}

function maxDifference(a: (number | null)[][], b: (number | null)[][]): number {
  let max = 0
  a.forEach((row, i) =>
    row.forEach((v, j) => {
      const w = b[i]?.[j]
      max = Math.max(max, v === null || w === null || w === undefined ? Infinity : Math.abs(v - w))
    }),
  )
  return max
}

function checksOf(options: Options, jobs: JobPhase, copyOut: CopyOutRun | null): string[] {
  const checks: string[] = []
  const order = pinnedBatchOrder(options.images, GRAM_BATCH, ORDER_SEED)
  for (const [label, job, images] of [
    ...jobs.grams.map((j) => ['(2)', j, options.images] as const),
    ['(3)', jobs.gramsLarge, options.large] as const,
  ]) {
    const g = job.grams!
    const expected = Math.floor(images / GRAM_BATCH)
    const ok = g.n === GRAM_BATCH && g.batches === expected && job.progressSteps === expected
    checks.push(
      `${label} Gram job at N = ${images}: ${g.batches} batches of ${g.n} (${job.progressSteps} progress steps, ${g.droppedImages} dropped, ${job.images} images) ${ok ? 'as expected' : `— EXPECTED ${expected} of ${GRAM_BATCH}`}.`,
    )
  }
  for (const job of jobs.evaluate) {
    const expected = Math.ceil(options.images / GRAM_BATCH)
    if (job.progressSteps !== expected || job.images !== options.images)
      checks.push(
        `(1) evaluation: ${job.progressSteps} steps, ${job.images} images — EXPECTED ${expected} batches.`,
      )
  }
  checks.push(
    `(2) batch order sha256 ${jobs.grams[0].grams!.orderSha256 === order.sha256 ? 'matches' : 'DIFFERS FROM'} pinnedBatchOrder(${options.images}, ${GRAM_BATCH}, ${ORDER_SEED}).`,
  )
  checks.push(
    `CKA step: ${jobs.ckaEngineRuns} engine runs over ${jobs.ckaSeconds.length} calls (0: answered from the stored Grams); diagonal ${jobs.within.matrices[0].values.every((row, i) => Math.abs((row[i] ?? 0) - 1) < 1e-6) ? 'all 1' : 'NOT all 1'}.`,
  )
  if (copyOut !== null) {
    const diff = maxDifference(copyOut.result.matrices.minibatch, jobs.within.matrices[0].values)
    checks.push(
      `(4) copy-out used the same batch order (${copyOut.result.orderSha256 === order.sha256 ? 'sha256 matches' : 'sha256 DIFFERS'}); its minibatch CKA from the n×n diagonal blocks of its N×N Grams differs from the Gram job's by at most ${diff.toExponential(1)}.`,
    )
  }
  return checks
}

const NOTES = [
  '(1), (2), (3) go through WorkbenchService.runJob and the forked engine, one job at a time, warm (a one-batch job of each ran first, so the session is cached and its memory arena grown); the "new engine" rows start each job in a fresh engine process, as the first job on a checkpoint meets it (model read and hashed, session created, first run faulting its memory in); "wall time" is the whole runJob call (model and dataset resolution, the batches, storing the result), "batches" runs from the first to the last progress report. (1) and (2) alternate. Peak RSS is the engine\'s VmHWM, reset (clear_refs 5) before each job.',
  'Every N reads the first N images of one seeded 2048-image images.npy (uint8 NHWC 224×224, 308 MB; the NPY reader holds the file whole whatever N is), so RSS differences come from the jobs, not the file.',
  'Gram share: one batch of 64 in the bench process with the engine\'s session settings; "by difference" is (Gram graph − forward) / Gram graph; "alone" times a graph that is only the 18 centered Grams (Reshape, ReduceMean, Sub and the chunked batched MatMul, as the job emits them) fed that batch\'s tap activations, as a share of the Gram graph\'s time.',
  "(4) runs in its own process: a session whose outputs are the 18 tap tensors; each batch's outputs are copied into one [N, C·H·W] float32 array per tap (all kept); then each tap's N×N Gram of the N-centered features with ORT (the same Gram-only graph) and the 18×18 CKA in float64 (full-batch linear and debiased, and minibatch from the Grams' 64×64 diagonal blocks, which equals the Gram job's estimator). Its peak RSS is its VmHWM over its whole life.",
]

async function main(): Promise<void> {
  const options = parseOptions()
  const startedAt = new Date()
  const loadBefore = loadavg()
  const pids = trainingPids()
  const pause = options.pauseTraining ? pauseTraining(pids) : null
  const root = await mkdtemp(join(tmpdir(), 'resnet-bench-cka-'))
  let report: CkaBenchReport
  try {
    log(`writing the model and ${options.large} seeded 224² images (NPY)`)
    const fixture = await prepareCkaFixture(root, Math.max(options.large, options.images))
    const bench = openBenchService(root)
    let jobs: JobPhase
    try {
      jobs = await jobPhase(bench, fixture, options)
    } finally {
      bench.close()
    }
    await sleep(2000) // let the engine's memory go before copy-out measures what is available
    const taps = jobs.grams[0].grams!.taps
    const perImage = taps.reduce((sum, t) => sum + t.features, 0) * 4
    const copyOut = await copyOutPhase(fixture, options, perImage * options.images)
    log('Gram share on one batch of 64')
    const gramShare = await measureGramShare(
      fixture,
      await benchGraphs(fixture.modelPath),
      options.shareRepeats,
    )
    const notes = [...NOTES]
    if (pause === null && pids.length > 0)
      notes.push('The trainer ran alongside (no --pause-training): compare ratios only.')
    report = {
      startedAt: startedAt.toISOString(),
      elapsedSeconds: (Date.now() - startedAt.getTime()) / 1000,
      machine: machineInfo(loadBefore, describeTraining(pids, pause !== null)),
      model: `Synthesized ResNet50 (torchvision layout, ${NUM_CLASSES} classes, BN folded, opset 17, seed 1, dynamic batch) at 224²; ${taps.length} taps (${taps.map((t) => t.key).join(', ')})`,
      dataset: `${fixture.images} seeded uint8 224×224×3 images in images.npy; ImageNet mean/std, no resize`,
      ...{ images: options.images, largeImages: options.large, n: GRAM_BATCH, taps },
      ...{ evaluate: jobs.evaluate, grams: jobs.grams, gramsLarge: jobs.gramsLarge },
      ...{ evaluateCold: jobs.evaluateCold, gramsCold: jobs.gramsCold },
      ckaStep: { seconds: jobs.ckaSeconds, engineRuns: jobs.ckaEngineRuns },
      ...{ gramShare, copyOut: copyOut.run, copyOutSkipped: copyOut.skipped },
      copyOutBytes: [options.images, options.large].map((images) => ({
        images,
        bytes: perImage * images,
      })),
      checks: checksOf(options, jobs, copyOut.run),
      notes,
    }
  } finally {
    pause?.resume()
    if (!options.keep) await rm(root, { recursive: true, force: true })
  }
  const filepath = fileURLToPath(LAST_RUN)
  const config = (await resolveConfig(filepath)) ?? {}
  await writeFile(filepath, await format(JSON.stringify(report), { ...config, filepath }))
  process.stdout.write(`${ckaMarkdown(report)}\n`)
}

await main()
