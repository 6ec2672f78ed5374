/**
 * The audit trail: one open issue per repository labelled
 * `jira-warden:audit`, one comment per entry, a new issue each month.
 */
import { formatAuditComment, type AuditEntry } from '../../core/audit-entry.ts'
import { WardenError } from '../../core/errors.ts'
import type { AuditLog, AuditWrite } from '../../ports/audit-log.ts'
import { statusOf, type GitHubClient, type RepositoryRef } from './github-client.ts'

export const AUDIT_LABEL = 'jira-warden:audit'

export function auditIssueTitle(month: string): string {
  return `jira-warden audit trail · ${month}`
}

export function createAuditTrail(github: GitHubClient, repository: RepositoryRef): AuditLog {
  return {
    async append(entry: AuditEntry): Promise<AuditWrite> {
      try {
        const issueNumber = await findOrOpenAuditIssue(github, repository, entry.time.slice(0, 7))
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
  if (previous) await closeAsRolledOver(github, repository, previous.number, created.data.number)
  return created.data.number
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
