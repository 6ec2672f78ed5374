import { helpText, type CommandDefinition } from '../../core/commands/command-registry.ts'
import type { CommandHandler } from './command-run.ts'

export function helpCommand(list: () => CommandDefinition<CommandHandler>[]): CommandDefinition<CommandHandler> {
  return {
    name: 'help',
    args: [],
    usage: '/warden help',
    description: 'Lists the commands, who may use them, and an example of each.',
    who: 'write-if-configured',
    changesState: false,
    example: '/warden help',
    handler: async (run) => ({ ok: true, body: helpText(list(), run.openToWrite) }),
  }
}
