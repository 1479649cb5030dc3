import { shallowRef } from 'vue'
import type { HostInfo, PickRequest } from '../../../electron/api/contract/index.ts'
import { call } from './client.ts'

/** A pick the in-app folder browser is showing; `settle` closes it with the chosen path or null. */
export interface PendingPick {
  request: PickRequest
  settle: (path: string | null) => void
}

/** Set while FolderPicker.vue (mounted once by the shell) is open. */
export const pendingPick = shallowRef<PendingPick | null>(null)

let hostInfo: Promise<HostInfo> | null = null

export function host(): Promise<HostInfo> {
  hostInfo ??= call('host:info').catch((error: unknown) => {
    hostInfo = null
    throw error
  })
  return hostInfo
}

/** A path from the native dialog (desktop) or the in-app folder browser (browser); null: cancelled. */
export async function pickPath(request: PickRequest): Promise<string | null> {
  if ((await host()).hasNativeDialogs) return call('dialog:pick', request)
  pendingPick.value?.settle(null)
  return new Promise((resolve) => {
    pendingPick.value = {
      request,
      settle: (path) => {
        pendingPick.value = null
        resolve(path)
      },
    }
  })
}
