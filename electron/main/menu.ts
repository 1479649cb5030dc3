import type { MenuItemConstructorOptions } from 'electron'
import type { MenuAction } from '../api/contract/index.ts'

export interface MenuOptions {
  /** Dev server running: reload and devtools are offered. */
  isDev: boolean
  isMac: boolean
  /** Asks the focused renderer to carry out an action (the same flow as its buttons). */
  send: (action: MenuAction) => void
  showAbout: () => void
}

function fileMenu(options: MenuOptions): MenuItemConstructorOptions {
  const item = (label: string, action: MenuAction, accelerator?: string) => ({
    label,
    accelerator,
    click: () => options.send(action),
  })
  return {
    label: '&File',
    submenu: [
      item('Open Run Folder…', 'open-run-folder', 'CmdOrCtrl+O'),
      item('Open Checkpoint…', 'open-checkpoint', 'CmdOrCtrl+Shift+O'),
      item('Open Workspace…', 'open-workspace'),
      { type: 'separator' },
      item('Create Example Workspace', 'create-example'),
      { type: 'separator' },
      options.isMac ? { role: 'close' } : { role: 'quit', label: 'Quit' },
    ],
  }
}

function viewMenu(options: MenuOptions): MenuItemConstructorOptions {
  const dev: MenuItemConstructorOptions[] = options.isDev
    ? [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
      ]
    : []
  return {
    label: '&View',
    submenu: [
      {
        label: 'Toggle Light/Dark Theme',
        accelerator: 'CmdOrCtrl+Shift+L',
        click: () => options.send('toggle-theme'),
      },
      { type: 'separator' },
      ...dev,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  }
}

/** The application menu; on macOS the app menu comes first and holds About and Quit. */
export function menuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const about: MenuItemConstructorOptions = {
    label: 'About ResNet Workbench',
    click: options.showAbout,
  }
  const appMenu: MenuItemConstructorOptions[] = options.isMac
    ? [{ label: 'ResNet Workbench', submenu: [about, { type: 'separator' }, { role: 'quit' }] }]
    : []
  return [
    ...appMenu,
    fileMenu(options),
    // Copy and paste in text fields need the Edit roles (on macOS there are no other shortcuts).
    { role: 'editMenu' },
    viewMenu(options),
    ...(options.isMac ? [{ role: 'windowMenu' } as const] : []),
    { label: '&Help', role: 'help', submenu: [about] },
  ]
}
