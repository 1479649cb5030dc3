import { homedir } from 'node:os'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isSameToken, sessionCookie } from '../../../electron/server/auth.ts'
import { parseServeOptions } from '../../../electron/server/options.ts'

describe('serve options', () => {
  it('picks a free port and the home folder as the only root by default', () => {
    const options = parseServeOptions([])
    expect(options.port).toBe(0)
    expect(options.roots).toEqual([homedir()])
  })

  it('collects every --root and resolves it', () => {
    const options = parseServeOptions(['--root', 'a', '--root', '/b', '--port', '8123'])
    expect(options.roots).toEqual([resolve('a'), '/b'])
    expect(options.port).toBe(8123)
  })

  it('rejects a port that is not a number', () => {
    expect(() => parseServeOptions(['--port', 'http'])).toThrow(/not a port/)
  })
})

describe('the token', () => {
  it('matches only the exact token, including when lengths differ', () => {
    expect(isSameToken('abc', 'abc')).toBe(true)
    expect(isSameToken('abd', 'abc')).toBe(false)
    expect(isSameToken('ab', 'abc')).toBe(false)
  })

  it('lives in an HttpOnly, SameSite=Strict cookie named after the port', () => {
    expect(sessionCookie(8123, 't')).toBe(
      'workbench-token-8123=t; HttpOnly; SameSite=Strict; Path=/',
    )
  })
})
