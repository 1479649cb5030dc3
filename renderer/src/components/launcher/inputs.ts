import { computed } from 'vue'
import type { Ref, WritableComputedRef } from 'vue'

/** The text of the input or select an event came from. */
export function textOf(event: Event): string {
  return (event.target as HTMLInputElement | HTMLSelectElement).value
}

/** The whole number typed into the input an event came from. */
export function integerOf(event: Event): number {
  return Math.round(Number(textOf(event)))
}

/** One field of an object model as a ref of its own; setting it replaces the object. */
export function modelField<T extends object, K extends keyof T>(
  model: Ref<T>,
  key: K,
): WritableComputedRef<T[K]> {
  return computed({
    get: () => model.value[key],
    set: (value) => {
      if (model.value[key] !== value) model.value = { ...model.value, [key]: value }
    },
  })
}
