import type { EvaluationImages } from '../../../../electron/api/contract/index.ts'

const quoted = (text: string): string =>
  /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text

/** The listed images as CSV: position in the selection, source file (or file#index), classes, scores. */
export function imageListCsv(list: EvaluationImages): string {
  const header = 'position,source,label,label_name,predicted,predicted_name,confidence,nll'
  const rows = list.images.map((image) =>
    [
      image.position,
      quoted(image.source),
      image.label,
      quoted(list.classes[image.label] ?? ''),
      image.predicted,
      quoted(list.classes[image.predicted] ?? ''),
      image.confidence,
      image.nll,
    ].join(','),
  )
  return [header, ...rows].join('\n') + '\n'
}
