import { execFileSync, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const repo = fileURLToPath(new URL('../../../', import.meta.url))
const systemNode = '/usr/bin/node'

function majorOf(node: string): number {
  try {
    return Number(execFileSync(node, ['-p', 'process.versions.node.split(".")[0]']).toString())
  } catch {
    return 0
  }
}

const oldNodeMajor = majorOf(systemNode)
const hasOldNode = oldNodeMajor > 0 && oldNodeMajor < 22

describe.skipIf(!hasOldNode)(`entry points under Node ${oldNodeMajor} (${systemNode})`, () => {
  it.each([
    ['the CLI', ['bin/resnet-workbench.js', 'runs']],
    ['the npm-script guard', ['scripts/require-node22.js']],
  ])('%s prints the Node 22 message instead of crashing', (_name, args) => {
    const result = spawnSync(systemNode, args, { cwd: repo, encoding: 'utf8' })
    expect(result.status).toBe(1)
    expect(result.signal).toBeNull()
    expect(result.stderr).toContain('Node 22 or newer is required')
  })
})

describe('entry points under the current Node', () => {
  it('lets the guard pass', () => {
    const result = spawnSync(process.execPath, ['scripts/require-node22.js'], { cwd: repo })
    expect(result.status).toBe(0)
  })
})
