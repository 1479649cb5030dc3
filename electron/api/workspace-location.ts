import { homedir } from 'node:os'
import { dirname, join } from 'node:path'

/** The app name Electron derives from package.json `productName`; it names the user-data folder. */
export const APP_NAME = 'ResNet Workbench'

type Env = Record<string, string | undefined>

/** What Electron's `app.getPath('appData')` returns on each OS. */
export function appDataFolder(platform: NodeJS.Platform, env: Env, home: string): string {
  if (platform === 'win32') return env.APPDATA ?? join(home, 'AppData', 'Roaming')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support')
  return env.XDG_CONFIG_HOME ?? join(home, '.config')
}

/**
 * The default workspace: `<userData>/workspace`, where userData is Electron's
 * `app.getPath('userData')` for this app, so the CLI and the desktop app share it.
 */
export function defaultWorkspaceFolder(
  platform: NodeJS.Platform = process.platform,
  env: Env = process.env,
  home: string = homedir(),
): string {
  return join(appDataFolder(platform, env, home), APP_NAME, 'workspace')
}

/** `<userData>/example-workspace`, beside the default workspace. */
export function defaultExampleFolder(): string {
  return join(dirname(defaultWorkspaceFolder()), 'example-workspace')
}
