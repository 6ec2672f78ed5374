/**
 * The GitHub sandbox's world: repositories and what lives in them, users,
 * id counters and the clock. Routes read and change it; renderers turn its
 * records into the JSON shapes of the official REST description.
 *
 * Each repository keeps one map per resource kind, so later resources
 * (secrets, variables, environments, refs, collaborators) are new maps here
 * and new route files, not rewrites.
 */
import { createHash } from 'node:crypto'
import {
  newVault,
  type CollaboratorRecord,
  type EnvironmentRecord,
  type OrganizationRecord,
  type ReactionRecord,
  type SecretRecord,
  type SecretVault,
  type VariableRecord,
  type WorkflowRecord,
  type WorkflowRunRecord,
} from './actions-records.ts'

export type PermissionLevel = 'read' | 'write' | 'admin'

export interface Actor {
  login: string
  id: number
  type: 'User' | 'Bot' | 'Organization'
}

export type AuthorAssociation = 'COLLABORATOR' | 'CONTRIBUTOR' | 'FIRST_TIMER' | 'FIRST_TIME_CONTRIBUTOR' | 'MANNEQUIN' | 'MEMBER' | 'NONE' | 'OWNER'

export interface LabelRecord {
  id: number
  name: string
  color: string
  description: string | null
  default: boolean
}

export interface IssueRecord {
  id: number
  number: number
  title: string
  body: string | null
  state: 'open' | 'closed'
  stateReason: 'completed' | 'reopened' | 'not_planned' | 'duplicate' | null
  /** Ids of the repository's labels (a renamed label stays on its issues; a deleted one drops off). */
  labelIds: number[]
  locked: boolean
  lockReason: string | null
  user: Actor
  /** Fixed when written, from what the author could do then. */
  authorAssociation: AuthorAssociation
  createdAt: string
  updatedAt: string
  closedAt: string | null
  closedBy: Actor | null
  /** Comment ids, ascending. */
  commentIds: number[]
  /** Set when the issue is a pull request (they share the number space). */
  pullRequest?: PullRequestRecord
}

export interface CommitRecord {
  sha: string
  treeSha: string
  message: string
  /** GitHub login of the author, or undefined when the commit's email maps to no account. */
  authorLogin: string | undefined
  authorName: string
  authorEmail: string
  date: string
  parentSha: string
}

export interface PullRequestRecord {
  number: number
  head: string
  base: string
  baseSha: string
  commits: CommitRecord[]
}

export interface CommentRecord {
  id: number
  issueNumber: number
  body: string
  user: Actor
  authorAssociation: AuthorAssociation
  createdAt: string
  updatedAt: string
  reactions: ReactionRecord[]
}

export interface RepositoryRecord {
  id: number
  owner: Actor
  name: string
  private: boolean
  defaultBranch: string
  createdAt: string
  updatedAt: string
  pushedAt: string
  /** Highest issue or pull request number used so far. */
  lastNumber: number
  issues: Map<number, IssueRecord>
  /** Keyed by the lower-cased name: GitHub label names are case-insensitive. */
  labels: Map<string, LabelRecord>
  comments: Map<number, CommentRecord>
  /** Actions secrets of the repository scope. */
  vault: SecretVault<SecretRecord>
  /** Keyed by the upper-cased name. */
  variables: Map<string, VariableRecord>
  /** Keyed by the lower-cased name (environment names are case-insensitive). */
  environments: Map<string, EnvironmentRecord>
  /** Fully qualified ref (`refs/heads/main`) → 40-hex sha. */
  refs: Map<string, string>
  /** Keyed by the lower-cased login. */
  collaborators: Map<string, CollaboratorRecord>
  /** Keyed by the workflow file name. */
  workflows: Map<string, WorkflowRecord>
  runs: Map<number, WorkflowRunRecord>
  /** Files on the default branch, by path (no leading slash) → text. */
  files: Map<string, string>
}

/** The labels GitHub gives every new repository. */
const DEFAULT_LABELS: Array<[name: string, color: string, description: string]> = [
  ['bug', 'd73a4a', "Something isn't working"],
  ['documentation', '0075ca', 'Improvements or additions to documentation'],
  ['duplicate', 'cfd3d7', 'This issue or pull request already exists'],
  ['enhancement', 'a2eeef', 'New feature or request'],
  ['good first issue', '7057ff', 'Good for newcomers'],
  ['help wanted', '008672', 'Extra attention is needed'],
  ['invalid', 'e4e669', "This doesn't seem right"],
  ['question', 'd876e3', 'Further information is requested'],
  ['wontfix', 'ffffff', 'This will not be worked on'],
]

/** The well-known id of the `github-actions[bot]` account. */
export const GITHUB_ACTIONS_BOT_ID = 41898282

type IdKind = 'repository' | 'issue' | 'comment' | 'label' | 'user' | 'environment' | 'reaction' | 'workflow' | 'run'

export class GitHubState {
  readonly repositories = new Map<string, RepositoryRecord>()
  readonly users = new Map<string, Actor>()
  /** Keyed by the lower-cased login; every repository owner is one. */
  readonly organizations = new Map<string, OrganizationRecord>()
  /** API base URL (the sandbox's own address) and web base URL, set when the server listens. */
  apiUrl = 'http://127.0.0.1'
  webUrl = 'https://github.com'
  readonly now: () => Date
  readonly #ids: Record<IdKind, number> = {
    repository: 700000000,
    issue: 2000000000,
    comment: 1500000000,
    label: 5000000000,
    user: 100000,
    environment: 160000000,
    reaction: 180000000,
    workflow: 7000000,
    run: 9000000000,
  }

  constructor(now: () => Date = () => new Date()) {
    this.now = now
    this.users.set('github-actions[bot]', { login: 'github-actions[bot]', id: GITHUB_ACTIONS_BOT_ID, type: 'Bot' })
  }

  nextId(kind: IdKind): number {
    this.#ids[kind] += 1
    return this.#ids[kind]
  }

  /** GitHub's timestamps: ISO 8601 to the second, UTC. */
  timestamp(): string {
    return this.now().toISOString().replace(/\.\d{3}Z$/, 'Z')
  }

  actor(login: string, type: Actor['type'] = login.endsWith('[bot]') ? 'Bot' : 'User'): Actor {
    const key = login.toLowerCase()
    let actor = this.users.get(key)
    if (!actor) {
      actor = { login, id: this.nextId('user'), type }
      this.users.set(key, actor)
    }
    return actor
  }

  findRepository(owner: string, name: string): RepositoryRecord | undefined {
    return this.repositories.get(`${owner}/${name}`.toLowerCase())
  }

  /** For the sandbox's own API: a repository that must exist. */
  repository(fullName: string): RepositoryRecord {
    const repository = this.repositories.get(fullName.toLowerCase())
    if (!repository) throw new Error(`GitHub sandbox: no repository '${fullName}' (add it with addRepository first)`)
    return repository
  }

  addRepository(fullName: string, options: { private?: boolean } = {}): RepositoryRecord {
    const [ownerLogin, name, ...rest] = fullName.split('/')
    if (!ownerLogin || !name || rest.length > 0) {
      throw new Error(`GitHub sandbox: invalid repository '${fullName}'. Expected format {owner}/{repo}.`)
    }
    if (this.repositories.has(fullName.toLowerCase())) throw new Error(`GitHub sandbox: repository '${fullName}' already exists`)
    const created = this.timestamp()
    const owner = this.actor(ownerLogin, 'Organization')
    if (!this.organizations.has(owner.login.toLowerCase())) this.organizations.set(owner.login.toLowerCase(), { actor: owner, vault: newVault() })
    const repository: RepositoryRecord = {
      id: this.nextId('repository'),
      owner,
      name,
      private: options.private ?? false,
      defaultBranch: 'main',
      createdAt: created,
      updatedAt: created,
      pushedAt: created,
      lastNumber: 0,
      issues: new Map(),
      labels: new Map(),
      comments: new Map(),
      vault: newVault(),
      variables: new Map(),
      environments: new Map(),
      refs: new Map([[`refs/heads/main`, fakeSha(`${fullName}:refs/heads/main`)]]),
      collaborators: new Map(),
      workflows: new Map(),
      runs: new Map(),
      files: new Map(),
    }
    for (const [labelName, color, description] of DEFAULT_LABELS) {
      repository.labels.set(labelName, { id: this.nextId('label'), name: labelName, color, description, default: true })
    }
    this.repositories.set(fullName.toLowerCase(), repository)
    return repository
  }

  /** The label of that name, created plain (as GitHub does for unknown names given to an issue) when missing. */
  ensureLabel(repository: RepositoryRecord, name: string): LabelRecord {
    const existing = repository.labels.get(name.toLowerCase())
    if (existing) return existing
    const label: LabelRecord = { id: this.nextId('label'), name, color: 'ededed', description: null, default: false }
    repository.labels.set(name.toLowerCase(), label)
    return label
  }

  /** Ids of the named labels, created when missing, without duplicates. */
  labelIds(repository: RepositoryRecord, names: string[]): number[] {
    return [...new Set(names.map((name) => this.ensureLabel(repository, name).id))]
  }

  createIssue(
    repository: RepositoryRecord,
    fields: {
      title: string
      body: string | null
      labels: string[]
      user: Actor
      authorAssociation: AuthorAssociation
      number?: number
      pullRequest?: PullRequestRecord
    },
  ): IssueRecord {
    const number = fields.number ?? repository.lastNumber + 1
    if (repository.issues.has(number)) throw new Error(`GitHub sandbox: #${number} already exists in ${fullNameOf(repository)}`)
    repository.lastNumber = Math.max(repository.lastNumber, number)
    const created = this.timestamp()
    const issue: IssueRecord = {
      id: this.nextId('issue'),
      number,
      title: fields.title,
      body: fields.body,
      state: 'open',
      stateReason: null,
      labelIds: this.labelIds(repository, fields.labels),
      locked: false,
      lockReason: null,
      user: fields.user,
      authorAssociation: fields.authorAssociation,
      createdAt: created,
      updatedAt: created,
      closedAt: null,
      closedBy: null,
      commentIds: [],
      ...(fields.pullRequest ? { pullRequest: fields.pullRequest } : {}),
    }
    repository.issues.set(number, issue)
    return issue
  }

  addComment(repository: RepositoryRecord, issue: IssueRecord, body: string, user: Actor, authorAssociation: AuthorAssociation): CommentRecord {
    const created = this.timestamp()
    const comment: CommentRecord = {
      id: this.nextId('comment'),
      issueNumber: issue.number,
      body,
      user,
      authorAssociation,
      createdAt: created,
      updatedAt: created,
      reactions: [],
    }
    repository.comments.set(comment.id, comment)
    issue.commentIds.push(comment.id)
    issue.updatedAt = created
    return comment
  }
}

export function findRepositoryById(state: GitHubState, id: number): RepositoryRecord | undefined {
  for (const repository of state.repositories.values()) if (repository.id === id) return repository
  return undefined
}

export function fullNameOf(repository: RepositoryRecord): string {
  return `${repository.owner.login}/${repository.name}`
}

/** A stable, fake 40-hex commit sha. */
export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex')
}

export function labelsOf(repository: RepositoryRecord, issue: IssueRecord): LabelRecord[] {
  const byId = new Map([...repository.labels.values()].map((label) => [label.id, label]))
  return issue.labelIds.flatMap((id) => byId.get(id) ?? [])
}
