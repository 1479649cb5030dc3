/** Where a command writes: JSON for scripts, text for people; diagnostics always go to stderr. */
export interface Output {
  isJson: boolean
  json(value: unknown): void
  text(line: string): void
  warn(line: string): void
}

export function createOutput(isJson: boolean): Output {
  return {
    isJson,
    json: (value) => process.stdout.write(JSON.stringify(value, null, 2) + '\n'),
    text: (line) => process.stdout.write(line + '\n'),
    warn: (line) => process.stderr.write(`warning: ${line}\n`),
  }
}
