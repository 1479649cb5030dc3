import type { Preprocessing } from '../../../../electron/api/contract/index.ts'

/** The editable text of each field: numbers as typed, lists comma-separated. */
export interface PreprocessingForm {
  resize: string
  centerCrop: string
  pad: string
  grayToRgb: boolean
  mean: string
  std: string
  height: string
  width: string
}

export function formOf(p: Preprocessing): PreprocessingForm {
  return {
    resize: p.resize === null ? '' : String(p.resize),
    centerCrop: p.centerCrop === null ? '' : String(p.centerCrop),
    pad: String(p.pad),
    grayToRgb: p.grayToRgb,
    mean: p.mean.join(', '),
    std: p.std.join(', '),
    height: String(p.inputSize[0]),
    width: String(p.inputSize[1]),
  }
}

const numberOrText = (text: string): number | string => {
  const value = Number(text.trim())
  return text.trim() !== '' && Number.isFinite(value) ? value : text
}

const list = (text: string): (number | string)[] =>
  text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map(numberOrText)

/**
 * The form as a preprocessing for the server to check (which names the field when one is wrong):
 * an empty resize or crop is none; anything unparsable is passed on as typed, so it is refused.
 */
export function preprocessingOf(form: PreprocessingForm): Preprocessing {
  return {
    resize: form.resize.trim() === '' ? null : numberOrText(form.resize),
    centerCrop: form.centerCrop.trim() === '' ? null : numberOrText(form.centerCrop),
    pad: numberOrText(form.pad),
    grayToRgb: form.grayToRgb,
    mean: list(form.mean),
    std: list(form.std),
    inputSize: [numberOrText(form.height), numberOrText(form.width)],
  } as Preprocessing
}
