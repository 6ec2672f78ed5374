import { describe, expect, test } from 'vitest'
import { authorizeCommand, repositoryPermissionOf, type RepositoryPermission } from '../../src/core/commands/authorize-command.ts'
import { CommandRegistry, FINGERPRINT_ARGUMENT, helpText, type CommandDefinition } from '../../src/core/commands/command-registry.ts'
import { parseCommand } from '../../src/core/commands/parse-command.ts'

function command(name: string, extra: Partial<CommandDefinition<string>> = {}): CommandDefinition<string> {
  return {
    name,
    args: [],
    usage: `/warden ${name}`,
    description: `does ${name}`,
    who: 'admin',
    changesState: false,
    example: `/warden ${name}`,
    handler: name,
    ...extra,
  }
}

const registry = new CommandRegistry<string>()
  .register(command('help', { who: 'write-if-configured' }))
  .register(command('status', { who: 'write-if-configured' }))
  .register(command('audit', { who: 'write-if-configured' }))
  .register(command('rotate', { changesState: true }))
  .register(command('verify', { changesState: true }))
  .register(command('revoke', { changesState: true, args: [FINGERPRINT_ARGUMENT], usage: '/warden revoke FINGERPRINT', example: '/warden revoke 0123456789ab' }))
const COMMANDS = registry.list()

describe('parseCommand: what is a command', () => {
  test.each<[string, string, string, string[]]>([
    ['a bare verb', '/warden status', 'status', []],
    ['trailing spaces', '/warden rotate   ', 'rotate', []],
    ['more lines after it', '/warden audit\nplease, and thanks\n> quoted', 'audit', []],
    ['CRLF line ending', '/warden verify\r\nmore', 'verify', []],
    ['several spaces between words', '/warden   revoke    0123456789ab', 'revoke', ['0123456789ab']],
    ['/warden alone means help', '/warden', 'help', []],
    ['a fence after the command line', '/warden help\n```\n/warden rotate\n```', 'help', []],
  ])('%s', (_name, body, name, args) => {
    const reading = parseCommand(body, COMMANDS)
    expect(reading).toEqual({ kind: 'command', command: { name, args, line: body.split(/\r?\n/)[0]?.trimEnd() } })
  })
})

describe('parseCommand: hostile and look-alike input is never a command', () => {
  test.each<[string, string]>([
    ['quoted', '> /warden rotate'],
    ['quoted without space', '>/warden rotate'],
    ['inline code', '`/warden rotate`'],
    ['fenced', '```\n/warden rotate\n```'],
    ['fenced with info string', '```sh\n/warden rotate'],
    ['tilde fence', '~~~\n/warden rotate\n~~~'],
    ['indented code block', '    /warden rotate'],
    ['one leading space', ' /warden rotate'],
    ['tab before', '\t/warden rotate'],
    ['not on the first line', 'hello\n/warden rotate'],
    ['after an empty first line', '\n/warden rotate'],
    ['inside a sentence', 'please /warden rotate'],
    ['HTML comment before', '<!-- x -->/warden rotate'],
    ['BOM before', '\uFEFF/warden rotate'],
    ['zero-width space inside the prefix', '/war\u200Bden rotate'],
    ['zero-width joiner after the prefix', '/warden\u200D rotate'],
    ['zero-width space inside the verb', '/warden rot\u200Bate'],
    ['word joiner at the end', '/warden rotate\u2060'],
    ['fullwidth solidus (NFKC folds it to /)', '\uFF0Fwarden rotate'],
    ['fullwidth letters', '/ｗａｒｄｅｎ rotate'],
    ['fullwidth verb', '/warden ｒｏｔａｔｅ'],
    ['Cyrillic а in warden', '/w\u0430rden rotate'],
    ['Cyrillic о in rotate', '/warden r\u043Etate'],
    ['Cyrillic е in revoke', '/warden r\u0435voke 0123456789ab'],
    ['Greek omicron', '/warden r\u03BFtate'],
    ['no-break space as separator', '/warden\u00A0rotate'],
    ['ideographic space as separator', '/warden\u3000rotate'],
    ['division slash', '\u2215warden rotate'],
    ['combining mark on a letter', '/warden rota\u0301te'],
    ['mathematical bold letters', '/warden \uD835\uDC2Btate'],
    ['right-to-left override', '/warden \u202Eetator'],
    ['line separator inside', '/warden\u2028rotate'],
    ['uppercase prefix', '/WARDEN rotate'],
    ['uppercase verb', '/warden ROTATE'],
    ['prefix glued to the verb', '/wardenrotate'],
    ['another bot prefix', '/warden-bot rotate'],
    ['tab as separator', '/warden\trotate'],
    ['a first line too long to be a command', `/warden status ${'x'.repeat(300)}`],
    ['empty body', ''],
  ])('%s', (_name, body) => {
    expect(parseCommand(body, COMMANDS).kind).toBe('ignored')
  })
})

describe('parseCommand: arguments never name another repository or a path', () => {
  test.each<[string, string, RegExp]>([
    ['another repository', '/warden rotate acme/other', /another repository or a path/],
    ['another repository on revoke', '/warden revoke acme/other', /another repository or a path/],
    ['issue reference in another repository', '/warden status acme/other#12', /another repository or a path/],
    ['a URL', '/warden audit https://github.com/acme/other', /another repository or a path/],
    ['a relative path', '/warden revoke ../../secrets', /another repository or a path/],
    ['an absolute path', '/warden verify /etc/passwd', /another repository or a path/],
    ['a Windows path', '/warden revoke C:\\keys', /another repository or a path/],
    ['a home path', '/warden status ~/x', /another repository or a path/],
    ['a fingerprint plus a repository', '/warden revoke 0123456789ab acme/other', /another repository or a path/],
    ['uppercase fingerprint', '/warden revoke 0123456789AB', /is not a credential fingerprint/],
    ['short fingerprint', '/warden revoke 0123456789a', /is not a credential fingerprint/],
    ['long fingerprint (a whole hash)', `/warden revoke ${'a'.repeat(64)}`, /is not a credential fingerprint/],
    ['missing fingerprint', '/warden revoke', /needs FINGERPRINT/],
    ['an argument to a command that takes none', '/warden rotate now', /is one too many/],
    ['shell metacharacters', '/warden revoke $(rm${IFS}-rf)', /is not a credential fingerprint/],
    ['a workflow command', '/warden status ::add-mask::x', /another repository or a path/],
    ['a mention', '/warden rotate @org/admins', /another repository or a path/],
  ])('%s', (_name, body, reason) => {
    const reading = parseCommand(body, COMMANDS)
    expect(reading.kind).toBe('ignored')
    expect(reading.kind === 'ignored' && reading.reason).toMatch(reason)
  })
})

describe('parseCommand: well formed but unknown', () => {
  test.each([['/warden rotat', 'rotat'], ['/warden delete-everything', 'delete-everything']])('%s', (body, name) => {
    expect(parseCommand(body, COMMANDS)).toEqual({ kind: 'unknown', name, line: body })
  })

  test('a 1 MB body costs one bounded line', () => {
    const body = `/warden status\n${'/warden rotate '.repeat(70_000)}`
    const started = performance.now()
    expect(parseCommand(body, COMMANDS).kind).toBe('command')
    expect(parseCommand('x'.repeat(1_000_000), COMMANDS).kind).toBe('ignored')
    expect(performance.now() - started).toBeLessThan(200)
  })
})

describe('authorizeCommand: the live permission decides', () => {
  const byName = (name: string) => registry.get(name) as CommandDefinition<string>
  test.each<[string, RepositoryPermission, string[], boolean]>([
    ['rotate', 'admin', [], true],
    ['rotate', 'write', ['rotate'], false],
    ['revoke', 'write', [], false],
    ['verify', 'read', [], false],
    ['status', 'admin', [], true],
    ['status', 'write', [], false],
    ['status', 'write', ['status'], true],
    ['audit', 'write', ['audit'], true],
    ['audit', 'read', ['audit'], false],
    ['help', 'none', ['help'], false],
    ['help', 'write', ['help'], true],
  ])('%s by %s (open to write: %j) → %s', (name, permission, open, allowed) => {
    expect(authorizeCommand(byName(name), permission, open).allowed).toBe(allowed)
  })

  test('the refusal names what is needed and what is held', () => {
    expect(authorizeCommand(byName('rotate'), 'write', [])).toEqual({
      allowed: false,
      reason: '/warden rotate needs admin permission on this repository; the requester has write',
    })
  })

  test.each([['maintain', 'none'], ['triage', 'none'], [undefined, 'none'], ['admin', 'admin'], ['write', 'write']])('permission field %s reads as %s', (value, expected) => {
    expect(repositoryPermissionOf(value)).toBe(expected)
  })
})

describe('the registry and help', () => {
  test('help is generated from every registered command', () => {
    const text = helpText(COMMANDS, ['status'])
    for (const definition of COMMANDS) expect(text).toContain(`\`${definition.usage}\``)
    expect(text).toContain('| `/warden status` | does status | admins and write users | `/warden status` |')
    expect(text).toContain('| `/warden audit` | does audit | admins | `/warden audit` |')
    expect(text).toContain('`/warden revoke 0123456789ab`')
  })

  test('a command that changes state cannot be opened to write users', () => {
    expect(() => new CommandRegistry<string>().register(command('rotate', { changesState: true, who: 'write-if-configured' }))).toThrow(/only admins/)
  })

  test('a name registers once', () => {
    expect(() => new CommandRegistry<string>().register(command('help')).register(command('help'))).toThrow(/twice/)
  })
})
