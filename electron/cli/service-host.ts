import type { Command } from 'commander'
import { WorkbenchService } from '../api/service.ts'
import type { GlobalOptions } from './main.ts'
import { createOutput } from './output.ts'
import type { Output } from './output.ts'

/** Gives a command the service on the chosen workspace and its output, and closes the service. */
export async function withService(
  command: Command,
  body: (service: WorkbenchService, out: Output) => Promise<void> | void,
): Promise<void> {
  const globals = command.optsWithGlobals<GlobalOptions>()
  const service = new WorkbenchService(globals.workspace)
  try {
    await body(service, createOutput(globals.json))
  } finally {
    service.close()
  }
}
