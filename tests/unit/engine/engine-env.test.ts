import { describe, expect, it } from 'vitest'
import { engineEnvironment } from '../../../native-models/engine/engine-env.ts'

describe('engineEnvironment', () => {
  it('asks glibc for huge pages on Linux and keeps the rest of the environment', () => {
    const env = engineEnvironment({ PATH: '/bin', HOME: '/root' }, 'linux')
    expect(env).toEqual({ PATH: '/bin', HOME: '/root', GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' })
  })

  it('appends to the tunables the user set', () => {
    const env = engineEnvironment({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, 'linux')
    expect(env.GLIBC_TUNABLES).toBe('glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1')
  })

  it("keeps the user's own huge-page choice", () => {
    const env = engineEnvironment({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }, 'linux')
    expect(env.GLIBC_TUNABLES).toBe('glibc.malloc.hugetlb=0')
  })

  it('leaves the environment alone on Windows and macOS', () => {
    const env = { PATH: 'C:\\Windows' }
    expect(engineEnvironment(env, 'win32')).toBe(env)
    expect(engineEnvironment(env, 'darwin')).toBe(env)
  })

  it('does not modify the environment it was given', () => {
    const env = { PATH: '/bin' }
    engineEnvironment(env, 'linux')
    expect(env).toEqual({ PATH: '/bin' })
  })
})
