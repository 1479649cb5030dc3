/**
 * Passes on at most one value per interval: the first at once, then the latest of each interval
 * at its end, so a job reporting every image neither floods IPC nor loses its last state.
 */
export class ProgressThrottle<T> {
  readonly #send: (value: T) => void
  readonly #intervalMs: number
  #lastSentAt = Number.NEGATIVE_INFINITY
  #held: { value: T } | null = null
  #timer: ReturnType<typeof setTimeout> | null = null

  constructor(send: (value: T) => void, intervalMs = 100) {
    this.#send = send
    this.#intervalMs = intervalMs
  }

  push(value: T): void {
    const wait = this.#lastSentAt + this.#intervalMs - performance.now()
    if (wait <= 0 && this.#timer === null) {
      this.#emit(value)
      return
    }
    this.#held = { value }
    this.#timer ??= setTimeout(() => this.flush(), Math.max(0, wait))
  }

  /** Sends the held value now, e.g. before the job's final message. */
  flush(): void {
    this.#clearTimer()
    const held = this.#held
    this.#held = null
    if (held !== null) this.#emit(held.value)
  }

  /** Drops the held value. */
  stop(): void {
    this.#clearTimer()
    this.#held = null
  }

  #emit(value: T): void {
    this.#lastSentAt = performance.now()
    this.#send(value)
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
  }
}
