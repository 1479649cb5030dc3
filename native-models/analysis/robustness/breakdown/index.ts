export { firstTapBelow } from './breaks-at.ts'
export { perTapCka } from './per-tap-cka.ts'
export type { PerTapCka, TapInterval } from './per-tap-cka.ts'
