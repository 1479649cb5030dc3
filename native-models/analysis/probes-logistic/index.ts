export { fitLogisticProbe } from './fit-logistic-probe.ts'
export { scoreLinearProbe } from './score.ts'
export { javascriptLogisticLoss, logisticLossAndGradient } from './logistic-loss-js.ts'
export { minimizeLbfgs } from './lbfgs.ts'
export type { LbfgsOptions, LbfgsResult } from './lbfgs.ts'
export type { Evaluation, Objective } from './line-search.ts'
export type {
  LogisticData,
  LogisticLossFactory,
  LogisticLossFunction,
  LogisticProbeFit,
  LogisticProbeProblem,
  LossAndGradient,
  StopReason,
} from './types.ts'
