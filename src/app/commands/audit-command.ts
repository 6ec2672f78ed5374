/** `/warden audit`: usage per fingerprint since the last rotation, and anomalies. */
import { readAuditEntries } from '../../adapters/github/audit-trail.ts'
import { summarizeAudit, type Anomaly, type AuditSummary, type KnownCredentials } from '../../core/audit-summary.ts'
import type { CommandDefinition } from '../../core/commands/command-registry.ts'
import type { CommandHandler } from './command-run.ts'
import { lookUpRotationState } from './rotation-state-reader.ts'

const MAX_LISTED_ANOMALIES = 20

export const auditCommand: CommandDefinition<CommandHandler> = {
  name: 'audit',
  args: [],
  usage: '/warden audit',
  description: 'Summarises credential use per fingerprint since the last rotation (runs, workflows, refs, issues moved) and flags anomalies.',
  who: 'write-if-configured',
  changesState: false,
  example: '/warden audit',
  handler: async (run) => {
    const entries = await readAuditEntries(run.github, run.repository, { trustedAuthors: run.trustedAuditAuthors })
    const lookup = await lookUpRotationState(run.github, run.repository, run.config)
    const known: KnownCredentials = {}
    if (lookup.kind === 'state') {
      if (lookup.state.current) known.current = lookup.state.current.fingerprint
      if (lookup.state.previous) known.previous = lookup.state.previous.credential.fingerprint
      if (lookup.state.last?.outcome === 'completed') known.lastRotationAt = lookup.state.last.at
    }
    const summary = summarizeAudit(entries, known, {
      repository: run.fullName,
      ...(run.config.audit.workflows ? { workflows: run.config.audit.workflows } : {}),
      ...(run.config.audit.refs ? { refs: run.config.audit.refs } : {}),
    })
    return { ok: true, body: auditBody(summary, entries.length) }
  },
}

function auditBody(summary: AuditSummary, entryCount: number): string {
  const lines = [
    `${entryCount} audit entr${entryCount === 1 ? 'y' : 'ies'} read; usage ${summary.since ? `since the last rotation (${summary.since})` : 'over the whole trail (no rotation recorded)'}.`,
    '',
  ]
  if (summary.usage.length === 0) lines.push('No credential use recorded in that window.')
  else {
    lines.push('| fingerprint | runs | issues moved | workflows | refs | last use |', '| --- | --- | --- | --- | --- | --- |')
    for (const usage of summary.usage) {
      lines.push(`| \`${usage.fingerprint}\` | ${usage.runs} | ${usage.issuesMoved} | ${usage.workflows.map(code).join('<br>')} | ${usage.refs.map(code).join('<br>')} | ${usage.lastUse} |`)
    }
  }
  lines.push('')
  if (summary.anomalies.length === 0) lines.push('No anomalies.')
  else {
    lines.push(`**${summary.anomalies.length} anomal${summary.anomalies.length === 1 ? 'y' : 'ies'}:**`)
    lines.push(...summary.anomalies.slice(0, MAX_LISTED_ANOMALIES).map(anomalyLine))
    if (summary.anomalies.length > MAX_LISTED_ANOMALIES) lines.push(`- and ${summary.anomalies.length - MAX_LISTED_ANOMALIES} more`)
  }
  if (!summary.fingerprintsChecked) lines.push('', 'Unknown fingerprints are not flagged: no rotation state names the current credential yet.')
  return lines.join('\n')
}

const LABELS: Record<Anomaly['kind'], string> = {
  'revoked-in-use': 'revoked fingerprint in use',
  'unknown-in-use': 'unknown fingerprint in use',
  'unexpected-workflow': 'unexpected workflow',
  'unexpected-ref': 'unexpected ref',
  'command-denied': 'command denied',
  recorded: 'recorded anomaly',
}

function anomalyLine(anomaly: Anomaly): string {
  return `- ${LABELS[anomaly.kind]}${anomaly.fingerprint ? ` \`${anomaly.fingerprint}\`` : ''} at ${anomaly.time}: ${inert(anomaly.detail)}`
}

function code(text: string): string {
  return `\`${text.replace(/[`|]/g, '')}\``
}

/** Entry text came from other writers: no markdown, no mentions, one line. */
function inert(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]()#+!|<>~]/g, '\\$&').replace(/@/g, '@\u2060')
}
