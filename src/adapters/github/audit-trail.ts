/**
 * The audit trail: one open issue per repository labelled
 * `jira-warden:audit`, one comment per entry, a new issue each month.
 */
import { formatAuditComment, parseAuditComment, type AuditEntry } from '../../core/audit-entry.ts'
import { WardenError } from '../../core/errors.ts'
import type { AuditLog, AuditWrite } from '../../ports/audit-log.ts'
import { statusOf, type GitHubClient, type RepositoryRef } from './github-client.ts'

export const AUDIT_LABEL = 'jira-warden:audit'

export function auditIssueTitle(month: string): string {
  return `jira-warden audit trail · ${month}`
}

export function createAuditTrail(github: GitHubClient, repository: RepositoryRef): AuditLog {
  // One lookup per month and run: every entry after the first goes straight to its comment.
  const issueByMonth = new Map<string, Promise<number>>()
  const auditIssueFor = (time: string): Promise<number> => {
    const month = time.slice(0, 7)
    let issue = issueByMonth.get(month)
    if (!issue) {
      issue = findOrOpenAuditIssue(github, repository, month)
      issueByMonth.set(month, issue)
      issue.catch(() => issueByMonth.delete(month))
    }
    return issue
  }
  return {
    async prepare(time: string): Promise<void> {
      await auditIssueFor(time).catch(() => undefined)
    },
    async append(entry: AuditEntry): Promise<AuditWrite> {
      try {
        const issueNumber = await auditIssueFor(entry.time)
        const comment = await github.rest.issues.createComment({
          ...repository,
          issue_number: issueNumber,
          body: formatAuditComment(entry),
        })
        return { written: true, url: comment.data.html_url }
      } catch (error) {
        return { written: false, reason: auditFailureReason(error) }
      }
    },
  }
}

async function findOrOpenAuditIssue(github: GitHubClient, repository: RepositoryRef, month: string): Promise<number> {
  const open = await github.rest.issues.listForRepo({
    ...repository,
    labels: AUDIT_LABEL,
    state: 'open',
    sort: 'created',
    direction: 'desc',
    per_page: 10,
  })
  const title = auditIssueTitle(month)
  const current = open.data.find((issue) => issue.title === title)
  if (current) return current.number
  const previous = open.data[0]
  const created = await github.rest.issues.create({
    ...repository,
    title,
    labels: [AUDIT_LABEL],
    body: [
      `Audit trail of jira-warden for ${month}: every use and rotation of the Jira credential, one comment each.`,
      'Each comment carries a machine-readable record; credentials appear only as fingerprints (first 12 hex of SHA-256).',
      previous ? `\nPrevious month: #${previous.number}` : '',
    ].join('\n'),
  })
  await lockToCollaborators(github, repository, created.data.number)
  if (previous) await closeAsRolledOver(github, repository, previous.number, created.data.number)
  return created.data.number
}

/** Only collaborators may comment on a locked issue; the entry is written either way. */
async function lockToCollaborators(github: GitHubClient, repository: RepositoryRef, issueNumber: number): Promise<void> {
  try {
    await github.rest.issues.lock({ ...repository, issue_number: issueNumber, lock_reason: 'resolved' })
  } catch {
    // A token without the right to lock still keeps the trail; the entries are validated by author on reading.
  }
}

export interface AuditReadOptions {
  /** Logins whose comments count as entries (bots: `github-actions[bot]`, `<app-slug>[bot]`); anyone else's look-alike is ignored. */
  trustedAuthors: readonly string[]
  /** How many audit issues to read, newest first (one per month). Default 2: this month and the last. */
  issues?: number
}

/** The entries of the most recent audit issues, oldest first. Throws the GitHub error when the trail cannot be read. */
export async function readAuditEntries(github: GitHubClient, repository: RepositoryRef, options: AuditReadOptions): Promise<AuditEntry[]> {
  const trusted = new Set(options.trustedAuthors.map((login) => login.toLowerCase()))
  const issues = await github.rest.issues.listForRepo({
    ...repository,
    labels: AUDIT_LABEL,
    state: 'all',
    sort: 'created',
    direction: 'desc',
    per_page: options.issues ?? 2,
  })
  const entries: AuditEntry[] = []
  for (const issue of [...issues.data].reverse()) {
    if (issue.pull_request) continue
    const comments = await github.paginate(github.rest.issues.listComments, { ...repository, issue_number: issue.number, per_page: 100 })
    for (const comment of comments) {
      if (!comment.user || !trusted.has(comment.user.login.toLowerCase()) || comment.user.type !== 'Bot') continue
      const entry = parseAuditComment(comment.body ?? '')
      if (entry) entries.push(entry)
    }
  }
  return entries
}

async function closeAsRolledOver(github: GitHubClient, repository: RepositoryRef, oldNumber: number, newNumber: number) {
  await github.rest.issues.createComment({
    ...repository,
    issue_number: oldNumber,
    body: `The audit trail continues in #${newNumber}.`,
  })
  await github.rest.issues.update({ ...repository, issue_number: oldNumber, state: 'closed', state_reason: 'completed' })
}

function auditFailureReason(error: unknown): string {
  const status = statusOf(error)
  if (status === 403 || status === 404) {
    return 'the GitHub token may not write issues here (grant `issues: write` in the workflow permissions to keep the audit trail)'
  }
  if (status === 401) return 'GitHub refused the token (401)'
  if (error instanceof WardenError) return error.message
  return status ? `GitHub answered ${status}` : 'GitHub could not be reached'
}
