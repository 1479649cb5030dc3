// The renderer's registries load their components lazily: typed here, never run by unit tests.
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
