import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
export const RENDERER_OUT = fileURLToPath(new URL('../../../out/renderer', import.meta.url))
/** Screenshots and downloads; gitignored, kept by CI as artifacts. */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts', import.meta.url))
/** Debian's Chromium (`apt-get install chromium`); E2E_CHROMIUM overrides it. */
export const CHROMIUM = process.env['E2E_CHROMIUM'] ?? '/usr/bin/chromium'
