import type { WorkbenchApi } from '../../electron/api/contract/index.ts'

declare global {
  interface Window {
    workbench?: WorkbenchApi
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
