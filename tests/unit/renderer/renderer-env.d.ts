// window.workbench, which the renderer's API client reads, for the unit tests that import it.
import type { WorkbenchApi } from '../../../electron/api/contract/index.ts'

declare global {
  interface Window {
    workbench?: WorkbenchApi
  }
}
