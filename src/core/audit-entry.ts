/**
 * One audit-trail entry, shared by the action, the app and the rotate
 * action: a readable markdown line for people, and the same facts as JSON
 * in an HTML comment for machines. A comment counts as an entry only when
 * it is exactly what formatAuditComment would write for the record it
 * carries, so an edited or hand-written look-alike is not one.
 */
import { z } from 'zod'

export const AUDIT_EVENTS = [
  'rotation.intent',
  'rotation.completed',
  'rotation.failed',
  'credential.revoked',
  'credential.used',
  'command.denied',
  /** An admin's state-changing command, written before anything is done for it. */
  'command.accepted',
  'anomaly',
] as const

export type AuditEvent = (typeof AUDIT_EVENTS)[number]

const text = z.string().max(2_000)

export const auditEntrySchema = z.strictObject({
  v: z.literal(1),
  time: z.iso.datetime({ offset: true }),
  /** Admin login, or the workflow run URL. */
  actor: z.string().min(1).max(500),
  event: z.enum(AUDIT_EVENTS),
  /** First 12 hex of SHA-256 of the credential; never the credential. */
  fingerprint: z.string().regex(/^[0-9a-f]{12}$/).optional(),
  issues: z.array(z.string().regex(/^[A-Z][A-Z0-9_]{1,9}-[1-9][0-9]{0,8}$/)).max(10_000).optional(),
  outcome: text,
  run: text.optional(),
  workflow: text.optional(),
  ref: text.optional(),
  repository: text.optional(),
  detail: text.optional(),
  rotationId: text.optional(),
  phase: text.optional(),
})

export type AuditEntry = z.output<typeof auditEntrySchema>

const MARKER = '<!-- jira-warden:audit '
const MARKER_END = ' -->'
const MAX_COMMENT_LENGTH = 65_536
const MAX_LISTED_ISSUES = 10

const ICONS: Readonly<Record<AuditEvent, string>> = {
  'rotation.intent': '🔄',
  'rotation.completed': '✅',
  'rotation.failed': '❌',
  'credential.revoked': '🗑️',
  'credential.used': '🔑',
  'command.denied': '⛔',
  'command.accepted': '▶️',
  anomaly: '⚠️',
}

/** The comment body: the readable line, a blank line, and the record. */
export function formatAuditComment(entry: AuditEntry): string {
  return `${readableLine(entry)}\n\n${MARKER}${recordJson(entry)}${MARKER_END}`
}

/** The entry a comment carries, or undefined for anything that is not exactly an audit comment. */
export function parseAuditComment(body: string): AuditEntry | undefined {
  if (body.length > MAX_COMMENT_LENGTH) return undefined
  const normalized = body.replace(/\r\n/g, '\n').trimEnd()
  const start = normalized.lastIndexOf(`\n\n${MARKER}`)
  if (start < 0 || !normalized.endsWith(MARKER_END)) return undefined
  const json = normalized.slice(start + 2 + MARKER.length, normalized.length - MARKER_END.length)
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    return undefined
  }
  const parsed = auditEntrySchema.safeParse(raw)
  if (!parsed.success) return undefined
  return formatAuditComment(parsed.data) === normalized ? parsed.data : undefined
}

function readableLine(entry: AuditEntry): string {
  const parts = [`${ICONS[entry.event]} \`${entry.event}\` by ${actorText(entry.actor)}`]
  if (entry.fingerprint) parts.push(`fingerprint \`${entry.fingerprint}\``)
  if (entry.issues && entry.issues.length > 0) parts.push(issuesText(entry.issues))
  if (entry.outcome) parts.push(inline(entry.outcome))
  if (entry.detail) parts.push(inline(entry.detail))
  return parts.join(' · ')
}

function actorText(actor: string): string {
  const url = httpUrl(actor)
  if (url) return `[${/\/actions\/runs\/\d+/.test(url) ? 'workflow run' : 'link'}](${url})`
  return `\`${actor.replace(/[`\r\n]/g, '')}\``
}

function issuesText(issues: readonly string[]): string {
  const listed = issues.slice(0, MAX_LISTED_ISSUES).join(', ')
  return issues.length > MAX_LISTED_ISSUES ? `${listed} and ${issues.length - MAX_LISTED_ISSUES} more` : listed
}

/** Markdown-inert, mention-free, one line. */
function inline(value: string): string {
  return value
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+!|<>~]/g, '\\$&')
    .replace(/@/g, '@\u2060')
}

function httpUrl(text: string): string | undefined {
  if (!/^https?:\/\//.test(text)) return undefined
  try {
    return new URL(text).href.replace(/\(/g, '%28').replace(/\)/g, '%29')
  } catch {
    return undefined
  }
}

/** Canonical key order, and nothing that could end or confuse an HTML comment (`--`, `<`, `>`). */
function recordJson(entry: AuditEntry): string {
  const ordered = Object.fromEntries(
    Object.keys(auditEntrySchema.shape)
      .filter((key) => entry[key as keyof AuditEntry] !== undefined)
      .map((key) => [key, entry[key as keyof AuditEntry]]),
  )
  return JSON.stringify(ordered)
    .replace(/[<>&]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/--/g, '-\\u002d')
}
