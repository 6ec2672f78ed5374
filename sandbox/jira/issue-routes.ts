/** Issue routes both personalities serve: read, edit, transitions, comments. */
import type { Router, SandboxResponse } from '../http/sandbox-server.ts'
import { issueJson, listParameter, parseExpand, parseFields } from './issue-bean.ts'
import { addComment, availableTransitions, editIssue, screenOf, transitionIssue, type WriteContext } from './issue-writes.ts'
import { addJiraRoute, integerParameter, type JiraCall, type JiraContext } from './jira-call.ts'
import { issueNotFound, refusal } from './jira-errors.ts'
import { commentJson, commentPageJson, transitionJson } from './jira-representation.ts'
import { canSee, type JiraIssue } from './jira-state.ts'

const ISSUE = '/rest/api/{v}/issue/{issueIdOrKey}'

export function registerIssueRoutes(router: Router, context: JiraContext): void {
  const withIssue = (work: (call: JiraCall, issue: JiraIssue) => SandboxResponse) => (call: JiraCall) => {
    const issue = context.state.issue(call.request.params.issueIdOrKey ?? '')
    return issue && canSee(call.user, issue) ? work(call, issue) : issueNotFound()
  }
  const writer = (call: JiraCall): WriteContext => ({ state: context.state, user: call.user, apiVersion: call.view.apiVersion })

  addJiraRoute(router, context, 'GET', ISSUE, withIssue((call, issue) => ({
    status: 200,
    body: issueJson(issue, issue.state, call.view, {
      fields: parseFields(listParameter(call.request.query.getAll('fields')), '*all'),
      expand: parseExpand(listParameter(call.request.query.getAll('expand'))),
    }),
  })))

  addJiraRoute(router, context, 'PUT', ISSUE, withIssue((call, issue) => editIssue(writer(call), issue, call.request.body) ?? { status: 204 }))

  addJiraRoute(router, context, 'GET', `${ISSUE}/transitions`, withIssue((call, issue) => {
    const withFields = parseExpand(listParameter(call.request.query.getAll('expand'))).has('transitions.fields')
    const only = call.request.query.get('transitionId')
    const transitions = availableTransitions(issue, issue.state, call.user).filter((transition) => !only || transition.id === only)
    return {
      status: 200,
      body: {
        expand: 'transitions',
        transitions: transitions.map((transition) =>
          transitionJson(transition, withFields ? screenOf(transition, issue, call.user) : undefined, issue, call.view),
        ),
      },
    }
  }))

  addJiraRoute(router, context, 'POST', `${ISSUE}/transitions`, withIssue((call, issue) => transitionIssue(writer(call), issue, call.request.body) ?? { status: 204 }))

  addJiraRoute(router, context, 'GET', `${ISSUE}/comment`, withIssue((call, issue) => {
    // Data Center's default page is effectively unbounded (the captured 8.20.7 answer says 1048576).
    const startAt = integerParameter(call, 'startAt', 0)
    const maxResults = integerParameter(call, 'maxResults', context.personality === 'cloud' ? 5000 : 1048576)
    if (startAt === undefined || maxResults === undefined) return refusal(400, ['startAt and maxResults must be non-negative integers.'])
    return { status: 200, body: commentPageJson(issue, issue.state.comments, call.view, startAt, maxResults) }
  }))

  addJiraRoute(router, context, 'POST', `${ISSUE}/comment`, withIssue((call, issue) => {
    const added = addComment(writer(call), issue, call.request.body)
    return 'status' in added ? added : { status: 201, body: commentJson(issue, added, call.view) }
  }))
}
