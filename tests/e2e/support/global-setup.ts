import { execFile } from 'node:child_process'
import { mkdir, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ensureSharedFixtures } from './fixtures.ts'
import { ARTIFACTS, CHROMIUM, RENDERER_OUT, ROOT } from './paths.ts'

/** What the renderer bundle is built from (it imports the contract and @analysis). */
const SOURCES = [
  'renderer',
  'electron/api/contract',
  'native-models/analysis',
  'electron.vite.config.ts',
]

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => null)
  if (!info) return 0
  if (!info.isDirectory()) return info.mtimeMs
  const entries = await readdir(path)
  const times = await Promise.all(entries.map((entry) => newestMtime(join(path, entry))))
  return Math.max(info.mtimeMs, ...times)
}

/** Builds out/ with electron-vite when out/renderer is missing or older than its sources. */
async function ensureRendererBuilt(): Promise<void> {
  const built = await newestMtime(join(RENDERER_OUT, 'index.html'))
  const sources = Math.max(...(await Promise.all(SOURCES.map((s) => newestMtime(join(ROOT, s))))))
  if (built > sources) return
  process.stdout.write(
    `e2e: building the renderer (out/renderer is ${built ? 'stale' : 'missing'})\n`,
  )
  try {
    const electronVite = join(ROOT, 'node_modules/.bin/electron-vite')
    await promisify(execFile)(electronVite, ['build', '--logLevel', 'warn'], { cwd: ROOT })
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? ''
    throw new Error(`electron-vite build failed, so the browser tests cannot run:\n${stderr}`, {
      cause: error,
    })
  }
}

export default async function setup(): Promise<void> {
  if (!(await stat(CHROMIUM).catch(() => null))) {
    throw new Error(`No Chromium at '${CHROMIUM}': apt-get install chromium, or set E2E_CHROMIUM.`)
  }
  await mkdir(ARTIFACTS, { recursive: true })
  await ensureRendererBuilt()
  await ensureSharedFixtures()
}
