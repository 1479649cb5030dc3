import type { GraphBuilder } from '../graph-builder.ts'
import { QuantizerConstants } from './constants.ts'
import { emitQuantizer } from './quantizer.ts'
import type { CompressionSite } from './sites.ts'

/**
 * Appends, for each site, x̂ at the widths AC-GC picks per batch from the site's allowed squared
 * errors (float32 [C], held as initializers), and maps the site's tensor to x̂: what the backward
 * graph reads in place of a retained activation (its `savedActivations` option), while the
 * forward pass keeps the exact values.
 */
export function quantizedCopies(
  builder: GraphBuilder,
  sites: readonly CompressionSite[],
  squaredErrors: ReadonlyMap<string, Float32Array>,
): Map<string, string> {
  const constants = new QuantizerConstants(builder)
  const copies = new Map<string, string>()
  for (const site of sites) {
    const bound = squaredErrors.get(site.id)
    if (bound?.length !== site.channels) {
      throw new RangeError(
        `Site '${site.id}' needs ${site.channels} allowed squared errors, got ${bound?.length ?? 'none'}.`,
      )
    }
    const input = builder.float32Constant(`fake_quant/${site.id}/squared_error_bound`, bound, [
      site.channels,
    ])
    const { quantized } = emitQuantizer(builder, constants, {
      tensor: site.tensor,
      source: 'error-bound',
      input,
    })
    copies.set(site.tensor, quantized)
  }
  return copies
}
