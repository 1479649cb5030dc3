import type { PathArgument } from './paths.ts'

/** What one argument of a channel must be; checked before any handler runs. */
export interface ArgumentSpec {
  /** The parameter's name in the invoke map, for messages. */
  name: string
  /** 'id': a positive whole number; 'object': a plain object the service checks field by field. */
  kind: 'id' | 'text' | 'path' | 'object'
  /** null (or a missing trailing argument) is allowed. */
  nullable: boolean
  /** For 'path': how the file or folder is used (the web host's path policy). */
  access?: PathArgument['access']
  /** For 'text': the only values allowed. */
  choices?: readonly string[]
}

/** A channel's arguments, and every file or folder they name (top level and inside objects). */
export interface ChannelSpec {
  readonly args: readonly ArgumentSpec[]
  readonly paths: readonly PathArgument[]
}

/** One spec per channel of an invoke map, with as many arguments as its function type takes. */
export type ChannelSpecs<M> = {
  readonly [C in keyof M]: ChannelSpec & {
    readonly args: { length: M[C] extends (...args: infer A) => unknown ? A['length'] : never }
  }
}

const argument = (name: string, kind: ArgumentSpec['kind']): ArgumentSpec => ({
  name,
  kind,
  nullable: false,
})

export const id = (name: string): ArgumentSpec => argument(name, 'id')
export const object = (name: string): ArgumentSpec => argument(name, 'object')
export const text = (name: string, choices?: readonly string[]): ArgumentSpec => ({
  ...argument(name, 'text'),
  ...(choices ? { choices } : {}),
})
/** An existing file or folder that is read. */
export const readPath = (name: string): ArgumentSpec => ({
  ...argument(name, 'path'),
  access: 'read',
})
/** A file that is created (never one that exists, on the web host). */
export const writePath = (name: string): ArgumentSpec => ({
  ...argument(name, 'path'),
  access: 'write',
})
/** A folder that is opened, or created when missing (a workspace). */
export const folderPath = (name: string): ArgumentSpec => ({
  ...argument(name, 'path'),
  access: 'folder',
})
export const nullable = (spec: ArgumentSpec): ArgumentSpec => ({ ...spec, nullable: true })

/** A channel taking `args`; `nested` names the paths inside its object arguments. */
export function channel<const A extends readonly ArgumentSpec[]>(
  args: A,
  nested: readonly PathArgument[] = [],
): { readonly args: A; readonly paths: readonly PathArgument[] } {
  const top = args.flatMap((spec, arg): PathArgument[] =>
    spec.kind === 'path' ? [{ arg, access: spec.access! }] : [],
  )
  return { args, paths: [...top, ...nested] }
}
