import type { Dim, ModelSummary } from '../../../../electron/api/contract/index.ts'
import { ModelError } from '../../../onnx/errors.ts'

/** What the preprocessing makes of one image. */
export interface ImageShape {
  channels: number
  height: number
  width: number
}

const fitsDim = (declared: Dim | undefined, actual: number): boolean =>
  typeof declared === 'string' || declared === actual

const formatDims = (dims: readonly Dim[]): string => `[${dims.join(', ')}]`

/**
 * Refuses a model whose image input cannot take the preprocessed [N, C, H, W] float32 batches,
 * with one sentence naming the file, the declared and the fed shape, and the likely fix.
 */
export function assertModelTakesImages(
  summary: Pick<ModelSummary, 'fileName' | 'inputs' | 'inputLayout'>,
  image: ImageShape,
): void {
  const input = summary.inputs[0]
  if (input === undefined) {
    throw new ModelError('SHAPE_MISMATCH', `'${summary.fileName}' declares no image input.`)
  }
  const fed = ['N', image.channels, image.height, image.width]
  const { shape } = input
  const fits =
    shape.length === 4 &&
    fitsDim(shape[1], image.channels) &&
    fitsDim(shape[2], image.height) &&
    fitsDim(shape[3], image.width)
  if (fits) return
  throw new ModelError(
    'SHAPE_MISMATCH',
    `'${summary.fileName}' expects input '${input.name}' as ${formatDims(shape)} but the preprocessed images are ${formatDims(fed)} (NCHW): ${mismatchHint(shape, summary.inputLayout, image)}.`,
  )
}

function mismatchHint(shape: readonly Dim[], layout: string, image: ImageShape): string {
  if (shape.length !== 4) return 'the model does not take a batch of images'
  if (
    layout === 'NHWC' ||
    (fitsDim(shape[3], image.channels) && !fitsDim(shape[1], image.channels))
  ) {
    return 'the model takes channels-last (NHWC) images; export it with an NCHW input'
  }
  if (!fitsDim(shape[1], image.channels)) {
    return shape[1] === 3 && image.channels === 1
      ? 'set grayToRgb in the preprocessing'
      : `the preprocessing gives ${image.channels} channel(s), the model takes ${String(shape[1])}`
  }
  return `set the preprocessing's inputSize to [${String(shape[2])}, ${String(shape[3])}]`
}

/** The model's fixed batch size, or null when the batch dimension is symbolic. */
export function fixedBatchSize(summary: Pick<ModelSummary, 'inputs'>): number | null {
  const batch = summary.inputs[0]?.shape[0]
  return typeof batch === 'number' && batch > 0 ? batch : null
}

/** Refuses a dataset with more classes than the model has outputs. */
export function assertOutputsCoverClasses(
  summary: Pick<ModelSummary, 'fileName' | 'numClasses'>,
  classes: readonly string[],
): void {
  if (classes.length <= summary.numClasses) return
  throw new ModelError(
    'SHAPE_MISMATCH',
    `'${summary.fileName}' outputs ${summary.numClasses} class scores but the dataset has ${classes.length} classes: pick the dataset the model was trained on, or map its classes to the model's.`,
  )
}

/** Refuses a model that needs more than the image, e.g. weights exported as inputs. */
export function assertOnlyImageInput(
  fileName: string,
  inputNames: readonly string[],
  imageInput: string,
): void {
  const others = inputNames.filter((name) => name !== imageInput)
  if (others.length === 0) return
  const listed = others.slice(0, 3).map((name) => `'${name}'`)
  const more = others.length > 3 ? ', …' : ''
  throw new ModelError(
    'NOT_IMAGE_CLASSIFIER',
    `'${fileName}' needs ${others.length} inputs besides the image (${listed.join(', ')}${more}); weights exported as inputs cannot be evaluated: export it again with export_params=True.`,
  )
}
