/**
 * Cloud's bulk transition API (REST v3 only): the transitions common to the
 * issues of each workflow, a submitted task, and its progress. Only
 * transitions without required screen fields qualify, as the spec says; two
 * inputs for one workflow are refused ("Every transition input must
 * correspond to a distinct workflow.", Atlassian developer community).
 */
import type { Router, SandboxResponse } from '../http/sandbox-server.ts'
import { availableTransitions, screenOf, transitionIssue } from './issue-writes.ts'
import { addJiraRoute, requireUser, type JiraCall, type JiraContext } from './jira-call.ts'
import { jiraDate } from './jira-representation.ts'
import { canSee, hasPermission, type JiraIssue } from './jira-state.ts'
import { statusById, type Workflow, type WorkflowTransition } from './jira-workflows.ts'

interface BulkTask {
  taskId: string
  submittedBy: string
  created: number
  processed: number[]
  failed: Record<string, string[]>
  total: number
}

export function registerBulkTransitionRoutes(router: Router, context: JiraContext): void {
  const tasks = new Map<string, BulkTask>()

  addJiraRoute(router, context, 'GET', '/rest/api/3/bulk/issues/transition', (call) => {
    const keys = (call.request.query.get('issueIdsOrKeys') ?? '').split(',').map((key) => key.trim()).filter(Boolean)
    const issues = bulkIssues(context, call, keys)
    if ('status' in issues) return issues
    const groups = new Map<Workflow, JiraIssue[]>()
    for (const issue of issues) groups.set(issue.project.workflow, [...(groups.get(issue.project.workflow) ?? []), issue])
    return {
      status: 200,
      body: {
        availableTransitions: [...groups.values()].map((group) => ({
          isTransitionsFiltered: false,
          issues: group.map((issue) => issue.key),
          transitions: commonTransitions(group, call).map((transition) => ({
            transitionId: Number(transition.id),
            transitionName: transition.name,
            to: { statusId: Number(transition.to), statusName: statusById(transition.to).name },
          })),
        })),
      },
    }
  })

  addJiraRoute(router, context, 'POST', '/rest/api/3/bulk/issues/transition', (call) => {
    const inputs = (call.request.body as { bulkTransitionInputs?: unknown } | undefined)?.bulkTransitionInputs
    if (!Array.isArray(inputs) || inputs.length === 0) return bulkError(400, 'bulkTransitionInputs must list at least one input.')
    const plan: Array<{ issues: JiraIssue[]; transitionId: string }> = []
    for (const input of inputs as Array<{ selectedIssueIdsOrKeys?: unknown; transitionId?: unknown }>) {
      if (!Array.isArray(input.selectedIssueIdsOrKeys) || input.transitionId === undefined) {
        return bulkError(400, 'Each bulk transition input needs selectedIssueIdsOrKeys and transitionId.')
      }
      const issues = bulkIssues(context, call, input.selectedIssueIdsOrKeys.map(String))
      if ('status' in issues) return issues
      plan.push({ issues, transitionId: String(input.transitionId) })
    }
    const claimed = new Set<Workflow>()
    for (const entry of plan) {
      const workflows = new Set(entry.issues.map((issue) => issue.project.workflow))
      if ([...workflows].some((workflow) => claimed.has(workflow))) {
        return bulkError(400, 'Every transition input must correspond to a distinct workflow.')
      }
      workflows.forEach((workflow) => claimed.add(workflow))
    }
    const task: BulkTask = { taskId: String(10000 + tasks.size), submittedBy: call.user?.accountId ?? '', created: context.state.now(), processed: [], failed: {}, total: 0 }
    for (const { issues, transitionId } of plan) {
      for (const issue of issues) {
        task.total += 1
        const refused = transitionIssue({ state: context.state, user: call.user, apiVersion: '3' }, issue, { transition: { id: transitionId } })
        if (!refused) task.processed.push(Number(issue.id))
        else task.failed[issue.id] = errorTexts(refused)
      }
    }
    tasks.set(task.taskId, task)
    return { status: 201, body: { taskId: task.taskId } }
  })

  addJiraRoute(router, context, 'GET', '/rest/api/3/bulk/queue/{taskId}', (call) => {
    const unauthenticated = requireUser(call, 'cloud')
    if (unauthenticated) return unauthenticated
    const task = tasks.get(call.request.params.taskId ?? '')
    if (!task) return bulkError(404, `No bulk operation with task id '${call.request.params.taskId}'.`)
    const at = jiraDate(task.created)
    return {
      status: 200,
      body: {
        taskId: task.taskId,
        status: 'COMPLETE',
        progressPercent: 100,
        submittedBy: { accountId: task.submittedBy },
        created: at,
        started: at,
        updated: at,
        processedAccessibleIssues: task.processed,
        failedAccessibleIssues: task.failed,
        // Hidden or missing issues refuse the whole submission (400), so none is ever counted here.
        invalidOrInaccessibleIssueCount: 0,
        totalIssueCount: task.total,
      },
    }
  })
}

/** The issues a bulk request names, or its refusal: 401 anonymous, 400 unknown or hidden, 403 without transition rights. */
function bulkIssues(context: JiraContext, call: JiraCall, keys: string[]): JiraIssue[] | SandboxResponse {
  if (!call.user) return bulkError(401, 'Client must be authenticated to access this resource.')
  if (keys.length === 0) return bulkError(400, 'issueIdsOrKeys must name at least one issue.')
  if (keys.length > 1000) return bulkError(400, 'At most 1000 issues can be transitioned at once.')
  const issues: JiraIssue[] = []
  for (const key of keys) {
    const issue = context.state.issue(key)
    if (!issue || !canSee(call.user, issue)) return bulkError(400, `Issue '${key}' does not exist or you do not have permission to see it.`)
    if (!hasPermission(call.user, 'TRANSITION_ISSUES', issue.project)) return bulkError(403, `You do not have the Transition issues permission for '${issue.key}'.`)
    issues.push(issue)
  }
  return issues
}

function commonTransitions(issues: JiraIssue[], call: JiraCall): WorkflowTransition[] {
  const [first, ...rest] = issues.map((issue) =>
    availableTransitions(issue, issue.state, call.user).filter((transition) => !screenOf(transition, issue, call.user).includes('resolution')),
  )
  return (first ?? []).filter((transition) => rest.every((list) => list.some((other) => other.id === transition.id)))
}

function errorTexts(refused: SandboxResponse): string[] {
  const body = refused.body as { errorMessages: string[]; errors: Record<string, string> }
  return [...body.errorMessages, ...Object.values(body.errors)]
}

function bulkError(status: number, message: string): SandboxResponse {
  return { status, body: { errors: [{ message }] } }
}
