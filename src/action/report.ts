/** Outputs, job summary and log lines of a run. */
import * as core from '@actions/core'
import type { IssueOutcome } from '../jobs/transition-issues.ts'
import type { ActionReport } from './transition-for-event.ts'

export function publishReport(report: ActionReport): void {
  core.setOutput('issue-keys', JSON.stringify(report.keys))
  for (const result of ['transitioned', 'skipped', 'failed'] as const) {
    core.setOutput(result, JSON.stringify(report.outcomes.filter((o) => o.result === result).map(outputRecord)))
  }
  core.setOutput('credential-fingerprint', report.fingerprint ?? '')
  for (const warning of report.warnings) core.warning(singleLine(warning))
  for (const outcome of report.outcomes) logOutcome(outcome)
  if (report.audit && !report.audit.written) core.warning(`Audit entry not written: ${report.audit.reason}. It is in the job summary instead.`)
  core.info(singleLine(report.summary))
}

export async function writeJobSummary(report: ActionReport): Promise<void> {
  const summary = core.summary.addHeading('jira-warden', 3).addRaw(`<p>${escapeHtml(report.summary)}</p>`, true)
  if (report.outcomes.length > 0) {
    summary.addTable([
      [
        { data: 'Issue', header: true },
        { data: 'From', header: true },
        { data: 'To', header: true },
        { data: 'Result', header: true },
        { data: 'Details', header: true },
      ],
      ...report.outcomes.map((outcome) => [
        report.browseUrl ? `<a href="${escapeHtml(`${report.browseUrl}/${outcome.key}`)}">${escapeHtml(outcome.key)}</a>` : escapeHtml(outcome.key),
        escapeHtml(outcome.from ?? '—'),
        escapeHtml(outcome.to),
        resultBadge(outcome.result),
        escapeHtml(outcome.reason),
      ]),
    ])
  }
  if (report.warnings.length > 0) summary.addList(report.warnings.map(escapeHtml))
  if (report.fingerprint) {
    const audit = report.audit?.written
      ? `<a href="${escapeHtml(report.audit.url)}">audit entry</a>`
      : `audit entry not written${report.audit ? ` (${escapeHtml(report.audit.reason)})` : ''}: <code>credential.used</code> · ${escapeHtml(report.summary)}`
    summary.addRaw(`<p>Credential fingerprint <code>${report.fingerprint}</code> · ${audit}</p>`, true)
  }
  await summary.write()
}

function outputRecord(outcome: IssueOutcome) {
  return { key: outcome.key, from: outcome.from ?? null, to: outcome.to, reason: outcome.reason }
}

function logOutcome(outcome: IssueOutcome): void {
  const line = singleLine(`${outcome.key}: ${outcome.from ?? '?'} → ${outcome.to}: ${outcome.result} (${outcome.reason})`)
  if (outcome.result === 'failed') core.error(line)
  else core.info(line)
}

function resultBadge(result: IssueOutcome['result']): string {
  return { transitioned: '✅ transitioned', skipped: '⏭️ skipped', failed: '❌ failed' }[result]
}

/** Text from events and Jira never starts a line of the log: no workflow command can be smuggled in. */
export function singleLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ')
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)
}
