/**
 * Reads a slash command from a comment body. Only the first line counts, and
 * only when it starts with `/warden ` at its very first character: a quoted
 * (`> /warden`), indented, fenced or inline-code command starts with
 * something else. The line must be plain printable ASCII, so fullwidth,
 * Cyrillic, zero-width and other look-alikes (which NFKC would fold into
 * `/warden`) never match: the text is never normalized. Arguments must match
 * the command's own patterns, so nothing can name another repository or a
 * path.
 */
import type { CommandSyntax } from './command-registry.ts'

export const COMMAND_PREFIX = '/warden'
/** Longer first lines are not commands; this also bounds the work per comment. */
export const MAX_COMMAND_LINE_LENGTH = 200

export interface ParsedCommand {
  name: string
  args: string[]
  /** The first line as written, for replies and logs (ASCII, bounded). */
  line: string
}

export type CommandReading =
  | { kind: 'command'; command: ParsedCommand }
  /** Addressed to the bot, well formed, but no such command: the reply points to help. */
  | { kind: 'unknown'; name: string; line: string }
  /** Not something to act on; the reason is for the log. */
  | { kind: 'ignored'; reason: string }

const PRINTABLE_ASCII_LINE = /^[\x20-\x7e]*$/
const VERB = /^[a-z][a-z-]{0,31}$/

export function parseCommand(body: string, commands: readonly CommandSyntax[]): CommandReading {
  const line = firstLine(body)
  if (line === undefined) return ignored('the first line is too long to be a command')
  if (!line.startsWith(COMMAND_PREFIX)) return ignored('the first line does not start with /warden')
  if (!PRINTABLE_ASCII_LINE.test(line)) return ignored('the command line holds characters other than printable ASCII (look-alikes are not commands)')
  const rest = line.slice(COMMAND_PREFIX.length)
  if (rest !== '' && !rest.startsWith(' ')) return ignored('/warden is not followed by a space')
  const [name = 'help', ...args] = rest.split(' ').filter((word) => word !== '')
  if (!VERB.test(name)) return ignored(`'${name}' is not a command word`)
  const syntax = commands.find((command) => command.name === name)
  if (!syntax) return { kind: 'unknown', name, line }
  const problem = argumentProblem(syntax, args)
  if (problem) return ignored(problem)
  return { kind: 'command', command: { name, args, line } }
}

/** The first line without its line ending, or undefined when it is longer than any command. */
function firstLine(body: string): string | undefined {
  const end = body.search(/[\r\n]/)
  const line = end < 0 ? body : body.slice(0, end)
  if (line.length > MAX_COMMAND_LINE_LENGTH) return undefined
  return line.replace(/ +$/, '')
}

function argumentProblem(syntax: CommandSyntax, args: readonly string[]): string | undefined {
  if (args.length > syntax.args.length) {
    const extra = args[syntax.args.length] ?? ''
    return `/warden ${syntax.name} takes ${syntax.args.length} argument(s); '${shown(extra)}' ${looksLikeElsewhere(extra) ? 'names another repository or a path' : 'is one too many'}`
  }
  for (const [index, spec] of syntax.args.entries()) {
    const value = args[index]
    if (value === undefined) return `/warden ${syntax.name} needs ${spec.name}`
    if (!spec.pattern.test(value)) {
      return `${spec.name} '${shown(value)}' ${looksLikeElsewhere(value) ? 'names another repository or a path' : `is not ${spec.description}`}`
    }
  }
  return undefined
}

/** `owner/repo`, `owner/repo#1`, `#1`, URLs, `../x`, `C:\x`, `~/x`: never valid arguments, worth naming in the log. */
function looksLikeElsewhere(value: string): boolean {
  return /[/\\#:~]|\.\./.test(value)
}

function shown(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value
}

function ignored(reason: string): CommandReading {
  return { kind: 'ignored', reason }
}
