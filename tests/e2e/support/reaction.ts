/// <reference lib="dom" />
import type { Page } from 'playwright-core'

/** What counts as the UI having answered a click. */
export type Reaction =
  | { kind: 'attribute'; selector: string; name: string; value: string }
  | { kind: 'visible'; selector: string }
  | { kind: 'hash'; prefix: string }

interface Probe {
  clickedAt: number | null
  seenAt: number | null
}

declare global {
  interface Window {
    __reactionProbe?: Probe
  }
}

/**
 * Clicks `target` with a real (trusted) mouse click and returns the milliseconds from the
 * browser's input timestamp to the first animation frame that shows `reaction`: queueing behind
 * a busy main thread, Vue's update and any request the click makes all count.
 */
export async function reactionMs(page: Page, target: string, reaction: Reaction): Promise<number> {
  await page.locator(target).waitFor({ state: 'visible' })
  await page.evaluate((expected: Reaction) => {
    const probe: Probe = { clickedAt: null, seenAt: null }
    window.__reactionProbe = probe
    const isShown = (): boolean => {
      if (expected.kind === 'hash') return location.hash.startsWith(`#${expected.prefix}`)
      const element = document.querySelector<HTMLElement>(expected.selector)
      if (expected.kind === 'attribute')
        return element?.getAttribute(expected.name) === expected.value
      return element !== null && element.getClientRects().length > 0
    }
    const onClick = (event: Event): void => {
      probe.clickedAt = event.timeStamp
    }
    window.addEventListener('pointerdown', onClick, { capture: true, once: true })
    const check = (frameTime: number): void => {
      if (probe.clickedAt !== null && isShown()) probe.seenAt = frameTime
      else requestAnimationFrame(check)
    }
    requestAnimationFrame(check)
  }, reaction)
  await page.locator(target).click()
  const handle = await page.waitForFunction(
    () => {
      const probe = window.__reactionProbe
      return probe?.seenAt != null && probe.clickedAt != null
        ? probe.seenAt - probe.clickedAt
        : null
    },
    undefined,
    { timeout: 10_000 },
  )
  return Math.max(0, (await handle.jsonValue()) as number)
}
