import { reactive, watch } from 'vue'

export type Theme = 'light' | 'dark'

export interface Settings {
  theme: Theme
  /** Width of the library sidebar in pixels; 0 when collapsed. */
  sidebarWidth: number
  /** The route last shown, reopened at start. */
  lastRoute: string
  /** The folder the folder browser opened last (hosts without native dialogs). */
  lastPickedFolder: string | null
}

const STORAGE_KEY = 'resnet-workbench:settings'

function prefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches
}

function load(): Settings {
  const defaults: Settings = {
    theme: prefersDark() ? 'dark' : 'light',
    sidebarWidth: 300,
    lastRoute: '/',
    lastPickedFolder: null,
  }
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<Settings>
    return { ...defaults, ...stored }
  } catch {
    return defaults // a damaged entry is replaced at the next change
  }
}

/** Layout and theme, remembered per host origin in localStorage (Electron and the browser alike). */
export const settings = reactive<Settings>(load())

watch(
  settings,
  (value) => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(value))
    document.documentElement.dataset['theme'] = value.theme
  },
  { immediate: true },
)
