import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'

/** A path that names no regular file: a FIFO, a device, a socket or a folder. */
export class NotRegularFileError extends Error {
  override readonly name = 'NotRegularFileError'
  readonly code = 'ENOTREG'
  readonly isFolder: boolean

  constructor(message: string, isFolder: boolean) {
    super(message)
    this.isFolder = isFolder
  }
}

function kindOf(info: Awaited<ReturnType<FileHandle['stat']>>): string {
  if (info.isDirectory()) return 'a folder'
  if (info.isFIFO()) return 'a named pipe (FIFO)'
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device'
  if (info.isSocket()) return 'a socket'
  return 'not a regular file'
}

/**
 * Opens a file for reading only when it is a regular file (symlinks followed): a FIFO would wait
 * for a writer forever and a device such as /dev/zero never ends. Non-blocking open, so a FIFO is
 * refused at once.
 */
export async function openRegularFile(path: string): Promise<FileHandle> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
  const info = await handle.stat()
  if (info.isFile()) return handle
  await handle.close()
  const kind = kindOf(info)
  throw new NotRegularFileError(
    `'${path}' is ${kind}, not a file that can be read.`,
    info.isDirectory(),
  )
}

/** The whole of a regular file (see openRegularFile). */
export async function readRegularFile(path: string): Promise<Buffer> {
  const handle = await openRegularFile(path)
  try {
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}
