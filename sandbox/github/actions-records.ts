/**
 * Records of what GitHub Actions keeps per repository and organization:
 * secrets (write-only values behind a key pair), variables, environments,
 * workflows and their runs; plus collaborators and reactions. The maps live
 * on the repository record (state.ts); routes under routes/ change them.
 */
import { newSecretKeyPair, type SecretKeyPair } from './secret-box.ts'
import type { Actor } from './state.ts'

export interface SecretRecord {
  /** Upper-cased, as GitHub stores secret names. */
  name: string
  /** The decrypted value: only the sandbox's JS handle ever reads it. */
  value: string
  createdAt: string
  updatedAt: string
}

export type OrgSecretVisibility = 'all' | 'private' | 'selected'

export interface OrgSecretRecord extends SecretRecord {
  visibility: OrgSecretVisibility
  /** Repository ids that may use a `selected` secret. */
  selectedRepositoryIds: number[]
}

/** A scope's secrets and the key pair they are sealed to (made on first use). */
export interface SecretVault<T extends SecretRecord = SecretRecord> {
  keyPair: SecretKeyPair | undefined
  secrets: Map<string, T>
}

export interface VariableRecord {
  name: string
  value: string
  createdAt: string
  updatedAt: string
}

export interface EnvironmentRecord {
  id: number
  name: string
  createdAt: string
  updatedAt: string
  vault: SecretVault
  variables: Map<string, VariableRecord>
}

export interface OrganizationRecord {
  actor: Actor
  vault: SecretVault<OrgSecretRecord>
}

/** Repository roles, highest first; `permission` in the API maps maintain→write and triage→read. */
export type CollaboratorRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read'

export interface CollaboratorRecord {
  actor: Actor
  role: CollaboratorRole
}

export const REACTION_CONTENTS = ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'] as const
export type ReactionContent = (typeof REACTION_CONTENTS)[number]

export interface ReactionRecord {
  id: number
  content: ReactionContent
  user: Actor
  createdAt: string
}

/** One `on.workflow_dispatch.inputs` entry of a workflow file. */
export interface WorkflowInput {
  required?: boolean
  default?: string
  type?: 'string' | 'boolean' | 'choice' | 'number' | 'environment'
  options?: string[]
}

export interface WorkflowRecord {
  id: number
  /** File name under .github/workflows, e.g. `rotate.yml`. */
  file: string
  name: string
  inputs: Record<string, WorkflowInput>
  /** The job's GITHUB_TOKEN permissions (`permissions:` in the file). */
  permissions: Record<string, 'read' | 'write'>
  /** The file's `run-name:`; only `${{ inputs.X }}` expressions are supported. */
  runName: string | undefined
  createdAt: string
}

export type WorkflowRunStatus = 'queued' | 'in_progress' | 'completed'
export type WorkflowRunConclusion = 'success' | 'failure' | 'cancelled' | 'neutral' | 'skipped' | 'timed_out' | 'action_required'

export interface WorkflowRunRecord {
  id: number
  runNumber: number
  workflow: WorkflowRecord
  event: 'workflow_dispatch'
  status: WorkflowRunStatus
  conclusion: WorkflowRunConclusion | null
  headBranch: string
  headSha: string
  inputs: Record<string, string>
  /** `run-name:` with the inputs filled in; the workflow's name when it has none. */
  displayTitle: string
  actor: Actor
  createdAt: string
  updatedAt: string
  runStartedAt: string
}

export function newVault<T extends SecretRecord>(): SecretVault<T> {
  return { keyPair: undefined, secrets: new Map() }
}

export function vaultKey(vault: SecretVault<SecretRecord>): SecretKeyPair {
  vault.keyPair ??= newSecretKeyPair()
  return vault.keyPair
}

/** The legacy `permission` field: admin, write, read (maintain counts as write, triage as read). */
export function legacyPermission(role: CollaboratorRole): 'admin' | 'write' | 'read' {
  if (role === 'admin') return 'admin'
  return role === 'maintain' || role === 'write' ? 'write' : 'read'
}

const INPUT_EXPRESSION = /\$\{\{\s*inputs\.([A-Za-z_][\w-]*)\s*\}\}/g

/** Throws when a `run-name:` uses an expression the sandbox cannot evaluate (anything but `inputs.X`). */
export function checkRunName(runName: string): void {
  const other = runName.replace(INPUT_EXPRESSION, '').match(/\$\{\{[^}]*\}\}/)
  if (other) throw new Error(`GitHub sandbox: run-name expression ${other[0]} is not supported; only \${{ inputs.NAME }}`)
}

/** A run's display title as GitHub shows it: `run-name:` with each input's value (empty when not given), else the workflow's name. */
export function runDisplayTitle(workflow: WorkflowRecord, inputs: Record<string, string>): string {
  if (workflow.runName === undefined) return workflow.name
  return workflow.runName.replace(INPUT_EXPRESSION, (_whole, name: string) => inputs[name] ?? '')
}
