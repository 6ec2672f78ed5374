/**
 * The sandbox Jira's data: users, projects, issues. Every change to an issue
 * keeps the state it replaced, so an eventually consistent search can answer
 * from the past.
 */
import { randomBytes } from 'node:crypto'
import { type JiraSeed, type ProjectPermission, type SeedUser } from './jira-seed.ts'
import { statusByName, WORKFLOWS, type Workflow } from './jira-workflows.ts'

export interface JiraUser {
  /** Cloud account id (24 hex characters, as Atlassian's). */
  accountId: string
  /** Data Center username. */
  name: string
  /** Data Center user key. */
  key: string
  email: string
  displayName: string
  accountType: 'atlassian' | 'app'
  projects: Record<string, ProjectPermission[]>
  siteAdmin: boolean
  password: string | undefined
  securityLevels: string[]
}

export interface JiraVersion {
  id: string
  name: string
}

export interface JiraProject {
  id: string
  key: string
  name: string
  workflow: Workflow
  versions: JiraVersion[]
}

export interface JiraComment {
  id: string
  author: JiraUser
  /** As written: an ADF document (REST v3) or wiki markup (REST v2). */
  body: unknown
  created: number
}

/** What changes about an issue; replaced (never edited) on every write. */
export interface IssueState {
  summary: string
  statusId: string
  resolution: string | null
  resolutionDate: number | null
  fixVersions: string[]
  comments: JiraComment[]
  updated: number
}

export interface JiraIssue {
  id: string
  key: string
  project: JiraProject
  created: number
  /** Issue security level; only its members and site admins see the issue. */
  securityLevel: string | undefined
  state: IssueState
  history: Array<{ at: number; state: IssueState }>
}

export class JiraState {
  readonly users = new Map<string, JiraUser>()
  readonly projects = new Map<string, JiraProject>()
  readonly #issues = new Map<string, JiraIssue>()
  readonly #now: () => number
  #nextId = 10000

  constructor(seed: JiraSeed, now: () => number = Date.now) {
    this.#now = now
    seed.projects.forEach((seedProject, index) => {
      const project: JiraProject = {
        id: String(10000 + index),
        key: seedProject.key,
        name: seedProject.name,
        workflow: WORKFLOWS[seedProject.workflow],
        versions: seedProject.versions.map((name, versionIndex) => ({ id: String(10000 + index * 100 + versionIndex), name })),
      }
      this.projects.set(project.key, project)
      for (let n = 1; n <= seedProject.issues; n += 1) this.createIssue(project.key, `${project.name} task ${n}`)
      for (let n = 1; n <= seedProject.restrictedIssues; n += 1) {
        this.createIssue(project.key, `${project.name} restricted task ${n}`, undefined, 'Restricted')
      }
    })
    for (const user of seed.users) this.addUser(user)
    // Seeded issues have always existed, even for a lagging search index.
    for (const issue of this.#issues.values()) for (const entry of issue.history) entry.at = 0
  }

  now(): number {
    return this.#now()
  }

  addUser(input: SeedUser & { accountType?: JiraUser['accountType'] }): JiraUser {
    if (this.users.has(input.name)) throw new Error(`a user named '${input.name}' already exists`)
    const user: JiraUser = {
      accountId: randomBytes(12).toString('hex'),
      name: input.name,
      key: `JIRAUSER${10100 + this.users.size}`,
      email: input.email ?? `${input.name}@example.com`,
      displayName: input.displayName ?? input.name,
      accountType: input.accountType ?? 'atlassian',
      projects: input.projects ?? {},
      siteAdmin: input.siteAdmin ?? false,
      password: input.password,
      securityLevels: input.securityLevels ?? [],
    }
    this.users.set(user.name, user)
    return user
  }

  userByEmail(email: string): JiraUser | undefined {
    return [...this.users.values()].find((user) => user.email.toLowerCase() === email.toLowerCase())
  }

  project(keyOrId: string): JiraProject | undefined {
    const wanted = keyOrId.toUpperCase()
    return this.projects.get(wanted) ?? [...this.projects.values()].find((project) => project.id === keyOrId)
  }

  createIssue(projectKey: string, summary: string, statusName?: string, securityLevel?: string): JiraIssue {
    const project = this.project(projectKey)
    if (!project) throw new Error(`no project '${projectKey}' in the sandbox`)
    const number = [...this.#issues.values()].filter((issue) => issue.project === project).length + 1
    const at = this.now()
    const state: IssueState = {
      summary,
      statusId: statusByName(statusName ?? 'To Do').id,
      resolution: null,
      resolutionDate: null,
      fixVersions: [],
      comments: [],
      updated: at,
    }
    this.#nextId += 1
    const issue: JiraIssue = {
      id: String(this.#nextId),
      key: `${project.key}-${number}`,
      project,
      created: at,
      securityLevel,
      state,
      history: [{ at, state }],
    }
    this.#issues.set(issue.id, issue)
    return issue
  }

  /** An issue by id or key (keys case-insensitively, as Jira). */
  issue(idOrKey: string): JiraIssue | undefined {
    if (/^\d+$/.test(idOrKey)) return this.#issues.get(idOrKey)
    const key = idOrKey.toUpperCase()
    for (const issue of this.#issues.values()) if (issue.key === key) return issue
    return undefined
  }

  issues(): JiraIssue[] {
    return [...this.#issues.values()]
  }

  update(issue: JiraIssue, change: Partial<IssueState>): void {
    const at = this.now()
    issue.state = { ...issue.state, ...change, updated: at }
    issue.history.push({ at, state: issue.state })
  }

  /** The issue as it was at a moment, or undefined when it did not exist yet. */
  stateAt(issue: JiraIssue, at: number): IssueState | undefined {
    let found: IssueState | undefined
    for (const entry of issue.history) {
      if (entry.at > at) break
      found = entry.state
    }
    return found
  }

  nextCommentId(): string {
    this.#nextId += 1
    return String(this.#nextId)
  }
}

export function hasPermission(user: JiraUser | undefined, permission: ProjectPermission, project: JiraProject): boolean {
  if (!user) return false
  if (user.siteAdmin) return true
  return user.projects[project.key]?.includes(permission) ?? false
}

/** Whether Jira shows the issue to this user at all: browse permission and, under issue security, membership. */
export function canSee(user: JiraUser | undefined, issue: JiraIssue): boolean {
  if (!hasPermission(user, 'BROWSE_PROJECTS', issue.project)) return false
  if (!issue.securityLevel || user?.siteAdmin) return true
  return user?.securityLevels.includes(issue.securityLevel) ?? false
}
