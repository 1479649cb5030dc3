import type { EChartsOption } from 'echarts'
import { activationBarsOption } from './activation-bars.ts'
import type { ChartKind } from '../../../../electron/api/contract/index.ts'
import { ChartDataError } from './chart-data.ts'
import { compressionBitsOption, compressionSweepOption } from './compression-charts.ts'
import { compressionTrajectoryOption } from './compression-trajectory.ts'
import type { ChartData, ChartSpec } from './chart-data.ts'
import { confusionOption } from './confusion.ts'
import { gradientLayersOption, gradientTrajectoryOption } from './gradient-charts.ts'
import { matrixOption } from './heatmap.ts'
import { metricCurvesOption } from './metric-curves.ts'
import { perClassOption } from './per-class.ts'
import { probeAccuracyOption, probeCkaOption } from './probe-charts.ts'
import { reliabilityOption } from './reliability.ts'
import { corruptionGalleryOption } from './corruption-gallery.ts'
import { corruptionBarsOption, severityCurvesOption } from './sweep-charts.ts'
import { t3aDomainsOption, t3aSupportsOption } from './t3a-charts.ts'
import { tapHistogramOption } from './tap-histogram.ts'
import {
  weightGeometryTrajectoryOption,
  weightOrthogonalityOption,
  weightSpectraOption,
} from './weight-geometry-charts.ts'
import { weightNoiseOption } from './weight-noise.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

type ChartBuilder = (
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frame: FrameOptions,
) => EChartsOption

/** Every chart kind's option builder, one line each. */
const CHART_OPTIONS: { readonly [K in ChartKind]: ChartBuilder } = {
  'metric-curves': (spec, data, theme, frame) => metricCurvesOption(spec, data.runs, theme, frame),
  reliability: reliabilityOption,
  confusion: confusionOption,
  'per-class': perClassOption,
  'layer-bars': activationBarsOption,
  'tap-histogram': tapHistogramOption,
  matrix: (spec, _data, theme, frame) => matrixOption(spec, theme, frame),
  'weight-noise': weightNoiseOption,
  'corruption-bars': corruptionBarsOption,
  'severity-curves': severityCurvesOption,
  'corruption-gallery': corruptionGalleryOption,
  'probe-accuracy': probeAccuracyOption,
  'probe-cka': probeCkaOption,
  't3a-domains': t3aDomainsOption,
  't3a-supports': t3aSupportsOption,
  'gradient-layers': gradientLayersOption,
  'gradient-trajectory': gradientTrajectoryOption,
  'weight-spectra': weightSpectraOption,
  'weight-orthogonality': weightOrthogonalityOption,
  'weight-geometry-trajectory': weightGeometryTrajectoryOption,
  'compression-sweep': compressionSweepOption,
  'compression-bits': compressionBitsOption,
  'compression-trajectory': compressionTrajectoryOption,
}

/**
 * The option of any chart kind: what the views draw and what export renders, from one place.
 * `size`: the pixels it is drawn at, when known (exports).
 */
export function chartOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  size: FrameOptions['size'] = null,
): EChartsOption {
  const { title, caption } = spec.options
  const frame: FrameOptions = {
    title: typeof title === 'string' && title ? title : null,
    caption: typeof caption === 'string' && caption ? caption : null,
    isSynthetic: data.isSynthetic || spec.options['synthetic'] === true,
    size,
  }
  const build = Object.hasOwn(CHART_OPTIONS, spec.chart) ? CHART_OPTIONS[spec.chart] : null
  if (!build) throw new ChartDataError(`There is no '${String(spec.chart)}' chart.`)
  return build(spec, data, theme, frame)
}
