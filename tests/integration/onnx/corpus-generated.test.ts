import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { summarizeModel } from '../../../native-models/onnx/index.ts'
import { CORPUS_MEMBERS, isGenerated, materializeMember } from '../../fixtures/models/corpus.ts'
import { expectMemberSummary, expectRefusal } from '../../fixtures/models/corpus-checks.ts'

// Full-size ResNets are synthesized (seeded) into a temp folder, never committed: about 1 GB of
// files for the whole table, removed afterwards.
const generated = CORPUS_MEMBERS.filter(isGenerated)

describe('the generated ONNX corpus (full-size synthesized ResNets)', () => {
  let scratch = ''
  const paths = new Map<string, string>()
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'onnx-corpus-generated-'))
    for (const member of generated) paths.set(member.id, await materializeMember(member, scratch))
  })
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true })
  })

  for (const member of generated) {
    if (member.error) {
      it(`refuses ${member.id} with ${member.error.code}`, async () => {
        await expectRefusal(summarizeModel(paths.get(member.id) ?? ''), member)
      })
    } else {
      it(`summarises ${member.id} as the corpus expects`, async () => {
        expectMemberSummary(await summarizeModel(paths.get(member.id) ?? ''), member)
      })
    }
  }
})
