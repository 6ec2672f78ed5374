/**
 * Statuses and workflows of the sandbox Jira. Ids and categories follow a real
 * Jira (captured DC 8.20.7: To Do 10000/new, In Progress 3/indeterminate, Done
 * 10001/done); transition ids and names differ between workflows on purpose,
 * because rules name target statuses, never transitions.
 */

export type StatusCategoryKey = 'new' | 'indeterminate' | 'done'

export interface StatusCategory {
  id: number
  key: StatusCategoryKey
  colorName: string
  name: string
}

export interface JiraStatus {
  id: string
  name: string
  description: string
  category: StatusCategory
}

/** A field on a transition screen (only resolution and fix versions exist here). */
export type ScreenField = 'resolution' | 'fixVersions'

export interface WorkflowTransition {
  id: string
  name: string
  /** Source statuses; empty for a global transition, which is available from every status. */
  from: string[]
  to: string
  screen: ScreenField[]
}

export interface Workflow {
  name: string
  transitions: WorkflowTransition[]
}

export const STATUS_CATEGORIES: Record<StatusCategoryKey, StatusCategory> = {
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
}

export const STATUSES: readonly JiraStatus[] = [
  { id: '10000', name: 'To Do', description: '', category: STATUS_CATEGORIES.new },
  {
    id: '3',
    name: 'In Progress',
    description: 'This issue is being actively worked on at the moment by the assignee.',
    category: STATUS_CATEGORIES.indeterminate,
  },
  { id: '10002', name: 'In Review', description: 'Waiting for a review.', category: STATUS_CATEGORIES.indeterminate },
  { id: '10001', name: 'Done', description: '', category: STATUS_CATEGORIES.done },
  { id: '10003', name: 'Released', description: 'Shipped to production.', category: STATUS_CATEGORIES.done },
]

export const RESOLUTIONS = [
  { id: '10000', name: 'Done', description: 'Work has been completed on this issue.' },
  { id: '10001', name: "Won't Do", description: 'This issue will not be actioned.' },
  { id: '10002', name: 'Duplicate', description: 'The problem is a duplicate of an existing issue.' },
] as const

export function statusById(id: string): JiraStatus {
  const status = STATUSES.find((candidate) => candidate.id === id)
  if (!status) throw new Error(`unknown status id ${id}`)
  return status
}

export function statusByName(name: string): JiraStatus {
  const status = STATUSES.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase())
  if (!status) throw new Error(`unknown status '${name}' (known: ${STATUSES.map((s) => s.name).join(', ')})`)
  return status
}

const [TO_DO, IN_PROGRESS, IN_REVIEW, DONE, RELEASED] = STATUSES.map((status) => status.id) as [string, string, string, string, string]

export const WORKFLOWS = {
  software: {
    name: 'Software Simplified Workflow',
    transitions: [
      { id: '11', name: 'Start progress', from: [TO_DO], to: IN_PROGRESS, screen: [] },
      { id: '21', name: 'Request review', from: [IN_PROGRESS], to: IN_REVIEW, screen: [] },
      { id: '31', name: 'Done', from: [IN_REVIEW], to: DONE, screen: ['resolution', 'fixVersions'] },
      { id: '41', name: 'Release', from: [DONE], to: RELEASED, screen: [] },
      { id: '51', name: 'Back to To Do', from: [], to: TO_DO, screen: [] },
    ],
  },
  operations: {
    name: 'Operations Workflow',
    transitions: [
      { id: '101', name: 'Begin work', from: [TO_DO], to: IN_PROGRESS, screen: [] },
      { id: '111', name: 'Submit for approval', from: [IN_PROGRESS], to: IN_REVIEW, screen: [] },
      { id: '121', name: 'Close', from: [IN_REVIEW], to: DONE, screen: ['resolution', 'fixVersions'] },
      { id: '131', name: 'Ship', from: [DONE], to: RELEASED, screen: [] },
      { id: '141', name: 'Reopen', from: [], to: TO_DO, screen: [] },
    ],
  },
} satisfies Record<string, Workflow>

export type WorkflowName = keyof typeof WORKFLOWS

/** Transitions the workflow offers from a status (global transitions included, as Jira lists them even from their own target). */
export function transitionsFrom(workflow: Workflow, statusId: string): WorkflowTransition[] {
  return workflow.transitions.filter((transition) => transition.from.length === 0 || transition.from.includes(statusId))
}

export function isGlobal(transition: WorkflowTransition): boolean {
  return transition.from.length === 0
}
