/** What a sandbox Jira starts with: projects, their workflows and versions, issues and users. */
import type { WorkflowName } from './jira-workflows.ts'

export type ProjectPermission =
  | 'BROWSE_PROJECTS'
  | 'TRANSITION_ISSUES'
  | 'ADD_COMMENTS'
  | 'ADMINISTER_PROJECTS'
  | 'DELETE_ISSUES'
  | 'RESOLVE_ISSUES'
  | 'EDIT_ISSUES'

export interface SeedProject {
  key: string
  name: string
  workflow: WorkflowName
  versions: string[]
  /** Issues KEY-1..KEY-n, all in To Do. */
  issues: number
  /** Further issues under the issue security level 'Restricted', which only site admins and named users see. */
  restrictedIssues: number
}

export interface SeedUser {
  /** Username (Data Center) and the stem of the account id (Cloud). */
  name: string
  email?: string
  displayName?: string
  projects?: Record<string, ProjectPermission[]>
  siteAdmin?: boolean
  /** Data Center basic auth password; without one, basic auth is refused for this user. */
  password?: string
  /** Issue security levels the user belongs to. */
  securityLevels?: string[]
}

export interface JiraSeed {
  projects: SeedProject[]
  users: SeedUser[]
}

export const ALL_PROJECT_PERMISSIONS: readonly ProjectPermission[] = [
  'BROWSE_PROJECTS',
  'TRANSITION_ISSUES',
  'ADD_COMMENTS',
  'ADMINISTER_PROJECTS',
  'DELETE_ISSUES',
  'RESOLVE_ISSUES',
  'EDIT_ISSUES',
]

export function defaultSeed(): JiraSeed {
  return {
    projects: [
      { key: 'PROJ', name: 'Project', workflow: 'software', versions: ['v1.0', 'v1.1'], issues: 60, restrictedIssues: 2 },
      { key: 'OPS', name: 'Operations', workflow: 'operations', versions: ['v1.0', 'v1.1'], issues: 60, restrictedIssues: 1 },
    ],
    users: [
      {
        name: 'demo',
        email: 'demo@example.com',
        displayName: 'Demo User',
        projects: { PROJ: [...ALL_PROJECT_PERMISSIONS], OPS: [...ALL_PROJECT_PERMISSIONS] },
        password: 'demo',
      },
      {
        name: 'viewer',
        email: 'viewer@example.com',
        displayName: 'Read Only Viewer',
        projects: { PROJ: ['BROWSE_PROJECTS'], OPS: ['BROWSE_PROJECTS'] },
        password: 'viewer',
      },
    ],
  }
}
