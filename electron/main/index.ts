import { join } from 'node:path'
import { app, BrowserWindow, ipcMain, shell, utilityProcess } from 'electron'
import type { IpcMainInvokeEvent } from 'electron'
import { INVOKE_CHANNELS } from '../api/contract.ts'
import { dispatch } from '../api/dispatch.ts'
import { serviceHandlers, WorkbenchService } from '../api/service.ts'
import { RecentWorkspaces } from '../api/recent-workspaces.ts'
import { desktopHostHandlers } from './host-handlers.ts'
import { EngineClient } from '../../native-models/engine/engine-client.ts'
import { wrapUtilityProcess } from '../../native-models/engine/engine-process.ts'
import enginePath from '../../native-models/engine/main.ts?modulePath'
import preprocessWorkerPath from '../../native-models/data/preprocess-worker.ts?modulePath'

const rendererUrl = process.env['ELECTRON_RENDERER_URL']

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? ''
  return rendererUrl ? url.startsWith(rendererUrl) : url.startsWith('file://')
}

function bindService(service: WorkbenchService, recent: RecentWorkspaces): void {
  const handlers = { ...serviceHandlers(service), ...desktopHostHandlers(recent) }
  for (const channel of Object.keys(INVOKE_CHANNELS)) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Untrusted sender.' } }
      }
      return dispatch(handlers, channel, args)
    })
  }
}

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'ResNet Workbench',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  })
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https:')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  window.webContents.on('will-navigate', (event) => event.preventDefault())
  if (rendererUrl) void window.loadURL(rendererUrl)
  else void window.loadFile(join(import.meta.dirname, '../renderer/index.html'))
}

// ORT's run() blocks its thread: the engine is a utility process, never the main process.
function createEngine(): EngineClient {
  const env = { ...process.env, RESNET_WORKBENCH_PREPROCESS_WORKER: preprocessWorkerPath }
  const spawn = () =>
    wrapUtilityProcess(utilityProcess.fork(enginePath, [], { serviceName: 'Analysis engine', env }))
  return new EngineClient({ spawn })
}

void app.whenReady().then(() => {
  const engine = createEngine()
  const recent = new RecentWorkspaces(app.getPath('userData'))
  const workspace = recent.last(join(app.getPath('userData'), 'workspace'))
  const service = new WorkbenchService(workspace, {
    engine: () => engine,
    onJobChange: (job) => {
      for (const window of BrowserWindow.getAllWindows())
        window.webContents.send('job:progress', job)
    },
    onWorkspaceOpened: (folder) => recent.remember(folder),
  })
  bindService(service, recent)
  createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
  app.on('will-quit', () => {
    service.close()
    engine.dispose()
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
