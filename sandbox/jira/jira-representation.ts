/**
 * How Jira writes its beans: users, statuses, projects, comments and
 * transitions, for Cloud (v2 and v3) and Data Center. Shapes follow the specs'
 * schemas and, for Data Center, the responses captured from a live 8.20.7.
 */
import { bodyForApi } from './adf.ts'
import type { Personality } from './jira-authentication.ts'
import type { JiraComment, JiraIssue, JiraProject, JiraUser } from './jira-state.ts'
import { RESOLUTIONS, isGlobal, statusById, type JiraStatus, type ScreenField, type WorkflowTransition } from './jira-workflows.ts'

export interface View {
  /** Base of `self` links: the site URL, or the gateway URL for requests that came through it. */
  baseUrl: string
  apiVersion: '2' | '3'
  personality: Personality
  user: JiraUser | undefined
}

/** Jira's timestamp format (`2026-08-14T11:32:13.000+0000`). */
export function jiraDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000')
}

export function api(view: View): string {
  return `${view.baseUrl}/rest/api/${view.apiVersion}`
}

function avatarUrls(view: View, id: string): Record<string, string> {
  return Object.fromEntries(['48x48', '24x24', '16x16', '32x32'].map((size) => [size, `${view.baseUrl}/secure/useravatar?size=${size}&ownerId=${id}`]))
}

/** A user as comment authors carry it (UserDetails / UserJsonBean). */
export function userJson(user: JiraUser, view: View): Record<string, unknown> {
  if (view.personality === 'data-center') {
    return {
      self: `${api(view)}/user?username=${user.name}`,
      name: user.name,
      key: user.key,
      emailAddress: user.email,
      avatarUrls: avatarUrls(view, user.name),
      displayName: user.displayName,
      active: true,
      timeZone: 'Etc/UTC',
    }
  }
  return {
    self: `${api(view)}/user?accountId=${user.accountId}`,
    accountId: user.accountId,
    emailAddress: user.email,
    avatarUrls: avatarUrls(view, user.accountId),
    displayName: user.displayName,
    active: true,
    timeZone: 'Etc/UTC',
    accountType: user.accountType,
  }
}

/** GET myself: the user bean with its groups and application roles. */
export function myselfJson(user: JiraUser, view: View): Record<string, unknown> {
  const extra = view.personality === 'data-center' ? { deleted: false, locale: 'en_US' } : { locale: 'en_US' }
  return {
    ...userJson(user, view),
    ...extra,
    groups: { size: user.siteAdmin ? 2 : 1, items: [] },
    applicationRoles: { size: 1, items: [] },
    expand: 'groups,applicationRoles',
  }
}

export function statusJson(status: JiraStatus, view: View): Record<string, unknown> {
  const category = status.category
  return {
    self: `${api(view)}/status/${status.id}`,
    description: status.description,
    iconUrl: `${view.baseUrl}/images/icons/statuses/generic.png`,
    name: status.name,
    id: status.id,
    statusCategory: {
      self: `${api(view)}/statuscategory/${category.id}`,
      id: category.id,
      key: category.key,
      colorName: category.colorName,
      name: category.name,
    },
  }
}

export function projectJson(project: JiraProject, view: View): Record<string, unknown> {
  return {
    self: `${api(view)}/project/${project.id}`,
    id: project.id,
    key: project.key,
    name: project.name,
    projectTypeKey: 'software',
    ...(view.personality === 'cloud' ? { simplified: false } : {}),
    avatarUrls: Object.fromEntries(
      ['48x48', '24x24', '16x16', '32x32'].map((size) => [size, `${view.baseUrl}/secure/projectavatar?size=${size}&pid=${project.id}`]),
    ),
  }
}

export const ISSUE_TYPE = { id: '10002', name: 'Task', description: 'A task that needs to be done.' }

export function issueTypeJson(view: View): Record<string, unknown> {
  return {
    self: `${api(view)}/issuetype/${ISSUE_TYPE.id}`,
    id: ISSUE_TYPE.id,
    description: ISSUE_TYPE.description,
    iconUrl: `${view.baseUrl}/secure/viewavatar?size=xsmall&avatarId=10318&avatarType=issuetype`,
    name: ISSUE_TYPE.name,
    subtask: false,
    avatarId: 10318,
  }
}

export function resolutionJson(name: string, view: View): Record<string, unknown> {
  const resolution = RESOLUTIONS.find((candidate) => candidate.name === name) ?? RESOLUTIONS[0]
  return { self: `${api(view)}/resolution/${resolution.id}`, id: resolution.id, description: resolution.description, name: resolution.name }
}

export function versionJson(project: JiraProject, name: string, view: View): Record<string, unknown> {
  const version = project.versions.find((candidate) => candidate.name === name)
  return {
    self: `${api(view)}/version/${version?.id ?? '0'}`,
    id: version?.id ?? '0',
    description: '',
    name,
    archived: false,
    released: false,
  }
}

export function commentJson(issue: JiraIssue, comment: JiraComment, view: View): Record<string, unknown> {
  const author = userJson(comment.author, view)
  return {
    self: `${api(view)}/issue/${issue.id}/comment/${comment.id}`,
    id: comment.id,
    author,
    body: bodyForApi(comment.body, view.apiVersion),
    updateAuthor: author,
    created: jiraDate(comment.created),
    updated: jiraDate(comment.created),
    ...(view.personality === 'cloud' ? { jsdPublic: true } : {}),
  }
}

export function commentPageJson(issue: JiraIssue, comments: JiraComment[], view: View, startAt = 0, maxResults = 5000): Record<string, unknown> {
  return {
    ...(view.personality === 'cloud' ? { self: `${api(view)}/issue/${issue.id}/comment` } : {}),
    startAt,
    maxResults,
    total: comments.length,
    comments: comments.slice(startAt, startAt + maxResults).map((comment) => commentJson(issue, comment, view)),
  }
}

/** A transition as GET transitions and `expand=transitions` list it; screen fields only when asked (`transitions.fields`). */
export function transitionJson(
  transition: WorkflowTransition,
  screen: ScreenField[] | undefined,
  issue: JiraIssue,
  view: View,
): Record<string, unknown> {
  const base: Record<string, unknown> = { id: transition.id, name: transition.name, to: statusJson(statusById(transition.to), view) }
  if (view.personality === 'cloud') {
    Object.assign(base, {
      hasScreen: transition.screen.length > 0,
      isGlobal: isGlobal(transition),
      isInitial: false,
      isAvailable: true,
      isConditional: false,
      isLooped: false,
    })
  }
  if (screen) base.fields = Object.fromEntries(screen.map((field) => [field, screenFieldJson(field, issue, view)]))
  return base
}

function screenFieldJson(field: ScreenField, issue: JiraIssue, view: View): Record<string, unknown> {
  const idKey = view.personality === 'cloud' ? { key: field } : { fieldId: field }
  if (field === 'resolution') {
    return {
      required: true,
      schema: { type: 'resolution', system: 'resolution' },
      name: 'Resolution',
      ...idKey,
      operations: ['set'],
      allowedValues: RESOLUTIONS.map((resolution) => resolutionJson(resolution.name, view)),
    }
  }
  return {
    required: false,
    schema: { type: 'array', items: 'version', system: 'fixVersions' },
    name: 'Fix versions',
    ...idKey,
    operations: ['set', 'add', 'remove'],
    allowedValues: issue.project.versions.map((version) => versionJson(issue.project, version.name, view)),
  }
}
