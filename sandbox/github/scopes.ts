/**
 * How the sandbox's JS handle names where a secret or variable lives:
 * `{ repo: 'acme/shop' }`, `{ repo: 'acme/shop', environment: 'production' }`
 * or `{ org: 'acme' }` (secrets only), resolved to the records in the state.
 */
import { newVault, type EnvironmentRecord, type OrgSecretRecord, type SecretRecord, type SecretVault, type VariableRecord } from './actions-records.ts'
import type { GitHubState, RepositoryRecord } from './state.ts'

export type VariableScope = { repo: string; environment?: string }
export type SecretScope = VariableScope | { org: string }

export function describeScope(scope: SecretScope): string {
  if ('org' in scope) return `organization ${scope.org}`
  return scope.environment === undefined ? `repository ${scope.repo}` : `environment ${scope.environment} of ${scope.repo}`
}

export function vaultOf(state: GitHubState, scope: SecretScope): SecretVault<SecretRecord> | SecretVault<OrgSecretRecord> {
  if ('org' in scope) {
    const organization = state.organizations.get(scope.org.toLowerCase())
    if (!organization) throw new Error(`GitHub sandbox: no organization '${scope.org}' (it exists once a repository of it is added)`)
    return organization.vault
  }
  const repository = state.repository(scope.repo)
  return scope.environment === undefined ? repository.vault : environmentOf(repository, scope.environment).vault
}

export function variablesOf(state: GitHubState, scope: VariableScope): Map<string, VariableRecord> {
  const repository = state.repository(scope.repo)
  return scope.environment === undefined ? repository.variables : environmentOf(repository, scope.environment).variables
}

export function environmentOf(repository: RepositoryRecord, name: string): EnvironmentRecord {
  const environment = repository.environments.get(name.toLowerCase())
  if (!environment) throw new Error(`GitHub sandbox: no environment '${name}' in ${repository.owner.login}/${repository.name} (add it with addEnvironment first)`)
  return environment
}

/** Creates the environment (GitHub's REST subset has no create route; admins make them in settings). */
export function addEnvironment(state: GitHubState, repository: RepositoryRecord, name: string): EnvironmentRecord {
  const existing = repository.environments.get(name.toLowerCase())
  if (existing) return existing
  const created = state.timestamp()
  const environment: EnvironmentRecord = { id: state.nextId('environment'), name, createdAt: created, updatedAt: created, vault: newVault(), variables: new Map() }
  repository.environments.set(name.toLowerCase(), environment)
  return environment
}
