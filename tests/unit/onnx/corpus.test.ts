import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { summarizeModel } from '../../../native-models/onnx/index.ts'
import { CORPUS_MEMBERS, isGenerated, materializeMember } from '../../fixtures/models/corpus.ts'
import { expectMemberSummary, expectRefusal } from '../../fixtures/models/corpus-checks.ts'

// Committed members only (small files); the synthesized ResNets run in tests/integration/onnx.
const committed = CORPUS_MEMBERS.filter((member) => !isGenerated(member))

describe('the committed ONNX corpus', () => {
  let scratch = ''
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'onnx-corpus-'))
  })
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true })
  })

  for (const member of committed) {
    if (member.error) {
      it(`refuses ${member.id} with ${member.error.code}`, async () => {
        await expectRefusal(summarizeModel(await materializeMember(member, scratch)), member)
      })
    } else {
      it(`summarises ${member.id} as the corpus expects`, async () => {
        expectMemberSummary(await summarizeModel(await materializeMember(member, scratch)), member)
      })
    }
  }
})
