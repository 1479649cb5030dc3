import * as echarts from 'echarts'
import type { EChartsOption } from 'echarts'
import sharp from 'sharp'
import { measureDejaVuText } from './text-metrics.ts'

echarts.setPlatformAPI({ measureText: measureDejaVuText })

export interface RenderSize {
  width: number
  height: number
}

// zrender numbers instances, clip paths and style classes process-wide; renumbering them in order
// of appearance makes the same chart the same file whatever was rendered before.
function stableIds(svg: string): string {
  const ids = new Map<string, string>()
  return svg.replace(/\bzr\d+-[a-z-]*\d+\b/g, (id) => {
    let stable = ids.get(id)
    if (!stable) ids.set(id, (stable = `zr-${ids.size}`))
    return stable
  })
}

/** The chart as an SVG document through ECharts server-side rendering (no DOM, no canvas). */
export function renderSvg(option: EChartsOption, size: RenderSize): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...size })
  try {
    chart.setOption({ ...option, animation: false })
    return stableIds(chart.renderToSVGString())
  } finally {
    chart.dispose()
  }
}

// librsvg draws at 72 dpi; twice that and a resize back to the asked size anti-aliases the text.
const SUPERSAMPLE = 2

/** The SVG rasterised by sharp (librsvg) at the asked size times `pixelRatio` (2: a HiDPI copy). */
export async function rasterize(svg: string, size: RenderSize, pixelRatio = 1): Promise<Buffer> {
  return sharp(Buffer.from(svg), { density: 72 * SUPERSAMPLE * pixelRatio })
    .resize(Math.round(size.width * pixelRatio), Math.round(size.height * pixelRatio), {
      fit: 'fill',
      kernel: 'lanczos3',
    })
    .png({ compressionLevel: 9 })
    .toBuffer()
}
