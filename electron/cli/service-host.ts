import type { Command } from 'commander'
import { WorkbenchService } from '../api/service.ts'
import { EngineClient } from '../../native-models/engine/engine-client.ts'
import type { GlobalOptions } from './main.ts'
import { createOutput } from './output.ts'
import type { Output } from './output.ts'

/**
 * Gives a command the service on the chosen workspace and its output; the engine process starts
 * only when a command runs a job, and stops with the command.
 */
export async function withService(
  command: Command,
  body: (service: WorkbenchService, out: Output) => Promise<void> | void,
): Promise<void> {
  const globals = command.optsWithGlobals<GlobalOptions>()
  let engine: EngineClient | null = null
  const service = new WorkbenchService(globals.workspace, {
    engine: () => (engine ??= new EngineClient()),
  })
  try {
    await body(service, createOutput(globals.json))
  } finally {
    service.close()
    ;(engine as EngineClient | null)?.dispose()
  }
}
