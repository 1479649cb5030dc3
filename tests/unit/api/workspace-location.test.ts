import { describe, expect, it } from 'vitest'
import { defaultWorkspaceFolder } from '../../../electron/api/workspace-location.ts'

describe('defaultWorkspaceFolder', () => {
  it('uses XDG_CONFIG_HOME on Linux like Electron', () => {
    expect(defaultWorkspaceFolder('linux', { XDG_CONFIG_HOME: '/x/conf' }, '/home/a')).toBe(
      '/x/conf/ResNet Workbench/workspace',
    )
  })

  it('falls back to ~/.config on Linux without XDG_CONFIG_HOME', () => {
    expect(defaultWorkspaceFolder('linux', {}, '/home/a')).toBe(
      '/home/a/.config/ResNet Workbench/workspace',
    )
  })

  it('uses Application Support on macOS', () => {
    expect(defaultWorkspaceFolder('darwin', {}, '/Users/a')).toBe(
      '/Users/a/Library/Application Support/ResNet Workbench/workspace',
    )
  })

  it('uses APPDATA on Windows', () => {
    const folder = defaultWorkspaceFolder(
      'win32',
      { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' },
      'C:\\Users\\a',
    )
    expect(folder).toContain('ResNet Workbench')
    expect(folder.startsWith('C:\\Users\\a\\AppData\\Roaming')).toBe(true)
  })
})
