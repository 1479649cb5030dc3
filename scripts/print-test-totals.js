// Prints vitest's totals as the plain closing line CI reads: 'N passed, N failed, N skipped'.
import { readFileSync } from 'node:fs'

const file = process.argv[2] ?? 'tests/.tmp/vitest-results.json'
const results = JSON.parse(readFileSync(file, 'utf8'))
const skipped = results.numPendingTests + results.numTodoTests
console.log(
  `${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`,
)
