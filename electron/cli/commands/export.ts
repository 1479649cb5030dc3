import { runIdOf } from '../lookups.ts'
import { extname } from 'node:path'
import { InvalidArgumentError, Option } from 'commander'
import type { Command } from 'commander'
import type { ChartExportRequest, ChartKind, ExportedFile } from '../../api/contract/index.ts'
import { exportBulk } from '../../api/export/bulk.ts'
import { exportChart, exportData } from '../../api/export/index.ts'
import { chartFileName } from '../../api/export/files.ts'
import { CHART_KINDS } from '../../api/contract/index.ts'
import type { WorkbenchService } from '../../api/service.ts'
import { formatBytes } from '../format.ts'
import { readMatrixFile } from '../matrix-file.ts'
import { readGalleryFile, readSweepFile } from '../robustness-chart-files.ts'
import { positiveInteger } from '../job-options.ts'
import type { Output } from '../output.ts'
import { withService } from '../service-host.ts'

interface ChartOptions {
  kind: ChartKind
  result: number[]
  baseline?: number
  run: string[]
  baselineRun?: string
  matrix?: string
  sweep?: string
  gallery?: string
  option: [string, string | number | boolean][]
  format?: 'svg' | 'png'
  theme: 'light' | 'dark'
  width: number
  height: number
  out?: string
}

const collect =
  <T>(parse: (v: string) => T) =>
  (value: string, previous: T[]) => [...previous, parse(value)]

function optionPair(text: string): [string, string | number | boolean] {
  const match = /^([^=]+)=(.*)$/.exec(text)
  if (!match) throw new InvalidArgumentError(`Expected name=value, got '${text}'.`)
  const value = match[2]
  if (value === 'true' || value === 'false') return [match[1], value === 'true']
  return [match[1], value !== '' && Number.isFinite(Number(value)) ? Number(value) : value]
}

function imageFormat(options: ChartOptions): 'svg' | 'png' {
  if (options.format) return options.format
  return extname(options.out ?? '').toLowerCase() === '.png' ? 'png' : 'svg'
}

function chartRequest(service: WorkbenchService, options: ChartOptions): ChartExportRequest {
  const extra = Object.fromEntries(options.option)
  if (options.baselineRun !== undefined)
    extra['baselineRun'] = runIdOf(service, options.baselineRun)
  return {
    chart: options.kind,
    resultIds: options.result,
    baselineResultId: options.baseline ?? null,
    runIds: options.run.map((run) => runIdOf(service, run)),
    options: extra,
    theme: options.theme,
    format: imageFormat(options),
    width: options.width,
    height: options.height,
    ...(options.matrix === undefined ? {} : { matrix: readMatrixFile(options.matrix) }),
    ...(options.sweep === undefined ? {} : { sweep: readSweepFile(service, options.sweep) }),
    ...(options.gallery === undefined ? {} : { gallery: readGalleryFile(options.gallery) }),
  }
}

function report(file: ExportedFile, out: Output): void {
  const bytes = Buffer.byteLength(file.content, file.encoding)
  if (out.isJson)
    return out.json({ fileName: file.fileName, mimeType: file.mimeType, path: file.path, bytes })
  out.text(`wrote ${file.path} (${file.mimeType}, ${formatBytes(bytes)})`)
}

function registerChart(parent: Command): void {
  parent
    .command('chart')
    .description('render a chart of stored results (or runs) to SVG or PNG, as the app draws it')
    .addOption(
      new Option('-k, --kind <chart>', 'chart kind').choices(CHART_KINDS).makeOptionMandatory(),
    )
    .option(
      '-r, --result <id>',
      'a result to show (repeat for several)',
      collect(positiveInteger),
      [],
    )
    .option(
      '-b, --baseline <id>',
      'the baseline result (default: the first result)',
      positiveInteger,
    )
    .option(
      '--run <run>',
      "a run for 'metric-curves', id or name (repeat for several)",
      collect(String),
      [],
    )
    .option('--baseline-run <run>', "the baseline run of 'metric-curves', drawn dashed")
    .option(
      '--matrix <file.json>',
      "the values of a 'matrix' chart: the output of 'cka --json' (its first matrix) or a ChartMatrix",
    )
    .option(
      '--sweep <file.json>',
      "the sweep of a 'corruption-bars' or 'severity-curves' chart: the output of 'corrupt --json' (options mode=difference, corruption=fog)",
    )
    .option(
      '--gallery <file.json>',
      "a 'corruption-gallery' figure: the gallery request (dataset, position, preprocessing, corruptions, seed, padding)",
    )
    .option(
      '-o, --option <name=value>',
      'a view option: role=loss (loss, accuracy or lr, whatever the run names it), metric=test_acc, split=test, smoothing=0.6, logY=true, x=step, group=seeds, tap=layer2.1, mode=difference, normalize=true, title=…, pixelRatio=2 (PNG with twice the pixels)',
      collect(optionPair),
      [],
    )
    .addOption(
      new Option('-f, --format <format>', 'image format (default: from --out, else svg)').choices([
        'svg',
        'png',
      ]),
    )
    .addOption(
      new Option('-t, --theme <theme>', 'colour theme').choices(['light', 'dark']).default('light'),
    )
    .option('--width <px>', 'width in pixels', positiveInteger, 1200)
    .option('--height <px>', 'height in pixels', positiveInteger, 700)
    .option('--out <file>', 'where to write (default: a name from the chart and ids, here)')
    .action(async (options: ChartOptions, command: Command) => {
      await withService(command, async (service, out) => {
        const request = chartRequest(service, options)
        report(await exportChart(service, request, options.out ?? chartFileName(request)), out)
      })
    })
}

function registerData(parent: Command): void {
  parent
    .command('data')
    .description('one stored result as tidy CSV or as JSON (payload + provenance)')
    .requiredOption('-r, --result <id>', 'the result', positiveInteger)
    .addOption(
      new Option('-f, --format <format>', 'data format (default: from --out, else csv)').choices([
        'csv',
        'json',
      ]),
    )
    .option('--out <file>', 'where to write (default: standard output)')
    .action(
      async (
        options: { result: number; format?: 'csv' | 'json'; out?: string },
        command: Command,
      ) => {
        await withService(command, async (service, out) => {
          const format =
            options.format ?? (options.out?.toLowerCase().endsWith('.json') ? 'json' : 'csv')
          const file = await exportData(service, options.result, format, options.out ?? null)
          if (file.path) return report(file, out)
          process.stdout.write(file.content)
        })
      },
    )
}

function registerBulk(parent: Command): void {
  parent
    .command('bulk')
    .description('every result of a run (or of the workspace) as one tidy CSV')
    .option('--run <run>', 'only this run (id or name)')
    .requiredOption('--out <file>', 'the CSV to write')
    .action(async (options: { run?: string; out: string }, command: Command) => {
      await withService(command, async (service, out) => {
        const runId = options.run === undefined ? null : runIdOf(service, options.run)
        const written = await exportBulk(service, runId, options.out)
        if (out.isJson) return out.json(written)
        out.text(`wrote ${written.path}: ${written.rows} rows from ${written.results} results`)
      })
    })
}

export function registerExport(program: Command): void {
  const parent = program
    .command('export')
    .description('export charts and stored results (SVG, PNG, CSV, JSON)')
  registerChart(parent)
  registerData(parent)
  registerBulk(parent)
}
