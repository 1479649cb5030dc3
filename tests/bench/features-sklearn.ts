// scikit-learn (Debian's python3-sklearn) fitting the same probes on the same features, for
// `npm run bench:features`: the features go to a temporary folder once as .npy files.
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { BenchFeatures } from './features-data.ts'
import { writeNpy } from './features-data.ts'

const run = promisify(execFile)
const PYTHON = '/usr/bin/python3'
const SCRIPT = fileURLToPath(new URL('./features_sklearn.py', import.meta.url))

export interface SklearnRidgeProbe {
  columns: Int32Array
  alpha: number
}

export interface SklearnLogisticProbe {
  columns: Int32Array
  /** 1/(α·n). */
  C: number
  maxIterations: number
  /** On the sum-form gradient scikit-learn's lbfgs checks. */
  tol: number
}

export interface SklearnFit {
  seconds: number
  accuracy: number
  iterations?: number
}

export interface SklearnResult {
  /** NumPy on the same data: float32 XᵀX and XᵀY (as Ridge forms them), eigh of our covariance. */
  numpy: { crossSeconds: number; featureLabelSeconds: number; eighSeconds: number }
  ridge: SklearnFit[]
  logistic: SklearnFit[]
  versions: string
}

/** null when `python3 -c 'import sklearn'` fails. */
export async function sklearnAvailable(): Promise<boolean> {
  try {
    await run(PYTHON, ['-c', 'import sklearn'])
    return true
  } catch {
    return false
  }
}

/** Runs every probe in one Python process with `threads` OpenMP/OpenBLAS threads. */
export async function fitWithSklearn(
  data: BenchFeatures,
  covariance: Float64Array,
  ridge: SklearnRidgeProbe[],
  logistic: SklearnLogisticProbe[],
  threads: number,
): Promise<SklearnResult> {
  const folder = await mkdtemp(join(tmpdir(), 'bench-features-'))
  try {
    const paths = {
      trainFeatures: join(folder, 'train-x.npy'),
      trainLabels: join(folder, 'train-y.npy'),
      testFeatures: join(folder, 'test-x.npy'),
      testLabels: join(folder, 'test-y.npy'),
      covariance: join(folder, 'covariance.npy'),
    }
    await writeNpy(paths.covariance, covariance, [data.dim, data.dim])
    await writeNpy(paths.trainFeatures, data.train.features, [data.train.n, data.dim])
    await writeNpy(paths.trainLabels, data.train.labels, [data.train.n])
    await writeNpy(paths.testFeatures, data.test.features, [data.test.n, data.dim])
    await writeNpy(paths.testLabels, data.test.labels, [data.test.n])
    const job = {
      ...paths,
      classes: data.classes,
      ridge: ridge.map((p) => ({ ...p, columns: [...p.columns] })),
      logistic: logistic.map((p) => ({ ...p, columns: [...p.columns] })),
    }
    const jobPath = join(folder, 'job.json')
    await writeFile(jobPath, JSON.stringify(job))
    const threadEnv = { OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) }
    const { stdout } = await run(PYTHON, [SCRIPT, jobPath], {
      env: { ...process.env, ...threadEnv, MKL_NUM_THREADS: String(threads) },
      maxBuffer: 1 << 22,
    })
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as SklearnResult
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
