import type { Output } from '../../../electron/cli/output.ts'

/** A text-mode CLI output that keeps every printed line. */
export function textRecorder(): Output & { lines: string[] } {
  const lines: string[] = []
  return {
    isJson: false,
    lines,
    json: () => {
      throw new Error('no JSON in text mode')
    },
    text: (line) => lines.push(...line.split('\n')),
    warn: () => {},
  }
}
