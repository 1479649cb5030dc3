import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, Menu, utilityProcess } from 'electron'
import type { IpcMainInvokeEvent } from 'electron'
import type { MenuAction } from '../api/contract/index.ts'
import { APP_VERSION } from '../api/app-version.ts'
import { serviceHandlers, WorkbenchService } from '../api/service.ts'
import { RecentWorkspaces } from '../api/recent-workspaces.ts'
import { desktopHostHandlers } from './host-handlers.ts'
import { bindIpc, eventForwarder } from './ipc.ts'
import { menuTemplate } from './menu.ts'
import { isTrustedFrame } from './policy.ts'
import { hardenApp } from './security.ts'
import { EngineClient } from '../../native-models/engine/engine-client.ts'
import { wrapUtilityProcess } from '../../native-models/engine/engine-process.ts'
import { engineEnvironment } from '../../native-models/engine/engine-env.ts'
import enginePath from '../../native-models/engine/main.ts?modulePath'
import preprocessWorkerPath from '../../native-models/data/preprocess-worker.ts?modulePath'
import eigenvalueWorkerPath from '../../native-models/engine/jobs/weight-geometry/eigenvalue-worker.ts?modulePath'

const devServerUrl = process.env['ELECTRON_RENDERER_URL']
const isDev = !app.isPackaged && devServerUrl !== undefined
const rendererIndex = join(import.meta.dirname, '../renderer/index.html')
const rendererUrl = isDev && devServerUrl ? devServerUrl : pathToFileURL(rendererIndex).href

const sendToRenderers = eventForwarder(() =>
  BrowserWindow.getAllWindows().map((window) => window.webContents),
)

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    title: 'ResNet Workbench',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    },
  })
  window.once('ready-to-show', () => window.show())
  if (isDev && devServerUrl) void window.loadURL(devServerUrl)
  else void window.loadFile(rendererIndex)
  return window
}

function sendMenuAction(action: MenuAction): void {
  const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
  if (window) window.webContents.send('menu:action', { action })
}

function showAbout(): void {
  const versions = process.versions
  const detail =
    `Version ${APP_VERSION}\n` +
    `Electron ${versions.electron}, Chromium ${versions.chrome}, Node ${versions.node}\n\n` +
    'Inspect ResNet ONNX checkpoints and compare training runs, offline.'
  const window = BrowserWindow.getFocusedWindow()
  const options = { type: 'info' as const, title: 'About', message: 'ResNet Workbench', detail }
  void (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options))
}

// ORT's run() blocks its thread: the engine is a utility process, never the main process.
function createEngine(): EngineClient {
  const env = engineEnvironment({
    ...process.env,
    RESNET_WORKBENCH_PREPROCESS_WORKER: preprocessWorkerPath,
    RESNET_WORKBENCH_EIGENVALUE_WORKER: eigenvalueWorkerPath,
  })
  const spawn = () =>
    wrapUtilityProcess(utilityProcess.fork(enginePath, [], { serviceName: 'Analysis engine', env }))
  return new EngineClient({ spawn })
}

function start(): void {
  hardenApp()
  const engine = createEngine()
  const recent = new RecentWorkspaces(app.getPath('userData'))
  const workspace = recent.last(join(app.getPath('userData'), 'workspace'))
  const service = new WorkbenchService(workspace, {
    engine: () => engine,
    onJobChange: (job) => sendToRenderers('job:progress', job),
    onWorkspaceOpened: (folder) => recent.remember(folder),
  })
  const handlers = { ...serviceHandlers(service), ...desktopHostHandlers(recent) }
  bindIpc(ipcMain, handlers, (event: IpcMainInvokeEvent) =>
    isTrustedFrame(event.senderFrame, rendererUrl),
  )
  const isMac = process.platform === 'darwin'
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(menuTemplate({ isDev, isMac, send: sendMenuAction, showAbout })),
  )
  createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
  app.on('will-quit', () => {
    service.close()
    engine.dispose()
  })
}

// One app per user: a second launch focuses the first window (both would share the workspace).
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    const window = BrowserWindow.getAllWindows()[0]
    if (window?.isMinimized()) window.restore()
    window?.focus()
  })
  void app.whenReady().then(start)
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}
