import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportChart } from '../../../electron/api/export/index.ts'
import { parseTidyCsv } from '../../../electron/api/export/tidy-csv.ts'
import { createExportWorkspace } from './workspace.ts'
import type { ExportWorkspace } from './workspace.ts'

const repo = fileURLToPath(new URL('../../../', import.meta.url))
let ws: ExportWorkspace

beforeAll(async () => {
  ws = await createExportWorkspace()
})

afterAll(() => ws.dispose())

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const workspace = join(ws.folder, 'ws')
  return spawnSync(process.execPath, ['bin/resnet-workbench.js', '-w', workspace, ...args], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
}

describe('resnet-workbench export', () => {
  it('renders a chart of several results to a PNG of the asked size', async () => {
    const out = join(ws.folder, 'cli', 'per-class.png')
    const [a, b] = ws.evaluations.map(String)
    const result = cli(
      'export',
      'chart',
      '--kind',
      'per-class',
      '--result',
      a,
      '--result',
      b,
      '--option',
      'mode=difference',
      '--theme',
      'dark',
      '--width',
      '800',
      '--height',
      '500',
      '--out',
      out,
    )
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain(`wrote ${out}`)
    const meta = await sharp(readFileSync(out)).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 800, 500])
  })

  it('renders metric curves of runs named on the command line to SVG', () => {
    const out = join(ws.folder, 'cli', 'curves.svg')
    const result = cli(
      '--json',
      'export',
      'chart',
      '--kind',
      'metric-curves',
      '--run',
      'baseline',
      '--run',
      'seed0',
      '--run',
      'seed1',
      '--baseline-run',
      'baseline',
      '--option',
      'group=seeds',
      '--option',
      'split=test',
      '--out',
      out,
    )
    expect(result.status).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ mimeType: 'image/svg+xml', path: out })
    const svg = readFileSync(out, 'utf8')
    expect(svg).toContain('seeds (mean ± std, 2 runs)')
    expect(svg).toContain('accuracy (test)')
  })

  it('prints one result as tidy CSV on standard output', () => {
    const id = ws.activationStats[0]
    const result = cli('export', 'data', '--result', String(id))
    expect(result.status).toBe(0)
    const [parsed] = parseTidyCsv(result.stdout)
    expect(parsed.payload).toEqual(ws.service.getResult(id).payload)
  })

  it('writes JSON when the output file ends in .json, with sizes in binary units', () => {
    const id = ws.activationStats[0]
    const out = join(ws.folder, 'cli', `result-${id}.json`)
    const result = cli('export', 'data', '--result', String(id), '--out', out)
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/\(application\/json, [\d.]+ (B|KiB|MiB)\)/)
    const written = JSON.parse(readFileSync(out, 'utf8')) as { payload: unknown }
    expect(written.payload).toEqual(ws.service.getResult(id).payload)
  })

  it("writes a run's results in bulk and says how many rows", () => {
    const out = join(ws.folder, 'cli', 'baseline.csv')
    const result = cli('--json', 'export', 'bulk', '--run', 'baseline', '--out', out)
    expect(result.status).toBe(0)
    const report = JSON.parse(result.stdout) as { rows: number; results: number }
    expect(report.results).toBe(3)
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(report.rows + 1)
  })

  it("draws the first matrix of 'cka --json' as the app's CKA heatmap, byte for byte", async () => {
    const cka = {
      matrices: [
        {
          rowLabel: 'a',
          columnLabel: 'b',
          rowKeys: ['stem', 'pooled'],
          columnKeys: ['stem', 'pooled'],
          values: [
            [1, 0.25],
            [0.25, null],
          ],
        },
      ],
    }
    const json = join(ws.folder, 'cka.json')
    writeFileSync(json, JSON.stringify(cka))
    const out = join(ws.folder, 'cli', 'cka.svg')
    const args = ['--kind', 'matrix', '--matrix', json, '--option', 'title=a vs b', '--out', out]
    const result = cli('export', 'chart', ...args)
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const app = await exportChart(
      ws.service,
      {
        chart: 'matrix',
        resultIds: [],
        baselineResultId: null,
        runIds: [],
        options: { title: 'a vs b' },
        matrix: {
          ...cka.matrices[0],
          valueName: 'CKA',
          min: 0,
          max: 1,
          mode: 'absolute',
        },
        theme: 'light',
        format: 'svg',
        width: 1200,
        height: 700,
      },
      null,
    )
    expect(readFileSync(out, 'utf8')).toBe(app.content)
    expect(app.content).toContain('n/a')
  })

  it('names a matrix file that is not JSON and how to write one', () => {
    const bad = join(ws.folder, 'not.json')
    writeFileSync(bad, 'no')
    const result = cli('export', 'chart', '--kind', 'matrix', '--matrix', bad)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(`'${bad}' is not a readable JSON file`)
    expect(result.stderr).toContain('cka --json')
  })

  it('refuses an unknown chart kind before opening anything', () => {
    const result = cli('export', 'chart', '--kind', 'pie', '--result', '1')
    expect(result.status).toBe(2)
    expect(result.stderr).toContain("'pie'")
  })

  it('names a missing result with its code', () => {
    const result = cli('export', 'data', '--result', '999', '--format', 'json')
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/^Error \[NOT_IN_WORKSPACE\]: No result 999/)
  })
})
