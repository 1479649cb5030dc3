#!/usr/bin/env node
import { requireNode22 } from '../scripts/require-node22.js'

requireNode22()
const { main } = await import('../electron/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
