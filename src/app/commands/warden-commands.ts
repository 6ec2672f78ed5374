/** The registry of every /warden command; help is generated from it. */
import { CommandRegistry } from '../../core/commands/command-registry.ts'
import { auditCommand } from './audit-command.ts'
import type { CommandHandler } from './command-run.ts'
import { helpCommand } from './help-command.ts'
import { revokeCommand, rotateCommand, verifyCommand } from './rotation-commands.ts'
import { statusCommand } from './status-command.ts'

export function wardenCommands(): CommandRegistry<CommandHandler> {
  const registry = new CommandRegistry<CommandHandler>()
  return registry
    .register(helpCommand(() => registry.list()))
    .register(statusCommand)
    .register(auditCommand)
    .register(rotateCommand)
    .register(verifyCommand)
    .register(revokeCommand)
}
