/** Comments on issues and pull requests: list, create, read, update; creating and editing send issue_comment when webhooks subscribe to it. */
import { fail, integerParam, notFound, objectBody, pageOf, stringField } from '../http.ts'
import { commentJson } from '../representations.ts'
import { issueCommentEvent } from '../webhook-events.ts'
import { authorAssociation, issueParam, issuesOrPulls, json, requireOnIssue, type GitHubRoute, type RouteContext } from '../route-kit.ts'
import type { CommentRecord, IssueRecord } from '../state.ts'

const DOCS = 'https://docs.github.com/rest/issues/comments'
const BODY_LIMIT = 65536

export const issueCommentRoutes: GitHubRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    docs: `${DOCS}#list-issue-comments`,
    accepts: issuesOrPulls('read'),
    handle(context) {
      const issue = issueParam(context)
      requireOnIssue(context, issue, 'read')
      const since = context.request.query.get('since')
      const comments = issue.commentIds
        .map((id) => context.repository.comments.get(id))
        .filter((comment): comment is CommentRecord => comment !== undefined)
        .filter((comment) => !since || Date.parse(comment.updatedAt) >= Date.parse(since))
      const page = pageOf(comments, context.request, context.state.apiUrl)
      return json(200, page.items.map((comment) => commentJson(context.state, context.repository, comment)), page.headers)
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    docs: `${DOCS}#create-an-issue-comment`,
    accepts: issuesOrPulls('write'),
    handle(context) {
      const issue = issueParam(context)
      requireOnIssue(context, issue, 'write')
      const text = commentBody(context)
      if (issue.locked && !mayCommentWhileLocked(context)) throw fail(403, 'Unable to create comment because issue is locked.', context.docs)
      const comment = context.state.addComment(context.repository, issue, text, context.actor, authorAssociation(context))
      context.world.webhooks.emit('issue_comment', issueCommentEvent(context.world, context.repository, issue, comment, 'created', context.actor))
      const rendered = commentJson(context.state, context.repository, comment)
      return json(201, rendered, { location: String(rendered.url) })
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    docs: `${DOCS}#get-an-issue-comment`,
    accepts: issuesOrPulls('read'),
    handle(context) {
      const { comment, issue } = commentParam(context)
      requireOnIssue(context, issue, 'read')
      return json(200, commentJson(context.state, context.repository, comment))
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    docs: `${DOCS}#update-an-issue-comment`,
    accepts: issuesOrPulls('write'),
    handle(context) {
      const { comment, issue } = commentParam(context)
      requireOnIssue(context, issue, 'write')
      const previousBody = comment.body
      comment.body = commentBody(context)
      comment.updatedAt = context.state.timestamp()
      context.world.webhooks.emit('issue_comment', issueCommentEvent(context.world, context.repository, issue, comment, 'edited', context.actor, previousBody))
      return json(200, commentJson(context.state, context.repository, comment))
    },
  },
]

function commentBody(context: RouteContext): string {
  const body = objectBody(context.request, context.docs)
  return stringField(body, 'body', context.docs, { resource: 'IssueComment', required: true, notBlank: true, maxLength: BODY_LIMIT }) ?? ''
}

/** The comment named by {comment_id} and its issue, or the 404 GitHub answers. */
export function commentParam(context: RouteContext): { comment: CommentRecord; issue: IssueRecord } {
  const id = integerParam(context.param('comment_id'))
  const comment = id === undefined ? undefined : context.repository.comments.get(id)
  const issue = comment && context.repository.issues.get(comment.issueNumber)
  if (!comment || !issue) throw notFound(context.docs)
  return { comment, issue }
}

/** On a locked conversation only those with push access (or an app acting for the repository) may comment. */
function mayCommentWhileLocked(context: RouteContext): boolean {
  return context.caller.token?.kind !== 'user' || context.has('contents', 'write')
}
