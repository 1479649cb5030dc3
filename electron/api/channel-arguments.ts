import { INVOKE_CHANNELS } from './contract/index.ts'
import type { ArgumentSpec, InvokeChannel } from './contract/index.ts'
import { RequestError } from './errors.ts'
import { isId } from './request-fields.ts'

const EXPECTED: Record<ArgumentSpec['kind'], string> = {
  id: 'a positive whole number',
  text: 'a string',
  path: 'an absolute path',
  object: 'an object',
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object' && value !== null) return 'an object'
  const text = JSON.stringify(value) ?? typeof value
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}

function isValid(spec: ArgumentSpec, value: unknown): boolean {
  switch (spec.kind) {
    case 'id':
      return isId(value)
    case 'text':
      return typeof value === 'string' && (spec.choices?.includes(value) ?? true)
    case 'path':
      return typeof value === 'string' && value !== ''
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
  }
}

function expected(spec: ArgumentSpec): string {
  const choices = spec.choices ? ` (${spec.choices.map((c) => `'${c}'`).join(' or ')})` : ''
  return `${EXPECTED[spec.kind]}${choices}${spec.nullable ? ' or null' : ''}`
}

/**
 * Refuses a call whose arguments do not have the number and kinds the contract declares, before
 * any handler runs; what is inside an object argument is the service's to check.
 */
export function checkArguments(channel: InvokeChannel, args: unknown): unknown[] {
  const specs = INVOKE_CHANNELS[channel].args as readonly ArgumentSpec[]
  if (!Array.isArray(args)) {
    throw new RequestError('INVALID_ARGUMENT', `'${channel}' takes a list of arguments.`)
  }
  if (args.length > specs.length) {
    const names = specs.map((spec) => spec.name).join(', ') || 'none'
    throw new RequestError(
      'INVALID_ARGUMENT',
      `'${channel}' takes ${specs.length} argument(s) (${names}) but was given ${args.length}.`,
    )
  }
  return specs.map((spec, index) => {
    const value: unknown = args[index]
    if (spec.nullable && (value === null || value === undefined)) return null
    if (isValid(spec, value)) return value
    throw new RequestError(
      'INVALID_ARGUMENT',
      `'${channel}' needs ${spec.name} to be ${expected(spec)}, not ${shown(value)}.`,
    )
  })
}
