import type { ExportedFile } from '../../../electron/api/contract/index.ts'

function bytesOf(file: ExportedFile): BlobPart {
  if (file.encoding === 'utf8') return file.content
  const binary = atob(file.content)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** Saves an exported file through the browser's download (both hosts render in a browser). */
export function downloadExportedFile(file: ExportedFile): void {
  const url = URL.createObjectURL(new Blob([bytesOf(file)], { type: file.mimeType }))
  const link = document.createElement('a')
  link.href = url
  link.download = file.fileName
  document.body.append(link)
  link.click()
  link.remove()
  // Revoking at once can cancel the download in Chromium before it has read the blob.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
