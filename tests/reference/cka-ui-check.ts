// Opens the CKA view of a running web host in Debian's Chromium, computes one comparison with the
// form's defaults, takes screenshots (the page, the compared panel as <out>-panel.png and, when
// shown, the structure diagram as <out>-structure.png), downloads the heatmap's CSV and compares every cell with
// the matrix `cka --json` wrote for the same request (same checkpoints, --limit 1024, default n).
// Not part of CI: it checks the UI on the reference runs, next to cka_torch_check.py.
//
//   npm run build && npm run serve -- --workspace W --port 5177     (prints the URL with its token)
//   node bin/resnet-workbench.js --workspace W cka seed0@3 --vs seed1@3 --limit 1024 --json > pair.json
//   node tests/reference/cka-ui-check.ts --url 'http://127.0.0.1:5177/?token=…' --kind pair \
//     --checkpoints 5,11 --json pair.json --out pair.png
//
// --kind within|pair|timeline; --checkpoints: ids (pair: rows, then columns; timeline: the
// reference). The compared panel is the within heatmap, the pair heatmap, or the timeline's
// epoch × epoch grid (`cka --timeline --json` holds it as its matrix). Exit status 1 on a
// difference above 1e-6 (the CSV carries full doubles).
import { readFile, writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'
import type { Page } from 'playwright-core'

const PANELS = {
  within: 'cka-heatmap-within',
  pair: 'cka-heatmap-pair',
  timeline: 'cka-heatmap-grid',
}
type Kind = keyof typeof PANELS

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    kind: { type: 'string', default: 'within' },
    checkpoints: { type: 'string' },
    json: { type: 'string' },
    out: { type: 'string', default: 'cka-ui.png' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
})
if (args.url === undefined || args.checkpoints === undefined || args.json === undefined) {
  console.error(
    'usage: cka-ui-check.ts --url <serve URL> --kind <kind> --checkpoints a[,b] --json <cka --json file>',
  )
  process.exit(2)
}
const kind = args.kind as Kind
if (!(kind in PANELS)) throw new Error(`--kind ${kind}: one of ${Object.keys(PANELS).join(', ')}.`)

const byTestId = (id: string): string => `[data-testid="${id}"]`

async function computeInView(page: Page): Promise<void> {
  await page.goto(args.url!) // the token URL sets the session cookie
  await page.locator(byTestId('nav-home')).waitFor()
  const route = `/cka?checkpoints=${args.checkpoints}&kind=${kind}`
  await page.evaluate((hash) => (location.hash = hash), route)
  await page.locator(byTestId('cka-view')).waitFor()
  const start = page.locator(byTestId('cka-start'))
  await page.waitForFunction(
    (s) => !document.querySelector<HTMLButtonElement>(s)?.disabled,
    byTestId('cka-start'),
  )
  await start.click()
  await page.locator(byTestId('cka-results')).waitFor({ timeout: 600_000 })
  await page
    .locator(`${byTestId(PANELS[kind])} canvas`)
    .first()
    .waitFor()
  await page.waitForTimeout(1000) // the heatmap's entry animation
}

interface Grid {
  rowKeys: string[]
  columnKeys: string[]
  values: (number | null)[][]
}

/** The panel's CSV (row,column,value in row order) as a grid. */
async function csvOfPanel(page: Page): Promise<Grid> {
  const download = page.waitForEvent('download')
  await page.locator(byTestId(`${PANELS[kind]}-csv`)).click()
  const text = await readFile(await (await download).path(), 'utf8')
  const grid: Grid = { rowKeys: [], columnKeys: [], values: [] }
  for (const line of text.trim().split('\n').slice(1)) {
    const [row, column, value] = line.split(',')
    if (!grid.rowKeys.includes(row)) grid.rowKeys.push(row)
    if (!grid.columnKeys.includes(column)) grid.columnKeys.push(column)
    const i = grid.rowKeys.indexOf(row)
    ;(grid.values[i] ??= []).push(value === '' ? null : Number(value))
  }
  return grid
}

interface CkaJson {
  matrices: { rowKeys: string[]; columnKeys: string[]; values: (number | null)[][] }[]
}

const browser = await chromium.launch({
  executablePath: args.chromium,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
})
try {
  const page = await browser.newPage({
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  })
  await computeInView(page)
  await page.screenshot({ path: args.out })
  const besides = (suffix: string): string => args.out.replace(/(\.png)?$/, `-${suffix}.png`)
  await page.locator(byTestId(PANELS[kind])).screenshot({ path: besides('panel') })
  const structure = page.locator(byTestId('cka-structure'))
  if ((await structure.count()) > 0) await structure.screenshot({ path: besides('structure') })
  const ui = await csvOfPanel(page)
  const expected = (JSON.parse(await readFile(args.json, 'utf8')) as CkaJson).matrices[0]
  // The timeline grid is labelled by epoch in the UI and by checkpoint in the JSON: same order.
  if (kind !== 'timeline') {
    const same = (a: string[], b: string[]): boolean => a.join() === b.join()
    if (!same(ui.rowKeys, expected.rowKeys) || !same(ui.columnKeys, expected.columnKeys))
      throw new Error(`The UI's keys ${ui.rowKeys.join(' ')} differ from the JSON's.`)
  }
  let worst = 0
  let compared = 0
  expected.values.forEach((row, i) =>
    row.forEach((value, j) => {
      const shown = ui.values[i]?.[j]
      if (shown === undefined) throw new Error(`The UI has no cell (${i}, ${j}).`)
      compared += 1
      const isSame = value === null || shown === null ? value === shown : true
      worst = Math.max(worst, !isSame ? Infinity : Math.abs((value ?? 0) - (shown ?? 0)))
    }),
  )
  const cells = ui.values.reduce((sum, row) => sum + row.length, 0)
  const line = `${kind} ${args.checkpoints}: ${compared} cells of the UI's ${PANELS[kind]} CSV against ${args.json}: largest difference ${worst.toExponential(1)}; screenshot ${args.out}`
  console.log(line)
  await writeFile(`${args.out}.txt`, `${line}\n`)
  process.exitCode = worst <= 1e-6 && compared === cells ? 0 : 1
} finally {
  await browser.close()
}
