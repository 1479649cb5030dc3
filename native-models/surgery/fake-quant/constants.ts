import { DataType } from '../../onnx/proto.ts'
import type { GraphBuilder } from '../graph-builder.ts'

/**
 * Scalar initializers shared by every site's quantizer, each added on first use (ORT warns about
 * unused initializers, and 'levels' graphs need fewer than 'error-bound' ones).
 */
export class QuantizerConstants {
  readonly #builder: GraphBuilder
  readonly #names = new Map<string, string>()

  constructor(builder: GraphBuilder) {
    this.#builder = builder
  }

  get zero(): string {
    return this.#float32('zero', 0)
  }

  get one(): string {
    return this.#float32('one', 1)
  }

  /** AC-GC's 1e-6 in the scale 1/(max|x| + 1e-6), as float32. */
  get scaleEpsilon(): string {
    return this.#float32('scale_epsilon', 1e-6)
  }

  get minusHalf(): string {
    return this.#float32('minus_half', -0.5)
  }

  get two(): string {
    return this.#float32('two', 2)
  }

  /** The clip of AC-GC's fractional bits: [1, 15] (base_bits 16 minus one). */
  get minFractionBits(): string {
    return this.#float32('min_fraction_bits', 1)
  }

  get maxFractionBits(): string {
    return this.#float32('max_fraction_bits', 15)
  }

  /** ln 2 in float64: log2 is taken in float64 and rounded to float32 (see emitLog2). */
  get ln2(): string {
    return this.#cached('ln2', () =>
      this.#builder.addInitializer({
        name: 'fake_quant.ln2',
        dims: [],
        dataType: DataType.DOUBLE,
        rawData: new Uint8Array(Float64Array.of(Math.LN2).buffer),
      }),
    )
  }

  #float32(base: string, value: number): string {
    return this.#cached(base, () =>
      this.#builder.float32Constant(`fake_quant.${base}`, Float32Array.of(value), []),
    )
  }

  #cached(key: string, add: () => string): string {
    const known = this.#names.get(key)
    if (known !== undefined) return known
    const name = add()
    this.#names.set(key, name)
    return name
  }
}
