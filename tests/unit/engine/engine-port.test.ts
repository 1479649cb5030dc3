import { describe, expectTypeOf, it } from 'vitest'
import type {
  EnginePort,
  EngineOutcome as StoredOutcome,
} from '../../../electron/api/job-manager.ts'
import type { EngineClient } from '../../../native-models/engine/engine-client.ts'
import type { EngineOutcome } from '../../../native-models/engine/protocol.ts'

describe('EngineClient and the job manager', () => {
  it('is the EnginePort the job manager runs jobs on, with the same outcomes', () => {
    expectTypeOf<EngineClient>().toExtend<EnginePort>()
    expectTypeOf<EngineOutcome>().toEqualTypeOf<StoredOutcome>()
  })
})
