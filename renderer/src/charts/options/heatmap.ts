import type { EChartsOption, HeatmapSeriesOption } from 'echarts'
import { ChartDataError } from './chart-data.ts'
import type { ChartSpec } from './chart-data.ts'
import { axisStyle, formatNumber, frame, palette, topMargin } from './theme.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

export interface HeatmapMatrix {
  title?: string
  /** matrix[row][col]; null or NaN: no value (drawn grey, marked n/a). */
  values: (number | null)[][]
  /** Each cell's 95 % interval, shown in its tooltip (CKA over resampled minibatches). */
  interval?: { lower: (number | null)[][]; upper: (number | null)[][] }
}

export type HeatmapMode = 'absolute' | 'difference'

export interface HeatmapInput extends FrameOptions {
  panels: HeatmapMatrix[]
  rowLabels: string[]
  colLabels: string[]
  rowName: string
  colName: string
  /** What a cell holds, e.g. 'count', 'fraction of the true class', 'CKA'. */
  valueName: string
  /** The colour scale; null: from the data. Pass the same bounds to panels drawn side by side. */
  min: number | null
  max: number | null
  /** 'difference': a diverging scale centred on 0 (symmetric around it). */
  mode: HeatmapMode
  /** Write each value in its cell; 'auto' when the cells are few enough to read. */
  showValues?: boolean | 'auto'
}

export const isPresent = (v: number | null | undefined): v is number =>
  typeof v === 'number' && Number.isFinite(v)

/** The bounds of the finite values of several matrices: the shared scale of side-by-side panels. */
export function heatmapExtent(matrices: (number | null)[][][]): { min: number; max: number } {
  let min = Infinity
  let max = -Infinity
  for (const matrix of matrices)
    for (const row of matrix)
      for (const v of row)
        if (isPresent(v)) {
          min = Math.min(min, v)
          max = Math.max(max, v)
        }
  return Number.isFinite(min) ? { min, max } : { min: 0, max: 1 }
}

/** The scale a heatmap uses: the given bounds, or symmetric around 0 in difference mode. */
export function heatmapScale(input: HeatmapInput): { min: number; max: number } {
  const data = heatmapExtent(input.panels.map((p) => p.values))
  const min = input.min ?? data.min
  const max = input.max ?? data.max
  if (input.mode === 'difference') {
    const reach = Math.max(Math.abs(min), Math.abs(max)) || 1
    return { min: -reach, max: reach }
  }
  return max > min ? { min, max } : { min, max: min + 1 }
}

function cells(values: (number | null)[][], isMissing: boolean): [number, number, number][] {
  const out: [number, number, number][] = []
  values.forEach((row, r) =>
    row.forEach((v, c) => {
      if (isPresent(v) !== isMissing) out.push([c, r, isMissing ? 0 : (v as number)])
    }),
  )
  return out
}

function isWholeNumbers(input: HeatmapInput): boolean {
  return (
    input.mode === 'absolute' &&
    input.panels.every((panel) =>
      panel.values.every((row) => row.every((v) => !isPresent(v) || Number.isInteger(v))),
    )
  )
}

const SCALE_ROW = 36
const PANEL_TITLE_ROW = 22

// Room for the row labels and name on the left, the rotated column labels and name below.
const LABEL_MARGIN = { left: 70, right: 16, bottom: 72, gap: 40 }

interface PanelBox {
  left: string | number
  width: string | number
  top: number
  bottom?: number
  height?: number
}

function panelBoxes(count: number, top: number, hasTitles: boolean): PanelBox[] {
  const gap = 4
  const left = 4
  const right = 3
  const width = (100 - left - right - gap * (count - 1)) / count
  return Array.from({ length: count }, (_, i) => ({
    left: `${left + i * (width + gap)}%`,
    width: `${width}%`,
    top: top + SCALE_ROW + (hasTitles ? PANEL_TITLE_ROW : 0),
    bottom: 8,
  }))
}

/** Panels of square cells, centred in the space the drawing size leaves (a figure for a paper). */
function squarePanelBoxes(
  input: HeatmapInput,
  size: { width: number; height: number },
  top: number,
  hasTitles: boolean,
): PanelBox[] {
  const count = input.panels.length
  const panelTop = top + SCALE_ROW + (hasTitles ? PANEL_TITLE_ROW : 0)
  const { left, right, bottom, gap } = LABEL_MARGIN
  const slot = (size.width - left - right - gap * (count - 1)) / count
  const rows = input.rowLabels.length
  const cols = input.colLabels.length
  const cell = Math.max(1, Math.min(slot / cols, (size.height - panelTop - bottom) / rows))
  const width = cell * cols
  const used = count * width + gap * (count - 1)
  const start = left + (size.width - left - right - used) / 2
  return Array.from({ length: count }, (_, i) => ({
    left: start + i * (width + gap),
    width,
    top: panelTop,
    height: cell * rows,
  }))
}

/**
 * Decimals of the in-cell labels, one for the whole matrix: three digits below the power of ten
 * above its largest value and at most three (0.991 for CKA, 0.058 for a std), so labels fit their
 * cells and line up; the tooltip has four significant digits.
 */
export function cellDecimals(input: Pick<HeatmapInput, 'panels'>): number {
  const values = input.panels.flatMap((panel) => panel.values.flat()).filter(isPresent)
  const largest = Math.max(0, ...values.map(Math.abs))
  if (largest === 0 || values.every(Number.isInteger)) return 0
  return Math.min(3, Math.max(0, 3 - Math.ceil(Math.log10(largest))))
}

function cellLabel(value: number, decimals: number): string {
  return Number.isFinite(value) ? String(Number(value.toFixed(decimals))) : 'n/a'
}

export function heatmapOption(input: HeatmapInput, theme: ChartTheme): EChartsOption {
  const p = palette(theme)
  const scale = heatmapScale(input)
  const cellCount = input.rowLabels.length * input.colLabels.length * input.panels.length
  const showValues = input.showValues === 'auto' ? cellCount <= 300 : (input.showValues ?? false)
  const top = topMargin(input, false)
  const hasTitles = input.panels.some((panel) => panel.title)
  const boxes = input.size
    ? squarePanelBoxes(input, input.size, top, hasTitles)
    : panelBoxes(input.panels.length, top, hasTitles)
  const digits = isWholeNumbers(input) ? 0 : 3
  const decimals = cellDecimals(input)
  const axes = axisStyle(theme)
  const series: HeatmapSeriesOption[] = []
  input.panels.forEach((panel, i) => {
    series.push({
      type: 'heatmap',
      name: panel.title ?? input.valueName,
      xAxisIndex: i,
      yAxisIndex: i,
      data: cells(panel.values, false),
      label: {
        show: showValues,
        // Side-by-side panels leave about 30 px per cell at 10 columns: a smaller face keeps labels apart.
        fontSize: input.colLabels.length > 8 ? 9 : 11,
        fontFamily: p.fontFamily,
        formatter: (params) => cellLabel((params.value as number[])[2], decimals),
      },
      emphasis: { itemStyle: { borderColor: p.text, borderWidth: 1 } },
    })
    series.push({
      type: 'heatmap',
      name: 'n/a',
      xAxisIndex: i,
      yAxisIndex: i,
      data: cells(panel.values, true),
      itemStyle: { color: p.missing },
      label: { show: showValues, formatter: 'n/a', color: p.text, fontSize: 10 },
    })
  })
  return {
    ...frame(theme, input),
    grid: boxes,
    xAxis: boxes.map((_, i) => ({
      type: 'category' as const,
      gridIndex: i,
      data: input.colLabels,
      name: input.colName,
      nameLocation: 'middle' as const,
      position: 'bottom' as const,
      splitArea: { show: false },
      ...axes,
      axisLabel: { ...axes.axisLabel, rotate: input.colLabels.length > 8 ? 45 : 0 },
      splitLine: { show: false },
    })),
    yAxis: boxes.map((_, i) => ({
      type: 'category' as const,
      gridIndex: i,
      data: input.rowLabels,
      inverse: true,
      name: i === 0 ? input.rowName : '',
      nameLocation: 'middle' as const,
      ...axes,
      axisLabel: { ...axes.axisLabel, show: i === 0 },
      splitLine: { show: false },
    })),
    title: [
      ...[frame(theme, input).title].flat().filter((t) => t !== undefined),
      ...input.panels.map((panel, i) => ({
        text: panel.title ?? '',
        left: boxes[i].left,
        top: boxes[i].top - PANEL_TITLE_ROW,
        textStyle: { color: p.text, fontSize: 13, fontFamily: p.fontFamily },
      })),
    ],
    visualMap: [
      {
        type: 'continuous',
        min: scale.min,
        max: scale.max,
        // Across the top, the ends labelled: it fits any number of panels and any width.
        seriesIndex: input.panels.map((_, i) => 2 * i),
        orient: 'horizontal',
        left: 'center',
        top: top - 4,
        itemWidth: 12,
        itemHeight: 180,
        precision: digits,
        text: [formatNumber(scale.max, 3), `${input.valueName}   ${formatNumber(scale.min, 3)}`],
        textStyle: { color: p.text, fontFamily: p.fontFamily },
        inRange: { color: input.mode === 'difference' ? p.diverging : p.sequential },
      },
      {
        type: 'continuous',
        show: false,
        min: 0,
        max: 1,
        seriesIndex: input.panels.map((_, i) => 2 * i + 1),
        inRange: { color: [p.missing, p.missing] },
      },
    ],
    tooltip: {
      ...(frame(theme, input).tooltip as object),
      trigger: 'item',
      formatter: (params) => {
        const item = Array.isArray(params) ? params[0] : params
        const [c, r, v] = item.value as number[]
        const panel = input.panels[Math.floor(item.seriesIndex! / 2)]
        const where = `${input.rowName} ${input.rowLabels[r]} → ${input.colName} ${input.colLabels[c]}`
        const value = item.seriesName === 'n/a' ? 'n/a' : formatNumber(v, 4)
        const lower = panel?.interval?.lower[r]?.[c]
        const upper = panel?.interval?.upper[r]?.[c]
        const interval =
          isPresent(lower) && isPresent(upper)
            ? `<br>95 % interval ${formatNumber(lower, 4)} – ${formatNumber(upper, 4)}`
            : ''
        return `${panel?.title ? `${panel.title}<br>` : ''}${where}<br>${input.valueName}: ${value}${interval}`
      },
    },
    series,
  }
}

/** A 'matrix' chart: the request's own values as one heatmap panel (CKA matrices). */
export function matrixOption(
  spec: ChartSpec,
  theme: ChartTheme,
  frameOptions: FrameOptions = {},
): EChartsOption {
  const m = spec.matrix
  if (!m) throw new ChartDataError("A 'matrix' chart needs its matrix.")
  return heatmapOption(
    {
      ...frameOptions,
      panels: [{ values: m.values }],
      rowLabels: m.rowKeys,
      colLabels: m.columnKeys,
      rowName: '',
      colName: '',
      valueName: m.valueName,
      min: m.min,
      max: m.max,
      mode: m.mode,
      showValues: 'auto',
    },
    theme,
  )
}
