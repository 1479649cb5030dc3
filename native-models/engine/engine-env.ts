/** Set to '1' in the engine's environment to register the test-only job kinds (tests only). */
export const TEST_JOBS_ENV = 'RESNET_WORKBENCH_ENGINE_TEST_JOBS'

/** glibc's tunable that backs large malloc'd blocks (ORT's arena among them) with huge pages. */
const HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb'

/**
 * The engine's environment: the host's, plus glibc's transparent-huge-page tunable on Linux.
 * The first run of a session faults in its whole arena; on the 2-core CI machine a 4 KiB fault
 * costs ~12 µs (2.7 s per GB), so the first run of the 18-tap Gram graph at 224², n = 64 took
 * 5.2 s with small pages against 1.9 s with huge pages (later runs 1.7 s either way). glibc before
 * 2.35 and other C libraries ignore it; a value the user set is kept.
 */
export function engineEnvironment(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): NodeJS.ProcessEnv {
  if (platform !== 'linux') return env
  const tunables = env.GLIBC_TUNABLES ?? ''
  if (tunables.includes(`${HUGE_PAGES_TUNABLE}=`)) return env
  const added = `${HUGE_PAGES_TUNABLE}=1`
  return { ...env, GLIBC_TUNABLES: tunables === '' ? added : `${tunables}:${added}` }
}
