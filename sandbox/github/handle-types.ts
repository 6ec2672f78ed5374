/**
 * The plain records the sandbox's JS handle takes and gives back (never the
 * internal state records, so tests cannot change the sandbox behind its API).
 */
import type { OrgSecretVisibility, WorkflowInput, WorkflowRunConclusion, WorkflowRunStatus } from './actions-records.ts'
import type { IssueRecord, PermissionLevel } from './state.ts'

export interface SandboxPullRequest {
  number: number
  title?: string
  body?: string
  /** Head branch. Default `feature/<number>`. */
  head?: string
  /** Base branch. Default the repository's default branch (`main`). */
  base?: string
  /** Login of the author. Default `octocat`. */
  user?: string
  commits: Array<{ sha?: string; message: string; author?: string }>
}

export interface SandboxIssueComment {
  id: number
  body: string
  user: string
  createdAt: string
  updatedAt: string
}

export interface SandboxIssue {
  number: number
  title: string
  body: string | null
  state: 'open' | 'closed'
  stateReason: IssueRecord['stateReason']
  labels: string[]
  locked: boolean
  lockReason?: string
  comments: SandboxIssueComment[]
  user: string
  /** Pull requests are issues too (same numbers, same comments). */
  pullRequest: boolean
  createdAt: string
  updatedAt: string
}

export interface RateLimitSetting {
  /** The token whose limit to set; omitted: anonymous callers. */
  token?: string
  limit?: number
  remaining?: number
  /** When the window resets. */
  resetAt?: Date
}

export interface SandboxSecret {
  name: string
  createdAt: string
  updatedAt: string
  /** Organization secrets only. */
  visibility?: OrgSecretVisibility
  /** Organization secrets with `selected` visibility: full names of the repositories that may use it. */
  selectedRepositories?: string[]
}

export interface SandboxVariable {
  name: string
  value: string
  createdAt: string
  updatedAt: string
}

export interface SandboxApp {
  id: number
  slug: string
  /** What @octokit/auth-app accepts as `appId` too (GitHub's newer JWT issuer). */
  clientId: string
  /** PEM of the app's RSA private key (PKCS#1, as GitHub hands it out): sign JWTs with it, e.g. PRIVATE_KEY for Probot. */
  privateKey: string
}

export interface SandboxInstallationOptions {
  appId: number
  /** The organization (or user) the app is installed on. */
  account: string
  /** Full names of the selected repositories, or every repository of the account. */
  repositories: string[] | 'all'
  /** Default: the app's permissions. `metadata: read` is always included. */
  permissions?: Record<string, PermissionLevel>
  events?: string[]
}

export interface SandboxWorkflowOptions {
  /** Display name. Default: the file name without extension. */
  name?: string
  /** `on.workflow_dispatch.inputs`. */
  inputs?: Record<string, WorkflowInput>
  /** The job's GITHUB_TOKEN permissions. Default { contents: 'read' }. */
  permissions?: Record<string, 'read' | 'write'>
  /** `run-name:`, e.g. `jira-warden ${{ inputs.command }}`: each run's display_title, inputs filled in. Only `inputs.X` expressions. */
  runName?: string
}

export interface SandboxWorkflowRun {
  id: number
  runNumber: number
  repository: string
  workflow: string
  status: WorkflowRunStatus
  conclusion: WorkflowRunConclusion | null
  /** Branch (or tag) name the run is on. */
  ref: string
  sha: string
  inputs: Record<string, string>
  /** What GitHub shows as the run's title (display_title). */
  displayTitle: string
  actor: string
  createdAt: string
  updatedAt: string
  /** The message of the error the dispatch handler threw, if it did. */
  failure?: string
}
