import { homedir } from 'node:os'
import { BrowserWindow, dialog } from 'electron'
import type { OpenDialogOptions } from 'electron'
import type { PickRequest } from '../api/contract/index.ts'
import type { HostHandlers } from '../api/dispatch.ts'
import type { RecentWorkspaces } from '../api/recent-workspaces.ts'
import { FolderBrowser } from '../server/folder-browser.ts'

async function pick(request: PickRequest): Promise<string | null> {
  const window = BrowserWindow.getFocusedWindow()
  const base = { title: request.title, defaultPath: request.defaultPath ?? undefined }
  if (request.kind === 'save') {
    const saved = window
      ? await dialog.showSaveDialog(window, base)
      : await dialog.showSaveDialog(base)
    return saved.canceled ? null : (saved.filePath ?? null)
  }
  const options: OpenDialogOptions =
    request.kind === 'folder'
      ? { ...base, properties: ['openDirectory', 'createDirectory'] }
      : {
          ...base,
          properties: ['openFile'],
          filters: [{ name: 'ONNX model', extensions: ['onnx'] }],
        }
  const opened = window
    ? await dialog.showOpenDialog(window, options)
    : await dialog.showOpenDialog(options)
  return opened.canceled ? null : (opened.filePaths[0] ?? null)
}

/** What only the desktop host answers: native dialogs (the folder browser stays available). */
export function desktopHostHandlers(recent: RecentWorkspaces): HostHandlers {
  const folders = new FolderBrowser([homedir()])
  return {
    'host:info': () =>
      Promise.resolve({
        kind: 'electron',
        hasNativeDialogs: true,
        platform: process.platform,
        recentWorkspaces: recent.list(),
      }),
    'dialog:pick': pick,
    'fs:list': (path) => folders.list(path),
  }
}
