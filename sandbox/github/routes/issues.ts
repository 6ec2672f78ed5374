/** Issues: list, create, read, update, lock and unlock. */
import { enumField, invalidRequest, labelNames, objectBody, pageOf, stringField } from '../http.ts'
import { issueJson } from '../representations.ts'
import { authorAssociation, issueParam, issuesOrPulls, json, requireOnIssue, type GitHubRoute, type RouteContext } from '../route-kit.ts'
import { labelsOf, type IssueRecord } from '../state.ts'

const DOCS = 'https://docs.github.com/rest/issues/issues'
const BODY_LIMIT = 65536
const STATE_REASONS = ['completed', 'not_planned', 'duplicate', 'reopened'] as const
const LOCK_REASONS = ['off-topic', 'too heated', 'resolved', 'spam'] as const

export const issueRoutes: GitHubRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues',
    docs: `${DOCS}#list-repository-issues`,
    accepts: issuesOrPulls('read'),
    handle(context) {
      const issues = sortIssues(context, [...context.repository.issues.values()].filter((issue) => listed(context, issue)))
      const page = pageOf(issues, context.request, context.state.apiUrl)
      return json(200, page.items.map((issue) => issueJson(context.state, context.repository, issue)), page.headers)
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues',
    docs: `${DOCS}#create-an-issue`,
    accepts: [['issues', 'write']],
    handle(context) {
      const body = objectBody(context.request, context.docs)
      const title = stringField(body, 'title', context.docs, { resource: 'Issue', required: true, allowInteger: true, notBlank: true })
      const text = stringField(body, 'body', context.docs, { resource: 'Issue', maxLength: BODY_LIMIT })
      const labels = body.labels === undefined ? [] : labelNames(body.labels, context.docs)
      const issue = context.state.createIssue(context.repository, {
        title: title ?? '',
        body: text ?? null,
        labels,
        user: context.actor,
        authorAssociation: authorAssociation(context),
      })
      const rendered = issueJson(context.state, context.repository, issue)
      return json(201, rendered, { location: String(rendered.url) })
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}',
    docs: `${DOCS}#get-an-issue`,
    accepts: issuesOrPulls('read'),
    handle(context) {
      const issue = issueParam(context)
      requireOnIssue(context, issue, 'read')
      return json(200, issueJson(context.state, context.repository, issue))
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/issues/{issue_number}',
    docs: `${DOCS}#update-an-issue`,
    accepts: issuesOrPulls('write'),
    handle(context) {
      const issue = issueParam(context)
      requireOnIssue(context, issue, 'write')
      updateIssue(context, issue, objectBody(context.request, context.docs))
      return json(200, issueJson(context.state, context.repository, issue))
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/lock',
    docs: `${DOCS}#lock-an-issue`,
    accepts: issuesOrPulls('write'),
    handle(context) {
      const issue = issueParam(context)
      requireOnIssue(context, issue, 'write')
      // The body is optional and may be JSON null.
      const body = context.request.body === null ? {} : objectBody(context.request, context.docs)
      const reason = enumField(body, 'lock_reason', LOCK_REASONS, context.docs)
      issue.locked = true
      issue.lockReason = reason ?? null
      issue.updatedAt = context.state.timestamp()
      return json(204, undefined)
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/lock',
    docs: `${DOCS}#unlock-an-issue`,
    accepts: issuesOrPulls('write'),
    handle(context) {
      const issue = issueParam(context)
      requireOnIssue(context, issue, 'write')
      issue.locked = false
      issue.lockReason = null
      issue.updatedAt = context.state.timestamp()
      return json(204, undefined)
    },
  },
]

function listed(context: RouteContext, issue: IssueRecord): boolean {
  const query = context.request.query
  const state = query.get('state') ?? 'open'
  if (state !== 'all' && issue.state !== (state === 'closed' ? 'closed' : 'open')) return false
  // A token that reads only pull requests sees only them.
  if (!issue.pullRequest && !context.has('issues', 'read')) return false
  const wanted = (query.get('labels') ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean)
  if (wanted.length > 0) {
    const names = new Set(labelsOf(context.repository, issue).map((label) => label.name.toLowerCase()))
    if (!wanted.every((name) => names.has(name))) return false
  }
  const creator = query.get('creator')
  if (creator && issue.user.login.toLowerCase() !== creator.toLowerCase()) return false
  const since = query.get('since')
  if (since && Date.parse(issue.updatedAt) < Date.parse(since)) return false
  return true
}

function sortIssues(context: RouteContext, issues: IssueRecord[]): IssueRecord[] {
  const sort = context.request.query.get('sort') ?? 'created'
  const sign = context.request.query.get('direction') === 'asc' ? 1 : -1
  const key = (issue: IssueRecord): number =>
    sort === 'updated' ? Date.parse(issue.updatedAt) : sort === 'comments' ? issue.commentIds.length : Date.parse(issue.createdAt)
  // Ties (same second) fall back to the issue number, in the same direction.
  return issues.sort((a, b) => sign * (key(a) - key(b) || a.number - b.number))
}

function updateIssue(context: RouteContext, issue: IssueRecord, body: Record<string, unknown>): void {
  const docs = context.docs
  const title = stringField(body, 'title', docs, { resource: 'Issue', allowInteger: true, notBlank: true })
  const text = stringField(body, 'body', docs, { resource: 'Issue', nullable: true, maxLength: BODY_LIMIT })
  const state = enumField(body, 'state', ['open', 'closed'] as const, docs)
  const stateReason = enumField(body, 'state_reason', STATE_REASONS, docs, true)
  if (body.labels !== undefined && body.labels !== null && !Array.isArray(body.labels)) {
    throw invalidRequest(docs, `For 'properties/labels', ${JSON.stringify(body.labels)} is not an array.`)
  }
  const labels = Array.isArray(body.labels) ? labelNames(body.labels, docs) : undefined
  const now = context.state.timestamp()
  if (title !== undefined && title !== null) issue.title = title
  if (text !== undefined) issue.body = text
  if (labels !== undefined) issue.labelIds = context.state.labelIds(context.repository, labels)
  if (state === 'closed' && issue.state === 'open') {
    issue.state = 'closed'
    issue.stateReason = stateReason && stateReason !== 'reopened' ? stateReason : 'completed'
    issue.closedAt = now
    issue.closedBy = context.actor
  } else if (state === 'open' && issue.state === 'closed') {
    issue.state = 'open'
    issue.stateReason = 'reopened'
    issue.closedAt = null
  }
  issue.updatedAt = now
}
