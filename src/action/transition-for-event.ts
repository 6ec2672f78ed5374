/**
 * One run of the transition action: event → rule → keys → Jira → audit.
 * Returns what happened; it sets no outputs and fails nothing (main does).
 */
import type { AuditEntry } from '../core/audit-entry.ts'
import { AuthenticationError, ConfigurationError } from '../core/errors.ts'
import { describeEvent, type WardenEvent } from '../core/event.ts'
import { fingerprintOf, type CredentialFingerprint } from '../core/fingerprint.ts'
import type { TransitionRule } from '../core/config.ts'
import { selectRule } from '../core/rules.ts'
import { templateContextFor } from '../core/template.ts'
import { renderComment } from '../core/transition-plan.ts'
import { createAuditTrail } from '../adapters/github/audit-trail.ts'
import { createGitHubClient, type GitHubClient } from '../adapters/github/github-client.ts'
import { connectJira } from '../adapters/jira/connect-jira.ts'
import { longLivedSecretOf, type JiraAuth } from '../adapters/jira/jira-auth.ts'
import { parseJiraUrl } from '../adapters/jira/jira-url.ts'
import { transitionIssues, type IssueOutcome } from '../jobs/transition-issues.ts'
import type { AuditWrite } from '../ports/audit-log.ts'
import type { ActionSettings } from './action-settings.ts'
import { effectiveConfig, type EffectiveConfig } from './effective-config.ts'
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
  const report = emptyReport(settings.dryRun)
  const work = await decideWork(workflow, settings, report)
  if (!work) return report
  await moveIssues(work, workflow, settings, hooks, report)
  return report
}

interface Work {
  event: WardenEvent
  auth: JiraAuth
  config: EffectiveConfig
  rule: TransitionRule
  github: GitHubClient
}

/** Everything up to the first Jira call: which event, rule and keys; undefined (with the report's reason) when there is nothing to do. */
async function decideWork(workflow: WorkflowContext, settings: ActionSettings, report: ActionReport): Promise<Work | undefined> {
  const described = describeEvent(workflow.eventName, workflow.payload)
  if ('unsupported' in described) return neutral(report, `Nothing to do: ${described.reason}`)
  report.event = described
  report.warnings.push(...described.notes)
  const auth = settings.auth
  if (!auth) {
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
  return { event: described, auth, config, rule, github }
}

/** The Jira part, and its one credential.used audit entry (also when Jira refuses the credential). */
async function moveIssues(work: Work, workflow: WorkflowContext, settings: ActionSettings, hooks: ActionHooks, report: ActionReport): Promise<void> {
  const { event, auth, config, rule } = work
  report.fingerprint = fingerprintOf(longLivedSecretOf(auth))
  const context = templateContextFor(event)
  const audit = config.auditIssue ? createAuditTrail(work.github, workflow.repository) : undefined
  const recordUse = (outcome: string, issues: string[]) =>
    audit?.append(usedEntry(workflow, hooks.now(), report.fingerprint, outcome, issues))
  // Finding the audit issue overlaps the Jira work: the entry itself waits for the outcome.
  void audit?.prepare(hooks.now().toISOString())
  try {
    const jira = await connectJira({
      url: parseJiraUrl(config.jiraUrl),
      auth,
      onSecret: hooks.maskSecret,
      onWait: (ms, reason) => hooks.progress(`${reason} Waiting ${Math.ceil(ms / 1000)} s before trying again.`),
    })
    report.browseUrl = jira.browseUrl
    hooks.progress(`Moving ${report.keys.length} issue(s) to '${rule.to}' on ${event.trigger}${settings.dryRun ? ' (dry run)' : ''}.`)
    report.outcomes = await transitionIssues({
      jira,
      keys: report.keys,
      rule,
      context,
      comment: renderComment(rule, config.comment, context),
      dryRun: settings.dryRun,
      concurrency: WRITE_CONCURRENCY,
      progress: hooks.progress,
    })
  } catch (error) {
    if (error instanceof AuthenticationError) await recordUse('refused: Jira did not accept the credential', report.keys)
    throw error
  }
  report.verdict = 'done'
  report.summary = outcomeLine(report)
  report.audit = (await recordUse(report.summary, movedKeys(report.outcomes))) ?? {
    written: false,
    reason: 'audit.issue is false in the config: recorded in the job summary only',
  }
}

function usedEntry(
  workflow: WorkflowContext,
  now: Date,
  fingerprint: CredentialFingerprint | undefined,
  outcome: string,
  issues: string[],
): AuditEntry {
  return {
    v: 1,
    time: now.toISOString(),
    actor: workflow.runUrl,
    event: 'credential.used',
    ...(fingerprint ? { fingerprint } : {}),
    issues,
    outcome,
    run: workflow.runUrl,
    workflow: workflow.workflow,
    ref: workflow.ref,
    repository: `${workflow.repository.owner}/${workflow.repository.repo}`,
  }
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

function neutral(report: ActionReport, summary: string): undefined {
  report.verdict = 'neutral'
  report.summary = summary
  return undefined
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
