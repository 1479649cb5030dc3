import { SessionCache } from '../runtime/index.ts'

/**
 * The engine's one session cache: jobs acquire sessions here, so a repeated job (or two jobs on
 * the same checkpoint) reuses a session instead of paying 0.2–0.9 s per ResNet50 again.
 */
export const engineSessions = new SessionCache({ capacity: 3 })
