import { computed, shallowRef, watch } from 'vue'
import type { ShallowRef } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { queryIds } from '../../components/common/route-query.ts'
import { defaultCkaSpec } from './cka-spec.ts'
import type { CkaKind, CkaSpec } from './cka-spec.ts'

const KINDS: CkaKind[] = ['within', 'pair', 'timeline']

/** The CKA form's choice, kept in the URL so that a comparison can be reopened and linked. */
export function useCkaSpec(): ShallowRef<CkaSpec> {
  const route = useRoute()
  const router = useRouter()

  function askedSpec(): CkaSpec {
    const ids = queryIds(route.query['checkpoints'])
    const asked = route.query['kind']
    const kind = KINDS.find((k) => k === asked) ?? (ids.length >= 2 ? 'pair' : 'within')
    const group = typeof route.query['group'] === 'string' ? route.query['group'] : null
    return { ...defaultCkaSpec(), kind, a: ids[0] ?? null, b: ids[1] ?? null, group }
  }

  const spec = shallowRef<CkaSpec>(askedSpec())

  function queryOf({ kind, a, b, group }: CkaSpec) {
    const ids = (kind === 'pair' ? [a, b] : [a]).filter((id) => id !== null)
    return { checkpoints: ids.join(',') || undefined, kind, group: group ?? undefined }
  }
  const urlQuery = computed(() => queryOf(spec.value))
  watch(
    () => JSON.stringify(urlQuery.value),
    () => void router.replace({ query: urlQuery.value }),
  )
  // A link to another comparison (back, forward, a CKA… button) while this view is open.
  watch(
    () => route.query,
    () => {
      const asked = askedSpec()
      if (JSON.stringify(queryOf(asked)) === JSON.stringify(urlQuery.value)) return
      const b = asked.kind === 'pair' ? asked.b : spec.value.b
      spec.value = { ...spec.value, kind: asked.kind, a: asked.a, b, group: asked.group }
    },
  )
  return spec
}
