import type { ErrorCode, InvokeChannel, InvokeMap } from '../../../electron/api/contract.ts'

export class AppError extends Error {
  override readonly name = 'AppError'
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string) {
    super(message)
    this.code = code
  }
}

/** Calls the service through the desktop preload; the web host binding arrives with "The app". */
export async function call<C extends InvokeChannel>(
  channel: C,
  ...args: Parameters<InvokeMap[C]>
): Promise<ReturnType<InvokeMap[C]>> {
  const api = window.workbench
  if (!api) throw new AppError('INTERNAL', 'No workbench host: open the app with npm start.')
  const result = await api.invoke(channel, ...args)
  if (!result.ok) throw new AppError(result.error.code, result.error.message)
  return result.value
}
