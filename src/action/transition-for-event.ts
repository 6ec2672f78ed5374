/**
 * One run of the transition action: event → rule → keys → Jira → audit.
 * Returns what happened; it sets no outputs and fails nothing (main does).
 */
import type { AuditEntry } from '../core/audit-entry.ts'
import { AuthenticationError, ConfigurationError } from '../core/errors.ts'
import { describeEvent, type WardenEvent } from '../core/event.ts'
import { fingerprintOf, type CredentialFingerprint } from '../core/fingerprint.ts'
import { selectRule } from '../core/rules.ts'
import { renderTemplate, templateContextFor } from '../core/template.ts'
import { createAuditTrail } from '../adapters/github/audit-trail.ts'
import { createGitHubClient } from '../adapters/github/github-client.ts'
import { connectJira } from '../adapters/jira/connect-jira.ts'
import { longLivedSecretOf } from '../adapters/jira/jira-auth.ts'
import { parseJiraUrl } from '../adapters/jira/jira-url.ts'
import { transitionIssues, type IssueOutcome } from '../jobs/transition-issues.ts'
import type { AuditWrite } from '../ports/audit-log.ts'
import type { ActionSettings } from './action-settings.ts'
import { effectiveConfig } from './effective-config.ts'
import { gatherIssueKeys } from './gather-issue-keys.ts'
import type { WorkflowContext } from './workflow-context.ts'

export interface ActionReport {
  /** `neutral`: nothing to do, and that is fine (no rule, no keys, no credentials on a fork). */
  verdict: 'done' | 'neutral'
  summary: string
  event: WardenEvent | undefined
  target: string | undefined
  keys: string[]
  outcomes: IssueOutcome[]
  fingerprint: CredentialFingerprint | undefined
  browseUrl: string | undefined
  audit: AuditWrite | undefined
  warnings: string[]
  dryRun: boolean
}

export interface ActionHooks {
  progress: (line: string) => void
  maskSecret: (secret: string) => void
  now: () => Date
}

const WRITE_CONCURRENCY = 4

export async function transitionForEvent(
  workflow: WorkflowContext,
  settings: ActionSettings,
  hooks: ActionHooks,
): Promise<ActionReport> {
  const described = describeEvent(workflow.eventName, workflow.payload)
  const report = emptyReport(settings.dryRun)
  if ('unsupported' in described) return neutral(report, `Nothing to do: ${described.reason}`)
  report.event = described
  report.warnings.push(...described.notes)
  if (!settings.auth) {
    if (described.secretsUnavailableReason) {
      return neutral(report, `Credentials unavailable (${described.secretsUnavailableReason}); no Jira call was made.`)
    }
    throw new ConfigurationError(
      'No Jira credential was given. Set jira-email + jira-api-token (Cloud), jira-pat (Data Center) or jira-client-id + jira-client-secret (service account) from repository secrets; if they are set, check the secret names in the workflow.',
    )
  }
  const config = effectiveConfig(settings, workflow.workspace)
  const rule = selectRule(described, config.rules)
  if (!rule) return neutral(report, `No transition rule matches ${described.trigger}; nothing to do.`)
  report.target = rule.to

  const github = createGitHubClient(settings.githubToken, workflow.apiUrl)
  const gathered = settings.explicitKeys
    ? { keys: settings.explicitKeys, warnings: [] }
    : await gatherIssueKeys({
        event: described,
        sources: config.keySources,
        projects: config.projects,
        maxKeys: config.maxKeys,
        github,
        repository: workflow.repository,
        pullRequestCommitCount: pullRequestCommitCount(workflow.payload),
      })
  report.keys = gathered.keys
  report.warnings.push(...gathered.warnings)
  if (report.keys.length === 0) {
    return neutral(report, `No Jira issue keys found in ${config.keySources.join(', ')}; nothing to do.`)
  }

  const auth = settings.auth
  report.fingerprint = fingerprintOf(longLivedSecretOf(auth))
  const context = templateContextFor(described)
  const audit = createAuditTrail(github, workflow.repository)
  const auditEntry = (outcome: string, issues: string[]): AuditEntry => ({
    v: 1,
    time: hooks.now().toISOString(),
    actor: workflow.runUrl,
    event: 'credential.used',
    fingerprint: report.fingerprint,
    issues,
    outcome,
    run: workflow.runUrl,
    workflow: workflow.workflow,
    ref: workflow.ref,
    repository: `${workflow.repository.owner}/${workflow.repository.repo}`,
  })
  try {
    const jira = await connectJira({
      url: parseJiraUrl(config.jiraUrl),
      auth,
      onSecret: hooks.maskSecret,
      onWait: (ms, reason) => hooks.progress(`${reason} Waiting ${Math.ceil(ms / 1000)} s before trying again.`),
    })
    report.browseUrl = jira.browseUrl
    hooks.progress(`Moving ${report.keys.length} issue(s) to '${rule.to}' on ${described.trigger}${settings.dryRun ? ' (dry run)' : ''}.`)
    report.outcomes = await transitionIssues({
      jira,
      keys: report.keys,
      rule,
      context,
      comment: config.comment ? renderTemplate(config.comment, context) : undefined,
      dryRun: settings.dryRun,
      concurrency: WRITE_CONCURRENCY,
      progress: hooks.progress,
    })
  } catch (error) {
    if (error instanceof AuthenticationError) await audit.append(auditEntry('refused: Jira did not accept the credential', report.keys))
    throw error
  }
  report.audit = await audit.append(auditEntry(outcomeLine(report), movedKeys(report.outcomes)))
  report.verdict = 'done'
  report.summary = outcomeLine(report)
  return report
}

function emptyReport(dryRun: boolean): ActionReport {
  return {
    verdict: 'neutral',
    summary: '',
    event: undefined,
    target: undefined,
    keys: [],
    outcomes: [],
    fingerprint: undefined,
    browseUrl: undefined,
    audit: undefined,
    warnings: [],
    dryRun,
  }
}

function neutral(report: ActionReport, summary: string): ActionReport {
  report.verdict = 'neutral'
  report.summary = summary
  return report
}

function outcomeLine(report: ActionReport): string {
  const count = (result: IssueOutcome['result']) => report.outcomes.filter((outcome) => outcome.result === result).length
  const verb = report.dryRun ? 'dry run: ' : ''
  return `${verb}${count('transitioned')} transitioned, ${count('skipped')} skipped, ${count('failed')} failed`
}

function movedKeys(outcomes: readonly IssueOutcome[]): string[] {
  return outcomes.filter((outcome) => outcome.result === 'transitioned').map((outcome) => outcome.key)
}

function pullRequestCommitCount(payload: unknown): number | undefined {
  const commits = (payload as { pull_request?: { commits?: unknown } } | null)?.pull_request?.commits
  return typeof commits === 'number' ? commits : undefined
}
