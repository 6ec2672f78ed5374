/**
 * Each slash command registers itself here with its help text beside its
 * handler (after Prow's plugins), so `/warden help` is generated from what
 * exists, never kept by hand. The registry is generic over the handler: the
 * core knows names, arguments and who may run them; the app supplies what
 * running one does.
 */

/** `admin`: only live repository admins. `write-if-configured`: admins, and write users when the config opens the command to them. */
export type CommandAudience = 'admin' | 'write-if-configured'

export interface ArgumentSpec {
  /** As shown in usage: `FINGERPRINT`. */
  name: string
  pattern: RegExp
  /** What a valid value is, for refusals: `a 12-hex-digit credential fingerprint`. */
  description: string
}

export interface CommandSyntax {
  name: string
  args: readonly ArgumentSpec[]
}

export interface CommandDefinition<Handler> extends CommandSyntax {
  /** `/warden revoke FINGERPRINT` */
  usage: string
  description: string
  who: CommandAudience
  /** Whether running it changes state (dispatches a rotation, revokes): such commands are always admin-only and audited first. */
  changesState: boolean
  example: string
  handler: Handler
}

export const FINGERPRINT_ARGUMENT: ArgumentSpec = {
  name: 'FINGERPRINT',
  pattern: /^[0-9a-f]{12}$/,
  description: 'a credential fingerprint (12 lowercase hex digits, as /warden status shows it)',
}

export class CommandRegistry<Handler> {
  readonly #commands = new Map<string, CommandDefinition<Handler>>()

  register(definition: CommandDefinition<Handler>): this {
    if (this.#commands.has(definition.name)) throw new Error(`/warden ${definition.name} is registered twice`)
    if (definition.changesState && definition.who !== 'admin') {
      throw new Error(`/warden ${definition.name} changes state, so only admins may run it`)
    }
    this.#commands.set(definition.name, definition)
    return this
  }

  get(name: string): CommandDefinition<Handler> | undefined {
    return this.#commands.get(name)
  }

  list(): CommandDefinition<Handler>[] {
    return [...this.#commands.values()]
  }
}

/** Whom the command is open to, in words, given which commands the config opens to write users. */
export function audienceText(definition: CommandSyntax & { who: CommandAudience }, openToWrite: readonly string[]): string {
  return definition.who === 'write-if-configured' && openToWrite.includes(definition.name) ? 'admins and write users' : 'admins'
}

/** The `/warden help` reply, generated from the registry. */
export function helpText(commands: readonly CommandDefinition<unknown>[], openToWrite: readonly string[]): string {
  const rows = commands.map(
    (command) =>
      `| \`${command.usage}\` | ${command.description} | ${audienceText(command, openToWrite)} | \`${command.example}\` |`,
  )
  return [
    'Commands go on the first line of a new comment, exactly as shown (quoted, fenced or edited comments are ignored).',
    '',
    '| command | what it does | who | example |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n')
}
