/**
 * Reactions on issue and pull-request comments: creating one answers 201,
 * the same reaction by the same account again answers 200 with the existing
 * one; the comment's reaction roll-up counts them.
 */
import { REACTION_CONTENTS, type ReactionContent, type ReactionRecord } from '../actions-records.ts'
import { objectBody, validationFailed, enumField, invalidRequest } from '../http.ts'
import { nodeId, userJson } from '../representations.ts'
import { issuesOrPulls, json, requireOnIssue, type GitHubRoute, type RouteContext } from '../route-kit.ts'
import type { GitHubState } from '../state.ts'
import { commentParam } from './issue-comments.ts'

const DOCS = 'https://docs.github.com/rest/reactions/reactions'

export const reactionRoutes: GitHubRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
    docs: `${DOCS}#list-reactions-for-an-issue-comment`,
    accepts: issuesOrPulls('read'),
    handle(context) {
      const { comment, issue } = commentParam(context)
      requireOnIssue(context, issue, 'read')
      const content = enumField<ReactionContent>(Object.fromEntries(context.request.query), 'content', REACTION_CONTENTS, context.docs)
      const reactions = comment.reactions.filter((reaction) => !content || reaction.content === content)
      return json(200, reactions.map((reaction) => reactionJson(context.state, reaction)))
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
    docs: `${DOCS}#create-reaction-for-an-issue-comment`,
    accepts: issuesOrPulls('write'),
    handle(context) {
      const { comment, issue } = commentParam(context)
      requireOnIssue(context, issue, 'write')
      const body = objectBody(context.request, context.docs)
      if (body.content === undefined) throw invalidRequest(context.docs, '"content" wasn\'t supplied.')
      if (typeof body.content !== 'string' || !(REACTION_CONTENTS as readonly string[]).includes(body.content)) {
        throw validationFailed(context.docs, [{ resource: 'Reaction', code: 'invalid', field: 'content', ...(typeof body.content === 'string' ? { value: body.content } : {}) }])
      }
      const content = body.content as ReactionContent
      const actor = context.actor
      const existing = comment.reactions.find((reaction) => reaction.content === content && reaction.user.id === actor.id)
      if (existing) return json(200, reactionJson(context.state, existing))
      const reaction: ReactionRecord = { id: context.state.nextId('reaction'), content, user: actor, createdAt: context.state.timestamp() }
      comment.reactions.push(reaction)
      return json(201, reactionJson(context.state, reaction))
    },
  },
]

export function reactionJson(state: GitHubState, reaction: ReactionRecord): Record<string, unknown> {
  return { id: reaction.id, node_id: nodeId('Reaction', reaction.id), user: userJson(state, reaction.user), content: reaction.content, created_at: reaction.createdAt }
}
