/**
 * Real verification of a candidate credential: a Jira port built with it,
 * then the checks `jira-warden doctor` runs (identity through /myself, browse
 * and transition in every project, every target status present), reported
 * in the rotation port's terms.
 */
import { AuthenticationError } from '../../core/errors.ts'
import { verifyAccess, type AccessCheck, type AccessReport } from '../../jobs/verify-access.ts'
import type { Verification, VerificationCheck } from '../../ports/rotation.ts'
import { connectJira } from '../jira/connect-jira.ts'
import type { JiraAuth } from '../jira/jira-auth.ts'
import type { ProviderSettings } from './provider-settings.ts'

export async function verifyCredential(settings: ProviderSettings, auth: JiraAuth): Promise<Verification> {
  let report: AccessReport
  try {
    const jira = await connectJira({
      url: settings.jiraUrl,
      auth,
      ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
      ...(settings.retry ? { retry: settings.retry } : {}),
      ...(settings.onSecret ? { onSecret: settings.onSecret } : {}),
    })
    report = await verifyAccess(jira, settings.requirements)
  } catch (error) {
    // Refused before any check could run (e.g. the OAuth token endpoint refused the secret).
    if (!(error instanceof AuthenticationError)) throw error
    return { ok: false, checks: [{ name: 'credential', ok: false, detail: error.message }] }
  }
  return {
    ok: report.usable,
    ...(report.identity ? { identity: report.identity.displayName } : {}),
    checks: report.checks.map(toVerificationCheck),
  }
}

function toVerificationCheck(check: AccessCheck): VerificationCheck {
  const name = check.subject === 'credential' || check.subject === 'site' ? check.subject : `project ${check.subject}`
  return { name, ok: check.verdict !== 'fail', detail: check.verdict === 'warn' ? `warning: ${check.detail}` : check.detail }
}
