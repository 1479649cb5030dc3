import type { HostHandlers } from '../api/dispatch.ts'
import { RequestError } from '../api/errors.ts'
import type { RecentWorkspaces } from '../api/recent-workspaces.ts'
import type { FolderBrowser } from './folder-browser.ts'
import { HttpError } from './http-io.ts'

/** What only the web host answers: it has no native dialogs, only its confined folder browser. */
export function webHostHandlers(folders: FolderBrowser, recent?: RecentWorkspaces): HostHandlers {
  return {
    'host:info': () =>
      Promise.resolve({
        kind: 'web',
        hasNativeDialogs: false,
        platform: process.platform,
        recentWorkspaces: recent?.list() ?? [],
      }),
    'dialog:pick': () =>
      Promise.reject(
        new RequestError(
          'INVALID_ARGUMENT',
          'A browser has no native file dialog: pick the path with the folder browser (fs:list).',
        ),
      ),
    'fs:list': async (path) => {
      try {
        return await folders.list(path)
      } catch (error) {
        if (error instanceof HttpError) throw new RequestError('INVALID_ARGUMENT', error.message)
        throw error
      }
    },
  }
}
