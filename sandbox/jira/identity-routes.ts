/** Who am I, what may I do, what is this server: myself, mypermissions, serverInfo, project statuses. */
import type { Router } from '../http/sandbox-server.ts'
import { addJiraRoute, requireUser, type JiraCall, type JiraContext } from './jira-call.ts'
import { issueNotFound, projectNotFound, refusal } from './jira-errors.ts'
import { api, jiraDate, myselfJson, statusJson, ISSUE_TYPE } from './jira-representation.ts'
import type { ProjectPermission } from './jira-seed.ts'
import { canSee, hasPermission, type JiraProject, type JiraUser } from './jira-state.ts'
import { statusById } from './jira-workflows.ts'

type GlobalPermission = 'ADMINISTER' | 'BULK_CHANGE'

const PERMISSIONS: Record<ProjectPermission | GlobalPermission, { id: string; name: string; type: 'PROJECT' | 'GLOBAL'; description: string }> = {
  BROWSE_PROJECTS: { id: '10', name: 'Browse Projects', type: 'PROJECT', description: 'Ability to browse projects and the issues within them.' },
  TRANSITION_ISSUES: { id: '46', name: 'Transition Issues', type: 'PROJECT', description: 'Ability to transition issues.' },
  ADD_COMMENTS: { id: '15', name: 'Add Comments', type: 'PROJECT', description: 'Ability to comment on issues.' },
  ADMINISTER_PROJECTS: { id: '23', name: 'Administer Projects', type: 'PROJECT', description: 'Ability to administer a project in Jira.' },
  DELETE_ISSUES: { id: '16', name: 'Delete Issues', type: 'PROJECT', description: 'Ability to delete issues.' },
  RESOLVE_ISSUES: { id: '14', name: 'Resolve Issues', type: 'PROJECT', description: 'Ability to resolve and reopen issues. This includes the ability to set a fix version.' },
  EDIT_ISSUES: { id: '12', name: 'Edit Issues', type: 'PROJECT', description: 'Ability to edit issues.' },
  ADMINISTER: { id: '0', name: 'Administer Jira', type: 'GLOBAL', description: 'Create and administer projects, issue types, fields, workflows, and schemes for all projects.' },
  BULK_CHANGE: { id: '33', name: 'Make bulk changes', type: 'GLOBAL', description: 'Modify collections of issues at once.' },
}

export function registerIdentityRoutes(router: Router, context: JiraContext): void {
  addJiraRoute(router, context, 'GET', '/rest/api/{v}/myself', (call) => requireUser(call, context.personality) ?? {
    status: 200,
    body: myselfJson(call.user as JiraUser, call.view),
  })

  addJiraRoute(router, context, 'GET', '/rest/api/{v}/serverInfo', () => ({ status: 200, body: serverInfo(context) }))

  addJiraRoute(router, context, 'GET', '/rest/api/{v}/mypermissions', (call) => myPermissions(context, call))

  addJiraRoute(router, context, 'GET', '/rest/api/{v}/project/{projectIdOrKey}/statuses', (call) => {
    const key = call.request.params.projectIdOrKey ?? ''
    const project = context.state.project(key)
    if (!project || !hasPermission(call.user, 'BROWSE_PROJECTS', project)) return projectNotFound(key)
    const statusIds = [...new Set(project.workflow.transitions.flatMap((transition) => [...transition.from, transition.to]))]
    return {
      status: 200,
      body: [
        {
          self: `${api(call.view)}/issuetype/${ISSUE_TYPE.id}`,
          id: ISSUE_TYPE.id,
          name: ISSUE_TYPE.name,
          subtask: false,
          statuses: statusIds.map((id) => statusJson(statusById(id), call.view)),
        },
      ],
    }
  })
}

/**
 * Cloud requires `permissions` and answers only those; Data Center ignores the
 * filter and answers every key (measured on 8.20.7 in a public ADR). A project
 * or issue the caller cannot see is a 404.
 */
function myPermissions(context: JiraContext, call: JiraCall) {
  const query = call.request.query
  const requested = (query.get('permissions') ?? '').split(',').map((key) => key.trim()).filter(Boolean)
  const cloud = context.personality === 'cloud'
  if (cloud && requested.length === 0) return refusal(400, ['The permissions query parameter is required.'])
  const unknown = requested.filter((key) => !(key in PERMISSIONS))
  if (cloud && unknown.length > 0) return refusal(400, [`Permission keys are invalid: ${unknown.join(', ')}.`])

  let project: JiraProject | undefined
  const issueKey = query.get('issueKey') ?? query.get('issueId')
  if (issueKey) {
    const issue = context.state.issue(issueKey)
    if (!issue || !canSee(call.user, issue)) return issueNotFound()
    project = issue.project
  }
  const projectKey = query.get('projectKey') ?? query.get('projectId')
  if (projectKey) {
    project = context.state.project(projectKey)
    if (!project || !hasPermission(call.user, 'BROWSE_PROJECTS', project)) return projectNotFound(projectKey)
  }
  const keys = (cloud ? requested : Object.keys(PERMISSIONS)) as Array<keyof typeof PERMISSIONS>
  const permissions = Object.fromEntries(
    keys.map((key) => [key, { ...PERMISSIONS[key], key, havePermission: holds(context, call.user, key, project) }]),
  )
  return { status: 200, body: { permissions } }
}

function holds(context: JiraContext, user: JiraUser | undefined, key: ProjectPermission | GlobalPermission, project: JiraProject | undefined): boolean {
  if (!user) return false
  if (key === 'ADMINISTER') return user.siteAdmin
  if (key === 'BULK_CHANGE') return true
  const projects = project ? [project] : [...context.state.projects.values()]
  return projects.some((candidate) => hasPermission(user, key, candidate))
}

function serverInfo(context: JiraContext): Record<string, unknown> {
  const now = jiraDate(context.state.now())
  if (context.personality === 'cloud') {
    return {
      baseUrl: context.siteUrl(),
      version: '1001.0.0-SNAPSHOT',
      versionNumbers: [1001, 0, 0],
      deploymentType: 'Cloud',
      buildNumber: 100294,
      buildDate: '2026-01-15T00:00:00.000+0000',
      serverTime: now,
      scmInfo: '9d700605f271b3a2e3c29e7b4e3f2d7a1c0b9e8d',
      serverTitle: 'Jira',
    }
  }
  return {
    baseUrl: context.siteUrl(),
    version: '10.3.4',
    versionNumbers: [10, 3, 4],
    deploymentType: 'DataCenter',
    buildNumber: 10030004,
    buildDate: '2025-02-20T00:00:00.000+0000',
    databaseBuildNumber: 10030004,
    serverTime: now,
    scmInfo: '2b8c6f8a1d5e4c3b9a7f0e1d2c3b4a5968776655',
    serverTitle: 'Jira Sandbox',
  }
}
