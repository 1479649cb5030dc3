/**
 * An argument of a channel that names a file or folder. The web host checks every one against
 * the folders it was allowed (`--root`) before the service sees it; a channel with none says [].
 */
export interface PathArgument {
  /** Index of the argument in the channel's argument list. */
  arg: number
  /** Where the path sits inside that argument (['dataset', 'path']); absent: the argument. */
  field?: readonly string[]
  /**
   * 'read': an existing file or folder that is read; 'write': a file that is created (never one
   * that exists); 'folder': a folder that is opened, or created when missing (a workspace).
   */
  access: 'read' | 'write' | 'folder'
}

export const reads = (arg: number, ...field: string[]): PathArgument => ({
  arg,
  field,
  access: 'read',
})
export const writes = (arg: number): PathArgument => ({ arg, access: 'write' })
export const opensFolder = (arg: number): PathArgument => ({ arg, access: 'folder' })
