import packageJson from '../../package.json' with { type: 'json' }

/** Recorded in every result's provenance: a new version recomputes instead of reusing. */
export const APP_VERSION: string = packageJson.version
