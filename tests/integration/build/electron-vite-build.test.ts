import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// Electron cannot start on CI: what it would load is checked on the bundles instead.
const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const ELECTRON_VITE = join(ROOT, 'node_modules', '.bin', 'electron-vite')
const out = mkdtempSync(join(tmpdir(), 'electron-vite-build-'))

const read = (path: string): string => readFileSync(join(out, path), 'utf8')

/** Bare module specifiers a bundle imports statically or dynamically. */
function bareImports(code: string): Set<string> {
  const found = new Set<string>()
  const patterns = [
    /\bfrom\s*"([^"]+)"/g,
    /\bimport\s*\(\s*"([^"]+)"\s*\)/g,
    /\brequire\("([^"]+)"\)/g,
  ]
  for (const pattern of patterns)
    for (const match of code.matchAll(pattern)) if (!match[1].startsWith('.')) found.add(match[1])
  return found
}

/** Every bare import reachable from an entry through its relative imports (chunks). */
function reachableImports(entry: string): Set<string> {
  const seen = new Set<string>()
  const found = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    const code = readFileSync(file, 'utf8')
    for (const name of bareImports(code)) found.add(name)
    for (const match of code.matchAll(/(?:from\s*|import\s*\(\s*)"(\.[^"]+)"/g))
      visit(join(dirname(file), match[1]))
  }
  visit(entry)
  return found
}

/** Files main/index.js hands to utilityProcess.fork / new Worker (electron-vite `?modulePath`). */
function modulePathEntries(): string[] {
  const names = read('main/index.js').matchAll(/"\.\/(chunks\/[\w.-]+\.js)"/g)
  return [...new Set([...names].map((m) => m[1]))]
}

beforeAll(async () => {
  await promisify(execFile)(ELECTRON_VITE, ['build', '--outDir', out, '--logLevel', 'warn'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
  })
}, 180_000)

afterAll(() => rmSync(out, { recursive: true, force: true }))

describe('electron-vite build', () => {
  it('writes the main process bundle with native modules and electron left external', () => {
    expect(existsSync(join(out, 'main/index.js'))).toBe(true)
    const imports = bareImports(read('main/index.js'))
    for (const name of ['electron', 'better-sqlite3', 'sharp']) expect(imports).toContain(name)
  })

  it('keeps onnxruntime-node out of the main process: only the engine entry reaches it', () => {
    expect(reachableImports(join(out, 'main/index.js'))).not.toContain('onnxruntime-node')
    const engine = modulePathEntries().find((path) => /chunks\/main-/.test(path))
    expect(engine, 'engine entry referenced from main/index.js').toBeDefined()
    expect(reachableImports(join(out, 'main', engine ?? ''))).toContain('onnxruntime-node')
  })

  it('bundles no copy of a native module or its binding code', () => {
    const main = read('main/index.js')
    expect(main).not.toMatch(/node_modules[\\/](better-sqlite3|sharp|onnxruntime-node)/)
    expect(main).not.toMatch(/\.node"\)/)
  })

  it('writes the engine, the preprocessing worker and the eigenvalue worker as their own files', () => {
    const entries = modulePathEntries()
    expect(entries.some((path) => /chunks\/main-[\w]+\.js$/.test(path))).toBe(true)
    expect(entries.some((path) => /chunks\/preprocess-worker-[\w]+\.js$/.test(path))).toBe(true)
    expect(entries.some((path) => /chunks\/eigenvalue-worker-[\w]+\.js$/.test(path))).toBe(true)
    for (const path of entries) expect(existsSync(join(out, 'main', path)), path).toBe(true)
    const worker = join(out, 'main', entries.find((p) => p.includes('preprocess-worker')) ?? '')
    expect(reachableImports(worker)).toContain('sharp')
    const eigen = join(out, 'main', entries.find((p) => p.includes('eigenvalue-worker')) ?? '')
    expect(reachableImports(eigen)).not.toContain('onnxruntime-node')
  })

  it('writes a CommonJS preload (a sandboxed preload cannot be a module)', () => {
    const preload = read('preload/index.cjs')
    expect(preload).not.toMatch(/^\s*(import|export)\s/m)
    expect(preload).toMatch(/require\("electron"\)/)
    expect(preload).toMatch(/exposeInMainWorld\("workbench"/)
  })

  it('writes the renderer page with its assets and no inline script', () => {
    const html = read('renderer/index.html')
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    expect(scripts.length).toBeGreaterThan(0)
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="/)
      expect(body.trim()).toBe('')
    }
    expect(html).not.toMatch(/\son[a-z]+="/)
    expect(html).toMatch(/Content-Security-Policy/)
    expect(html).not.toMatch(/unsafe-eval/)
    const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1])
    expect(assets.length).toBeGreaterThanOrEqual(2)
    for (const asset of assets) expect(existsSync(join(out, 'renderer', asset)), asset).toBe(true)
  })

  it('uses relative asset URLs so the page also loads from file:// inside the asar', () => {
    expect(read('renderer/index.html')).not.toMatch(/(?:src|href)="\/assets\//)
  })
})
