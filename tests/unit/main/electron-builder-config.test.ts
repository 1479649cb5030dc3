import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

interface Schema {
  properties: Record<string, unknown>
  definitions: Record<string, { properties?: Record<string, unknown> }>
}

const readJson = <T>(path: string): T =>
  JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as T

const config = readJson<Record<string, unknown>>('../../../build/electron-builder.json')
const schema = readJson<Schema>('../../../node_modules/app-builder-lib/scheme.json')
const packageJson = readJson<{ scripts: Record<string, string> }>('../../../package.json')

/** Which schema definition describes each nested section we set. */
const SECTIONS: Record<string, string> = {
  directories: 'MetadataDirectories',
  electronFuses: 'FuseOptionsV1',
  linux: 'LinuxConfiguration',
  deb: 'DebOptions',
  win: 'WindowsConfiguration',
  nsis: 'NsisOptions',
  mac: 'MacConfiguration',
}

const section = (name: string): Record<string, unknown> => config[name] as Record<string, unknown>
const targets = (platform: string): unknown => section(platform)['target']

describe('build/electron-builder.json', () => {
  it('names the app', () => {
    expect(config['appId']).toMatch(/^[a-z0-9.-]+$/)
    expect(config['productName']).toBe('ResNet Workbench')
  })

  it('packs the built app and its manifest (production node_modules come along)', () => {
    expect(config['files']).toEqual(expect.arrayContaining(['out/**/*', 'package.json']))
  })

  it('unpacks native binaries of onnxruntime-node, better-sqlite3 and sharp from the asar', () => {
    expect(config['asarUnpack']).toEqual(
      expect.arrayContaining(['**/*.node', '**/*.so*', '**/*.dll', '**/*.dylib']),
    )
  })

  it('never rebuilds native modules: they are N-API prebuilds that serve Electron as they are', () => {
    expect(config['npmRebuild']).toBe(false)
    expect(config['nodeGypRebuild']).toBe(false)
  })

  it('targets AppImage and deb on Linux, NSIS on Windows, dmg on macOS', () => {
    expect(targets('linux')).toEqual(['AppImage', 'deb'])
    expect(targets('win')).toEqual(['nsis'])
    expect(targets('mac')).toEqual(['dmg'])
  })

  it('uses only keys electron-builder knows (its own JSON schema)', () => {
    for (const key of Object.keys(config)) expect(schema.properties, key).toHaveProperty([key])
    for (const [name, definition] of Object.entries(SECTIONS)) {
      const known = schema.definitions[definition].properties ?? {}
      for (const key of Object.keys(section(name)))
        expect(known, `${name}.${key}`).toHaveProperty([key])
    }
  })

  it('is what npm run dist builds with', () => {
    expect(packageJson.scripts['dist']).toMatch(
      /electron-builder .*--config build\/electron-builder\.json/,
    )
  })
})
