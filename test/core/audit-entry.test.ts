import { describe, expect, test } from 'vitest'
import { formatAuditComment, parseAuditComment, type AuditEntry } from '../../src/core/audit-entry.ts'

const RUN = 'https://github.com/acme/app/actions/runs/123'

const USED: AuditEntry = {
  v: 1,
  time: '2025-03-01T12:00:00.000Z',
  actor: RUN,
  event: 'credential.used',
  fingerprint: 'abc123def456',
  issues: ['PROJ-1', 'PROJ-2'],
  outcome: '2 transitioned, 1 skipped, 0 failed',
  run: RUN,
  workflow: 'acme/app/.github/workflows/jira.yml@refs/heads/main',
  ref: 'refs/heads/main',
  repository: 'acme/app',
}

describe('formatAuditComment', () => {
  test('a readable line, then the record in an HTML comment', () => {
    expect(formatAuditComment(USED)).toBe(
      [
        `🔑 \`credential.used\` by [workflow run](${RUN}) · fingerprint \`abc123def456\` · PROJ-1, PROJ-2 · 2 transitioned, 1 skipped, 0 failed`,
        '',
        '<!-- jira-warden:audit {"v":1,"time":"2025-03-01T12:00:00.000Z","actor":"https://github.com/acme/app/actions/runs/123","event":"credential.used","fingerprint":"abc123def456","issues":["PROJ-1","PROJ-2"],"outcome":"2 transitioned, 1 skipped, 0 failed","run":"https://github.com/acme/app/actions/runs/123","workflow":"acme/app/.github/workflows/jira.yml@refs/heads/main","ref":"refs/heads/main","repository":"acme/app"} -->',
      ].join('\n'),
    )
  })

  test.each<[string, AuditEntry, string]>([
    ['an admin login', { v: 1, time: '2025-03-01T12:00:00Z', actor: 'octocat', event: 'rotation.intent', outcome: 'started', rotationId: 'r-1', phase: 'intent' }, '🔄 `rotation.intent` by `octocat` · started'],
    ['a denied command', { v: 1, time: '2025-03-01T12:00:00Z', actor: 'mallory', event: 'command.denied', outcome: 'refused: /warden rotate needs admin' }, '⛔ `command.denied` by `mallory` · refused: /warden rotate needs admin'],
    ['markdown, HTML and mentions made inert', { v: 1, time: '2025-03-01T12:00:00Z', actor: 'x`y', event: 'anomaly', outcome: '<b>*bold*</b> [link](http://evil) @team\nnext', detail: '#1 _x_' }, '⚠️ `anomaly` by `xy` · \\<b\\>\\*bold\\*\\</b\\> \\[link\\]\\(http://evil\\) @\u2060team next · \\#1 \\_x\\_'],
    ['many issues', { v: 1, time: '2025-03-01T12:00:00Z', actor: 'octocat', event: 'credential.used', issues: Array.from({ length: 12 }, (_, i) => `PROJ-${i + 1}`), outcome: 'ok' }, '🔑 `credential.used` by `octocat` · PROJ-1, PROJ-2, PROJ-3, PROJ-4, PROJ-5, PROJ-6, PROJ-7, PROJ-8, PROJ-9, PROJ-10 and 2 more · ok'],
    ['a URL actor that is not a run', { v: 1, time: '2025-03-01T12:00:00Z', actor: 'https://example.com/a (b)', event: 'credential.revoked', outcome: 'revoked' }, '🗑️ `credential.revoked` by [link](https://example.com/a%20%28b%29) · revoked'],
  ])('%s', (_name, entry, line) => {
    expect(formatAuditComment(entry).split('\n')[0]).toBe(line)
  })

  test('the record cannot end or open an HTML comment, whatever the values hold', () => {
    const entry: AuditEntry = { ...USED, outcome: 'a --> b <!-- c --!> d ---- e > f < g & h', detail: '-' }
    const record = formatAuditComment(entry).split('\n')[2] ?? ''
    const inner = record.slice('<!-- '.length, -' -->'.length)
    expect(inner).not.toMatch(/--|[<>]/)
    expect(parseAuditComment(formatAuditComment(entry))).toEqual(entry)
  })
})

describe('parseAuditComment', () => {
  test.each<[string, AuditEntry]>([
    ['credential.used', USED],
    ['rotation.completed', { v: 1, time: '2025-03-01T12:00:00+01:00', actor: 'octocat', event: 'rotation.completed', fingerprint: '0123456789ab', outcome: 'rotated', rotationId: 'rot-7', phase: 'set' }],
    ['rotation.failed', { v: 1, time: '2025-03-01T12:00:00Z', actor: RUN, event: 'rotation.failed', outcome: 'test failed: 401', detail: 'pending credential revoked' }],
    ['unicode and quotes', { v: 1, time: '2025-03-01T12:00:00Z', actor: 'octocat', event: 'anomaly', outcome: 'fingerprint "abc" used from ref ünïcødé 🔑\n— twice' }],
  ])('round-trips %s', (_name, entry) => {
    expect(parseAuditComment(formatAuditComment(entry))).toEqual(entry)
  })

  test('CRLF line endings and a trailing newline are tolerated', () => {
    expect(parseAuditComment(`${formatAuditComment(USED).replace(/\n/g, '\r\n')}\r\n`)).toEqual(USED)
  })

  const genuine = formatAuditComment(USED)
  const record = genuine.split('\n')[2] ?? ''
  const json = record.slice('<!-- jira-warden:audit '.length, -' -->'.length)

  test.each<[string, string]>([
    ['an empty body', ''],
    ['the record alone', record],
    ['a changed readable line', genuine.replace('2 transitioned', '9 transitioned')],
    ['a changed record', genuine.replace('"PROJ-1","PROJ-2"', '"PROJ-1","PROJ-3"')],
    ['text after the record', `${genuine}\nP.S.`],
    ['a fenced copy', `\`\`\`\n${genuine}\n\`\`\``],
    ['a quoted copy', genuine.split('\n').map((line) => `> ${line}`).join('\n')],
    ['a marker without the space', genuine.replace('<!-- jira-warden:audit ', '<!--jira-warden:audit ')],
    ['another marker name', genuine.replace('jira-warden:audit', 'jira-warden:audlt')],
    ['keys in another order', genuine.replace(json, JSON.stringify({ time: USED.time, v: 1, actor: USED.actor, event: USED.event, outcome: USED.outcome }))],
    ['an unknown key', genuine.replace('"v":1,', '"v":1,"admin":true,')],
    ['another version', genuine.replace('"v":1,', '"v":2,')],
    ['an unknown event', genuine.replace('credential.used', 'credential.stolen').replace('credential.used', 'credential.stolen')],
    ['a secret-sized fingerprint', genuine.replace('abc123def456', 'abc123def456abc123def456')],
    ['a time that is not ISO', genuine.replace('2025-03-01T12:00:00.000Z', 'yesterday')],
    ['malformed JSON', genuine.replace(json, '{"v":1,')],
    ['an oversized body', `${'x'.repeat(70_000)}${genuine}`],
  ])('rejects %s', (_name, body) => {
    expect(parseAuditComment(body)).toBeUndefined()
  })

  test('a forged record under a plausible line is rejected unless it is exactly what we would write', () => {
    const forged: AuditEntry = { ...USED, actor: 'octocat', outcome: 'all good' }
    const honest = formatAuditComment(forged)
    expect(parseAuditComment(honest)).toEqual(forged)
    expect(parseAuditComment(honest.replace('all good', 'all good!'))).toBeUndefined()
  })
})
