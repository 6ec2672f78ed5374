/**
 * The three writes: transition (with its screen fields and a folded-in
 * comment), edit and comment, checked in the order Jira checks them and
 * refused in Jira's words. Sources for the wording:
 * - "Transition id '31' is not valid for this issue." and "'transition'
 *   identifier must be an integer": client code and issue threads that quote
 *   real Cloud and Data Center answers (PipedreamHQ/pipedream#7256,
 *   mozilla/jira-bugzilla-integration#303).
 * - A transition without the Transition issues permission: no transitions are
 *   published, so the POST is a 400 (measured on Jira 8.20.7 in a public ADR;
 *   the Cloud spec lists "the user does not have permission" under 400 too).
 * - A required screen field: `{"errorMessages":[],"errors":{"resolution":"Resolution is required."}}`
 *   (Jira's "{0} is required." field error; textfuel/lazyjira#111 shows it for a custom field).
 * - A field not on the screen: "Field 'x' cannot be set. It is not on the
 *   appropriate screen, or unknown." (ansible-collections/community.general#818).
 * - Commenting without Add comments: 400 "<name>, you do not have the
 *   permission to comment on this issue." (measured on 8.20.7, same ADR).
 */
import type { SandboxResponse } from '../http/sandbox-server.ts'
import { cannotBeSet, commentsToAdd, readCommentBody, readFixVersions, readResolution } from './field-values.ts'
import { refusal } from './jira-errors.ts'
import { hasPermission, type IssueState, type JiraComment, type JiraIssue, type JiraState, type JiraUser } from './jira-state.ts'
import { statusById, transitionsFrom, type ScreenField, type WorkflowTransition } from './jira-workflows.ts'

export interface WriteContext {
  state: JiraState
  user: JiraUser | undefined
  apiVersion: '2' | '3'
}

interface UpdateBody {
  transition?: { id?: unknown }
  fields?: Record<string, unknown>
  update?: Record<string, unknown>
}

/** What the user may do from the issue's status: nothing at all without the Transition issues permission. */
export function availableTransitions(issue: JiraIssue, state: IssueState, user: JiraUser | undefined): WorkflowTransition[] {
  if (!hasPermission(user, 'TRANSITION_ISSUES', issue.project)) return []
  return transitionsFrom(issue.project.workflow, state.statusId)
}

/** The transition screen as this user sees it: resolution needs the Resolve issues permission. */
export function screenOf(transition: WorkflowTransition, issue: JiraIssue, user: JiraUser | undefined): ScreenField[] {
  return transition.screen.filter((field) => field !== 'resolution' || hasPermission(user, 'RESOLVE_ISSUES', issue.project))
}

/** POST .../transitions: undefined means done (204). */
export function transitionIssue(context: WriteContext, issue: JiraIssue, body: unknown): SandboxResponse | undefined {
  if (typeof body !== 'object' || body === null) return refusal(400, ['No content to map due to end-of-input'])
  const request = body as UpdateBody
  const id = request.transition?.id
  if (id === undefined) return refusal(400, ["Missing 'transition' identifier"])
  if (!/^\d+$/.test(String(id))) return refusal(400, ["'transition' identifier must be an integer"])
  const transition = availableTransitions(issue, issue.state, context.user).find((candidate) => candidate.id === String(id))
  if (!transition) return refusal(400, [`Transition id '${String(id)}' is not valid for this issue.`])

  const screen = screenOf(transition, issue, context.user)
  const fields = request.fields ?? {}
  const update = request.update ?? {}
  const errors: Record<string, string> = {}
  for (const field of [...Object.keys(fields), ...Object.keys(update)]) {
    if (field !== 'comment' && !screen.includes(field as ScreenField)) errors[field] = cannotBeSet(field)
  }
  let resolution = issue.state.resolution
  if (screen.includes('resolution')) {
    const given = fields.resolution ?? firstSet(update.resolution)
    const read = given === undefined ? { error: 'Resolution is required.' } : readResolution(given)
    if ('error' in read) errors.resolution ??= read.error
    else resolution = read.value
  }
  let fixVersions = issue.state.fixVersions
  if (screen.includes('fixVersions')) {
    const read = readFixVersions(issue.project, fixVersions, fields.fixVersions, update.fixVersions)
    if ('error' in read) errors.fixVersions = read.error
    else fixVersions = read.value
  }
  const comments = collectComments(context, issue, update.comment, errors)
  if ('response' in comments) return comments.response
  if (Object.keys(errors).length > 0) return refusal(400, [], errors)

  const done = statusById(transition.to).category.key === 'done'
  context.state.update(issue, {
    statusId: transition.to,
    resolution: done ? resolution : null,
    resolutionDate: done && resolution ? (issue.state.resolutionDate ?? context.state.now()) : null,
    fixVersions,
    comments: [...issue.state.comments, ...comments.added],
  })
  return undefined
}

/** PUT issue: summary and fix versions are on the edit screen; without Edit issues, nothing is. */
export function editIssue(context: WriteContext, issue: JiraIssue, body: unknown): SandboxResponse | undefined {
  if (typeof body !== 'object' || body === null) return refusal(400, ['No content to map due to end-of-input'])
  const request = body as UpdateBody
  const fields = request.fields ?? {}
  const update = request.update ?? {}
  const editable = hasPermission(context.user, 'EDIT_ISSUES', issue.project) ? ['summary', 'fixVersions'] : []
  const errors: Record<string, string> = {}
  for (const field of [...Object.keys(fields), ...Object.keys(update)]) {
    if (field !== 'comment' && !editable.includes(field)) errors[field] = cannotBeSet(field)
  }
  let summary = issue.state.summary
  const newSummary = fields.summary ?? firstSet(update.summary)
  if (newSummary !== undefined && !errors.summary) {
    if (typeof newSummary === 'string' && newSummary.trim()) summary = newSummary
    else errors.summary = 'You must specify a summary of the issue.'
  }
  let fixVersions = issue.state.fixVersions
  if (editable.includes('fixVersions')) {
    const read = readFixVersions(issue.project, fixVersions, fields.fixVersions, update.fixVersions)
    if ('error' in read) errors.fixVersions = read.error
    else fixVersions = read.value
  }
  const comments = collectComments(context, issue, update.comment, errors)
  if ('response' in comments) return comments.response
  if (Object.keys(errors).length > 0) return refusal(400, [], errors)
  context.state.update(issue, { summary, fixVersions, comments: [...issue.state.comments, ...comments.added] })
  return undefined
}

/** POST .../comment: the new comment, or Jira's refusal. */
export function addComment(context: WriteContext, issue: JiraIssue, body: unknown): JiraComment | SandboxResponse {
  if (!canComment(context.user, issue)) return commentRefusal(context.user)
  const read = readCommentBody((body as { body?: unknown } | undefined)?.body, context.apiVersion)
  if ('error' in read) return refusal(400, [], { comment: read.error })
  const comment = newComment(context, read.value)
  context.state.update(issue, { comments: [...issue.state.comments, comment] })
  return comment
}

function collectComments(
  context: WriteContext,
  issue: JiraIssue,
  operations: unknown,
  errors: Record<string, string>,
): { added: JiraComment[] } | { response: SandboxResponse } {
  if (operations === undefined) return { added: [] }
  if (!canComment(context.user, issue)) return { response: commentRefusal(context.user) }
  const read = commentsToAdd(operations, context.apiVersion)
  if ('error' in read) {
    errors.comment = read.error
    return { added: [] }
  }
  return { added: read.value.map((body) => newComment(context, body)) }
}

function canComment(user: JiraUser | undefined, issue: JiraIssue): boolean {
  return hasPermission(user, 'ADD_COMMENTS', issue.project)
}

function commentRefusal(user: JiraUser | undefined): SandboxResponse {
  return refusal(400, [`${user?.displayName ?? 'Anonymous'}, you do not have the permission to comment on this issue.`])
}

function newComment(context: WriteContext, body: unknown): JiraComment {
  if (!context.user) throw new Error('comments need an author')
  return { id: context.state.nextCommentId(), author: context.user, body, created: context.state.now() }
}

function firstSet(operations: unknown): unknown {
  return Array.isArray(operations) ? (operations[0] as { set?: unknown } | undefined)?.set : undefined
}
