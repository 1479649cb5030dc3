import type { EChartsOption } from 'echarts'

export type ChartTheme = 'light' | 'dark'

export interface ChartPalette {
  background: string
  text: string
  muted: string
  axisLine: string
  splitLine: string
  /** Series colours, distinguishable in both themes and for common colour-vision deficiencies. */
  series: string[]
  /** Low → high, perceptually uniform (viridis). */
  sequential: string[]
  /** Negative → 0 → positive, the middle close to the background. */
  diverging: string[]
  missing: string
  /** The pinned baseline when drawn as bars or a line of its own. */
  baseline: string
  fontFamily: string
}

export const CHART_FONT = "'DejaVu Sans', 'Liberation Sans', sans-serif"

const LIGHT: ChartPalette = {
  background: '#ffffff',
  text: '#1b1f24',
  muted: '#5b6470',
  axisLine: '#8a93a0',
  splitLine: '#e4e7ec',
  series: ['#2563eb', '#d97706', '#059669', '#c026d3', '#dc2626', '#0891b2', '#65a30d', '#7c3aed'],
  sequential: ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'],
  diverging: ['#2166ac', '#67a9cf', '#f7f7f7', '#ef8a62', '#b2182b'],
  missing: '#b9bec6',
  baseline: '#6b7280',
  fontFamily: CHART_FONT,
}

const DARK: ChartPalette = {
  background: '#1e2228',
  text: '#e6e9ee',
  muted: '#9aa3ae',
  axisLine: '#6b7480',
  splitLine: '#2f353e',
  series: ['#6ea0ff', '#fbbf24', '#34d399', '#e879f9', '#f87171', '#22d3ee', '#a3e635', '#a78bfa'],
  sequential: ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'],
  diverging: ['#4393c3', '#92c5de', '#3a3f47', '#f4a582', '#d6604d'],
  missing: '#5a616b',
  baseline: '#9ca3af',
  fontFamily: CHART_FONT,
}

export function palette(theme: ChartTheme): ChartPalette {
  return theme === 'dark' ? DARK : LIGHT
}

export function seriesColor(theme: ChartTheme, index: number): string {
  const colors = palette(theme).series
  return colors[index % colors.length]
}

/** Axis styling shared by every cartesian chart: legible names, quiet lines. */
export function axisStyle(theme: ChartTheme) {
  const p = palette(theme)
  return {
    // The name sits just past the tick labels, however wide or rotated they are.
    nameMoveOverlap: true,
    nameGap: 12,
    nameTextStyle: { color: p.text, fontSize: 13, fontFamily: p.fontFamily, textMargin: 10 },
    axisLabel: { color: p.muted, fontSize: 12, fontFamily: p.fontFamily },
    axisLine: { lineStyle: { color: p.axisLine } },
    axisTick: { lineStyle: { color: p.axisLine } },
    splitLine: { lineStyle: { color: p.splitLine } },
  }
}

export interface FrameOptions {
  title?: string | null
  /** A line under the title saying what the figure shows (checkpoints, images, n). */
  caption?: string | null
  /** Generated inputs: the figure says so wherever it goes. */
  isSynthetic?: boolean
  /** The size it is drawn at, when known (exports): heatmaps then make their cells square. */
  size?: { width: number; height: number } | null
}

/** The parts every option shares: background, font, title and the synthetic mark. */
export function frame(theme: ChartTheme, frameOptions: FrameOptions = {}): EChartsOption {
  const p = palette(theme)
  const title = frameOptions.title ?? ''
  const subtext = [frameOptions.caption ?? '', frameOptions.isSynthetic ? 'synthetic data' : '']
    .filter((part) => part !== '')
    .join(' · ')
  return {
    backgroundColor: p.background,
    textStyle: { color: p.text, fontFamily: p.fontFamily },
    color: p.series,
    animation: false,
    title:
      title || subtext
        ? {
            text: title,
            subtext,
            left: 'center',
            top: 6,
            textStyle: {
              color: p.text,
              fontSize: 15,
              fontWeight: 'bold',
              fontFamily: p.fontFamily,
            },
            subtextStyle: {
              color: frameOptions.isSynthetic ? '#a855f7' : p.muted,
              fontSize: 12,
              fontFamily: p.fontFamily,
            },
          }
        : { show: false },
    tooltip: {
      backgroundColor: p.background,
      borderColor: p.axisLine,
      textStyle: { color: p.text, fontFamily: p.fontFamily },
    },
  }
}

/** Lines the title block takes: the title, then one line for the caption and synthetic mark. */
function titleRows(frameOptions: FrameOptions): number {
  const hasSubtext = Boolean(frameOptions.caption) || frameOptions.isSynthetic === true
  return (frameOptions.title ? 1 : 0) + (hasSubtext ? 1 : 0)
}

/** Top margin that leaves room for the title and legend when they are shown. */
export function topMargin(frameOptions: FrameOptions, hasLegend: boolean): number {
  return 16 + titleRows(frameOptions) * 22 + (hasLegend ? 30 : 0)
}

export function legend(theme: ChartTheme, frameOptions: FrameOptions, names: string[]) {
  const p = palette(theme)
  return {
    show: names.length > 1,
    type: 'scroll' as const,
    top: 8 + titleRows(frameOptions) * 22,
    left: 'center',
    itemGap: 18,
    data: names,
    textStyle: { color: p.text, fontSize: 12, fontFamily: p.fontFamily },
    pageTextStyle: { color: p.muted },
    inactiveColor: p.splitLine,
  }
}

export function formatNumber(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return 'n/a'
  if (value === 0) return '0'
  const abs = Math.abs(value)
  if (abs >= 1e4 || abs < 1e-3) return value.toExponential(2).replace(/\.?0+e/, 'e')
  return Number(value.toPrecision(digits)).toString()
}
