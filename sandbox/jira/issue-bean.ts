/**
 * The issue bean: the fields a request selects (`fields=status,project`,
 * `*all`, `*navigable`, `-x`) and what it expands (`transitions`, with screen
 * fields only for `transitions.fields`, as Jira documents).
 */
import { availableTransitions, screenOf } from './issue-writes.ts'
import {
  api,
  commentPageJson,
  issueTypeJson,
  jiraDate,
  projectJson,
  resolutionJson,
  statusJson,
  transitionJson,
  versionJson,
  type View,
} from './jira-representation.ts'
import type { IssueState, JiraIssue } from './jira-state.ts'
import { statusById } from './jira-workflows.ts'

const ALL_FIELDS = ['summary', 'status', 'project', 'issuetype', 'resolution', 'resolutiondate', 'fixVersions', 'labels', 'created', 'updated', 'comment'] as const
type FieldName = (typeof ALL_FIELDS)[number]
/** The captured Data Center search (default `*navigable`) carries no comment field. */
const NAVIGABLE: readonly FieldName[] = ALL_FIELDS.filter((field) => field !== 'comment')

export interface IssueRendering {
  /** Undefined: the bean carries no `fields` at all (Cloud search's default `id`). */
  fields: Set<FieldName> | undefined
  expand: Set<string>
}

/** Comma-separated or repeated lists (`fields=a,b&fields=c`, or a JSON array). */
export function listParameter(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined
  const items = Array.isArray(value) ? value : [value]
  return items.flatMap((item) => String(item).split(',')).map((item) => item.trim()).filter(Boolean)
}

export function parseFields(requested: string[] | undefined, fallback: '*all' | '*navigable' | 'id'): IssueRendering['fields'] {
  const tokens = requested && requested.length > 0 ? requested : [fallback]
  const positive = tokens.filter((token) => !token.startsWith('-'))
  if (positive.every((token) => token === 'id' || token === 'key') && positive.length > 0) return undefined
  const selected = new Set<FieldName>(positive.length === 0 ? NAVIGABLE : [])
  for (const token of positive) {
    if (token === '*all') ALL_FIELDS.forEach((field) => selected.add(field))
    else if (token === '*navigable') NAVIGABLE.forEach((field) => selected.add(field))
    else if ((ALL_FIELDS as readonly string[]).includes(token)) selected.add(token as FieldName)
  }
  for (const token of tokens.filter((candidate) => candidate.startsWith('-'))) selected.delete(token.slice(1) as FieldName)
  return selected
}

export function parseExpand(requested: string[] | undefined): Set<string> {
  return new Set(requested ?? [])
}

export function issueJson(issue: JiraIssue, state: IssueState, view: View, rendering: IssueRendering): Record<string, unknown> {
  const bean: Record<string, unknown> = {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: `${api(view)}/issue/${issue.id}`,
    key: issue.key,
  }
  if (rendering.fields) {
    const fields: Record<string, unknown> = {}
    for (const field of rendering.fields) fields[field] = fieldValue(field, issue, state, view)
    bean.fields = fields
  }
  const withScreens = rendering.expand.has('transitions.fields')
  if (withScreens || rendering.expand.has('transitions')) {
    bean.transitions = availableTransitions(issue, state, view.user).map((transition) =>
      transitionJson(transition, withScreens ? screenOf(transition, issue, view.user) : undefined, issue, view),
    )
  }
  return bean
}

function fieldValue(field: FieldName, issue: JiraIssue, state: IssueState, view: View): unknown {
  switch (field) {
    case 'summary':
      return state.summary
    case 'status':
      return statusJson(statusById(state.statusId), view)
    case 'project':
      return projectJson(issue.project, view)
    case 'issuetype':
      return issueTypeJson(view)
    case 'resolution':
      return state.resolution ? resolutionJson(state.resolution, view) : null
    case 'resolutiondate':
      return state.resolutionDate ? jiraDate(state.resolutionDate) : null
    case 'fixVersions':
      return state.fixVersions.map((name) => versionJson(issue.project, name, view))
    case 'labels':
      return []
    case 'created':
      return jiraDate(issue.created)
    case 'updated':
      return jiraDate(state.updated)
    case 'comment':
      return commentPageJson(issue, state.comments, view)
  }
}
