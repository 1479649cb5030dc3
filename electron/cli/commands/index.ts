import type { Command } from 'commander'
import { registerBreakdown } from './breakdown.ts'
import { registerCka } from './cka.ts'
import { registerCompress } from './compress.ts'
import { registerCorrupt } from './corrupt.ts'
import { registerEval } from './eval.ts'
import { registerExample } from './example.ts'
import { registerExport } from './export.ts'
import { registerGeometry } from './geometry.ts'
import { registerGrads } from './grads.ts'
import { registerImport } from './import-run.ts'
import { registerJobs } from './jobs.ts'
import { registerMerge } from './merge.ts'
import { registerProbes } from './probes.ts'
import { registerRuns } from './runs.ts'
import { registerStats } from './stats.ts'
import { registerSummary } from './summary.ts'
import { registerSynth } from './synth.ts'
import { registerT3a } from './t3a.ts'
import { registerWeightNoise } from './weight-noise.ts'

/** Every command in the order `--help` lists them: adding one (an analysis's) is one line. */
export const COMMANDS: readonly ((program: Command) => void)[] = [
  registerImport,
  registerSummary,
  registerRuns,
  registerSynth,
  registerEval,
  registerStats,
  registerJobs,
  registerExample,
  registerCka,
  registerWeightNoise,
  registerCorrupt,
  registerBreakdown,
  registerProbes,
  registerT3a,
  registerGrads,
  registerGeometry,
  registerCompress,
  registerMerge,
  registerExport,
]
