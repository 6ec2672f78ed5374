/** The rotate action's outputs, log lines and job summary: state, fingerprints, ages, expiries, and what happened. */
import * as core from '@actions/core'
import { ageOf, describeSpan } from '../core/rotation/rotation-due.ts'
import type { RotationState, StoredCredential } from '../core/rotation/rotation-state.ts'
import type { RotationReport } from '../jobs/rotate-credential.ts'

export function publishRotationOutputs(report: RotationReport): void {
  core.setOutput('rotated', String(report.rotated))
  core.setOutput('fingerprint', report.state?.current?.fingerprint ?? '')
  core.setOutput('previous-fingerprint', report.state?.previous?.credential.fingerprint ?? '')
  core.setOutput('state', report.state ? JSON.stringify(report.state) : '')
  for (const note of report.notes) core.info(singleLine(note))
  for (const problem of report.problems) core.warning(singleLine(problem))
}

export async function writeRotationSummary(report: RotationReport, now: Date): Promise<void> {
  const summary = core.summary.addHeading(`jira-warden rotation · ${report.command}`, 3).addRaw(`<p>${escapeHtml(headline(report))}</p>`, true)
  const state = report.state
  if (state) {
    summary.addTable([
      [
        { data: 'credential', header: true },
        { data: 'fingerprint', header: true },
        { data: 'age', header: true },
        { data: 'expires', header: true },
        { data: 'status', header: true },
      ],
      ...credentialRows(state, now),
    ])
    summary.addRaw(`<p>${escapeHtml(phaseLine(state, now))}</p>`, true)
  }
  const happened = [...report.notes, ...report.problems.map((problem) => `⚠️ ${problem}`)]
  if (happened.length > 0) summary.addHeading('What happened', 4).addList(happened.map(escapeHtml))
  if (report.steps.length > 0) summary.addDetails('Steps', `<ol>${report.steps.map((step) => `<li><code>${escapeHtml(step)}</code></li>`).join('')}</ol>`)
  await summary.write()
}

function headline(report: RotationReport): string {
  if (report.outcome === 'locked') return `Another rotation (${report.lockHolder?.rotationId}) holds the lock: nothing done.`
  if (report.rotated) return `Rotated: the secret now holds ${report.state?.current?.fingerprint}.`
  return report.outcome === 'failed' ? 'The run did not complete: see what happened below.' : 'Nothing needed rotating.'
}

function credentialRows(state: RotationState, now: Date): string[][] {
  const row = (label: string, credential: StoredCredential | undefined, status: string) =>
    credential ? [[label, `<code>${credential.fingerprint}</code>`, ageOf(credential, now) ?? '?', credential.expiresAt ?? 'no expiry known', escapeHtml(status)]] : []
  return [
    ...row('current', state.current, 'in the secret'),
    ...row('previous', state.previous?.credential, `valid until ${state.previous?.graceEndsAt}, then revoked`),
    ...row('pending', state.rotation?.pending, `rotation ${state.rotation?.id}, phase ${state.rotation?.phase}`),
    ...state.revocations.flatMap((revocation) => row('to revoke', revocation.credential, `${revocation.reason}, due ${revocation.dueAt}`)),
  ]
}

function phaseLine(state: RotationState, now: Date): string {
  const last = state.last ? ` Last rotation ${state.last.rotationId}: ${state.last.outcome} at ${state.last.at}.` : ''
  if (!state.rotation) return `No rotation in progress.${last}`
  const grace = state.previous ? `; the grace period ends in ${describeSpan(Date.parse(state.previous.graceEndsAt) - now.getTime())}` : ''
  return `Rotation ${state.rotation.id} is in phase ${state.rotation.phase}${grace}.${last}`
}

export function singleLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ')
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)
}
