import { channel, object, text, nullable } from './channels.ts'
import type { ChannelSpecs } from './channels.ts'

export type PickKind = 'folder' | 'model' | 'save'

export interface PickRequest {
  kind: PickKind
  title: string
  defaultPath: string | null
}

export interface HostInfo {
  kind: 'electron' | 'web'
  /** Electron has native dialogs; the browser uses the folder browser (`fs:list`). */
  hasNativeDialogs: boolean
  platform: string
  /** Workspaces opened before, newest first. */
  recentWorkspaces: string[]
}

export type ListedKind = 'folder' | 'model' | 'image' | 'idx' | 'npy'

export interface ListedEntry {
  name: string
  path: string
  kind: ListedKind
  /** null for folders. */
  sizeBytes: number | null
}

export interface FolderListing {
  /** null when listing the allowed roots themselves. */
  path: string | null
  /** null at a root (or above). */
  parent: string | null
  entries: ListedEntry[]
}

/** What the desktop app's menu asks the renderer to do (the same flows as its buttons). */
export type MenuAction =
  'open-run-folder' | 'open-checkpoint' | 'open-workspace' | 'create-example' | 'toggle-theme'

export interface HostInvoke {
  'host:info': () => HostInfo
  /** A native open/save dialog (Electron); null when cancelled. The web host uses `fs:list`. */
  'dialog:pick': (request: PickRequest) => string | null
  /** A folder inside the roots the user allowed (the web host's folder browser); null: the roots. */
  'fs:list': (path: string | null) => FolderListing
}
// The folder browser confines fs:list to the roots itself; dialogs exist only in the desktop app.
// fs:list's folder is confined by the web host's folder browser itself.
export const HOST_CHANNELS = {
  'host:info': channel([]),
  'dialog:pick': channel([object('request')]),
  'fs:list': channel([nullable(text('path'))]),
} as const satisfies ChannelSpecs<HostInvoke>
