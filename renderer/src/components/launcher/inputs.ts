/** The text of the input or select an event came from. */
export function textOf(event: Event): string {
  return (event.target as HTMLInputElement | HTMLSelectElement).value
}

/** The whole number typed into the input an event came from. */
export function integerOf(event: Event): number {
  return Math.round(Number(textOf(event)))
}
