/**
 * Actions secrets of the three scopes (repository, environment,
 * organization): the scope's public key, then write-only secrets sealed to
 * it. A PUT whose key_id is not the scope's current key, or whose value does
 * not open with the scope's private key, is refused with 422 and changes
 * nothing; the sandbox keeps the opened value for its JS handle only.
 */
import type { SandboxResponse } from '../../http/sandbox-server.ts'
import { vaultKey, type OrgSecretRecord, type OrgSecretVisibility, type SecretRecord, type SecretVault } from '../actions-records.ts'
import { enumField, fail, invalidRequest, notFound, objectBody, pageOf, validationFailed, describeValue } from '../http.ts'
import { minimalRepositoryJson } from '../representations.ts'
import { environmentParam, json, type GitHubRoute, type PermissionRequirement, type RouteContext } from '../route-kit.ts'
import { openSealedValue } from '../secret-box.ts'
import { findRepositoryById } from '../state.ts'

const DOCS = 'https://docs.github.com/rest/actions/secrets'
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/
/** GitHub's documented limit of a secret value. */
const MAX_SECRET_BYTES = 48 * 1024
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const REPO_SECRETS = '/repos/{owner}/{repo}/actions/secrets'
const ENV_SECRETS = '/repos/{owner}/{repo}/environments/{environment_name}/secrets'
const ORG_SECRETS = '/orgs/{org}/actions/secrets'

const repoRead: readonly PermissionRequirement[] = [['secrets', 'read']]
const repoWrite: readonly PermissionRequirement[] = [['secrets', 'write']]
// Environment secrets are documented under both the Secrets and the Environments permission.
const envRead: readonly PermissionRequirement[] = [['secrets', 'read'], ['environments', 'read']]
const envWrite: readonly PermissionRequirement[] = [['secrets', 'write'], ['environments', 'write']]
const orgRead: readonly PermissionRequirement[] = [['organization_secrets', 'read']]
const orgWrite: readonly PermissionRequirement[] = [['organization_secrets', 'write']]

export const secretRoutes: GitHubRoute[] = [
  // Repository scope.
  publicKeyRoute(`${REPO_SECRETS}/public-key`, `${DOCS}#get-a-repository-public-key`, repoRead, (context) => context.repository.vault),
  {
    method: 'GET',
    path: REPO_SECRETS,
    docs: `${DOCS}#list-repository-secrets`,
    accepts: repoRead,
    handle: (context) => listSecrets(context, context.repository.vault, secretJson),
  },
  {
    method: 'GET',
    path: `${REPO_SECRETS}/{secret_name}`,
    docs: `${DOCS}#get-a-repository-secret`,
    accepts: repoRead,
    handle: (context) => json(200, secretJson(secretParam(context, context.repository.vault))),
  },
  {
    method: 'PUT',
    path: `${REPO_SECRETS}/{secret_name}`,
    docs: `${DOCS}#create-or-update-a-repository-secret`,
    accepts: repoWrite,
    handle: (context) => putSecret(context, context.repository.vault, objectBody(context.request, context.docs)),
  },
  {
    method: 'DELETE',
    path: `${REPO_SECRETS}/{secret_name}`,
    docs: `${DOCS}#delete-a-repository-secret`,
    accepts: repoWrite,
    handle: (context) => deleteSecret(context, context.repository.vault),
  },

  // Environment scope.
  publicKeyRoute(`${ENV_SECRETS}/public-key`, `${DOCS}#get-an-environment-public-key`, envRead, (context) => environmentParam(context).vault),
  {
    method: 'GET',
    path: ENV_SECRETS,
    docs: `${DOCS}#list-environment-secrets`,
    accepts: envRead,
    handle: (context) => listSecrets(context, environmentParam(context).vault, secretJson),
  },
  {
    method: 'GET',
    path: `${ENV_SECRETS}/{secret_name}`,
    docs: `${DOCS}#get-an-environment-secret`,
    accepts: envRead,
    handle: (context) => json(200, secretJson(secretParam(context, environmentParam(context).vault))),
  },
  {
    method: 'PUT',
    path: `${ENV_SECRETS}/{secret_name}`,
    docs: `${DOCS}#create-or-update-an-environment-secret`,
    accepts: envWrite,
    handle: (context) => putSecret(context, environmentParam(context).vault, objectBody(context.request, context.docs)),
  },
  {
    method: 'DELETE',
    path: `${ENV_SECRETS}/{secret_name}`,
    docs: `${DOCS}#delete-an-environment-secret`,
    accepts: envWrite,
    handle: (context) => deleteSecret(context, environmentParam(context).vault),
  },

  // Organization scope.
  publicKeyRoute(`${ORG_SECRETS}/public-key`, `${DOCS}#get-an-organization-public-key`, orgRead, (context) => context.organization.vault),
  {
    method: 'GET',
    path: ORG_SECRETS,
    docs: `${DOCS}#list-organization-secrets`,
    accepts: orgRead,
    handle: (context) => listSecrets(context, context.organization.vault, (secret) => orgSecretJson(context, secret)),
  },
  {
    method: 'GET',
    path: `${ORG_SECRETS}/{secret_name}`,
    docs: `${DOCS}#get-an-organization-secret`,
    accepts: orgRead,
    handle: (context) => json(200, orgSecretJson(context, secretParam(context, context.organization.vault))),
  },
  {
    method: 'PUT',
    path: `${ORG_SECRETS}/{secret_name}`,
    docs: `${DOCS}#create-or-update-an-organization-secret`,
    accepts: orgWrite,
    handle: putOrgSecret,
  },
  {
    method: 'DELETE',
    path: `${ORG_SECRETS}/{secret_name}`,
    docs: `${DOCS}#delete-an-organization-secret`,
    accepts: orgWrite,
    handle: (context) => deleteSecret(context, context.organization.vault),
  },
  {
    method: 'GET',
    path: `${ORG_SECRETS}/{secret_name}/repositories`,
    docs: `${DOCS}#list-selected-repositories-for-an-organization-secret`,
    accepts: orgRead,
    handle(context) {
      const secret = secretParam(context, context.organization.vault)
      if (secret.visibility !== 'selected') throw fail(409, 'Conflict', context.docs)
      const repositories = secret.selectedRepositoryIds.flatMap((id) => findRepositoryById(context.state, id) ?? [])
      return json(200, { total_count: repositories.length, repositories: repositories.map((repository) => minimalRepositoryJson(context.state, repository)) })
    },
  },
  {
    method: 'PUT',
    path: `${ORG_SECRETS}/{secret_name}/repositories`,
    docs: `${DOCS}#set-selected-repositories-for-an-organization-secret`,
    accepts: orgWrite,
    handle(context) {
      const secret = secretParam(context, context.organization.vault)
      const body = objectBody(context.request, context.docs)
      if (body.selected_repository_ids === undefined) throw invalidRequest(context.docs, '"selected_repository_ids" wasn\'t supplied.')
      if (secret.visibility !== 'selected') throw fail(409, 'Conflict', context.docs)
      secret.selectedRepositoryIds = repositoryIds(context, body.selected_repository_ids)
      secret.updatedAt = context.state.timestamp()
      return { status: 204 }
    },
  },
]

function publicKeyRoute(
  path: string,
  docs: string,
  accepts: readonly PermissionRequirement[],
  vaultOf: (context: RouteContext) => SecretVault<SecretRecord>,
): GitHubRoute {
  return {
    method: 'GET',
    path,
    docs,
    accepts,
    handle(context) {
      const pair = vaultKey(vaultOf(context))
      return json(200, { key_id: pair.keyId, key: pair.key })
    },
  }
}


function secretParam<T extends SecretRecord>(context: RouteContext, vault: SecretVault<T>): T {
  const secret = vault.secrets.get(context.param('secret_name').toUpperCase())
  if (!secret) throw notFound(context.docs)
  return secret
}

function secretJson(secret: SecretRecord): Record<string, unknown> {
  return { name: secret.name, created_at: secret.createdAt, updated_at: secret.updatedAt }
}

function orgSecretJson(context: RouteContext, secret: OrgSecretRecord): Record<string, unknown> {
  const url = `${context.state.apiUrl}/orgs/${context.organization.actor.login}/actions/secrets/${secret.name}/repositories`
  return { ...secretJson(secret), visibility: secret.visibility, ...(secret.visibility === 'selected' ? { selected_repositories_url: url } : {}) }
}

function listSecrets<T extends SecretRecord>(context: RouteContext, vault: SecretVault<T>, render: (secret: T) => Record<string, unknown>): SandboxResponse {
  const secrets = [...vault.secrets.values()].sort((a, b) => a.name.localeCompare(b.name))
  const page = pageOf(secrets, context.request, context.state.apiUrl)
  return json(200, { total_count: secrets.length, secrets: page.items.map(render) }, page.headers)
}

/** Checks the body and opens the sealed value; throws GitHub's 422s without changing anything. */
function openedValue(context: RouteContext, vault: SecretVault<SecretRecord>, body: Record<string, unknown>): string {
  const name = context.param('secret_name')
  if (!SECRET_NAME.test(name) || name.toUpperCase().startsWith('GITHUB_')) {
    throw validationFailed(context.docs, [
      { resource: 'Secret', code: 'custom', field: 'name', message: 'Secret names can only contain alphanumeric characters or underscores, must not start with a number or GITHUB_' },
    ])
  }
  const { encrypted_value: encrypted, key_id: keyId } = body
  if (encrypted === undefined) throw invalidRequest(context.docs, '"encrypted_value" wasn\'t supplied.')
  if (keyId === undefined) throw invalidRequest(context.docs, '"key_id" wasn\'t supplied.')
  if (typeof encrypted !== 'string') throw invalidRequest(context.docs, `For 'properties/encrypted_value', ${describeValue(encrypted)} is not a string.`)
  if (typeof keyId !== 'string') throw invalidRequest(context.docs, `For 'properties/key_id', ${describeValue(keyId)} is not a string.`)
  if (!BASE64.test(encrypted)) {
    throw invalidRequest(context.docs, `For 'properties/encrypted_value', "${encrypted.slice(0, 16)}..." does not match /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/.`)
  }
  const pair = vaultKey(vault)
  if (keyId !== pair.keyId) throw validationFailed(context.docs, [{ resource: 'Secret', code: 'invalid', field: 'key_id', message: 'key_id does not match the current public key' }])
  const value = openSealedValue(pair, encrypted)
  if (value === undefined) {
    throw validationFailed(context.docs, [{ resource: 'Secret', code: 'invalid', field: 'encrypted_value', message: 'encrypted_value could not be decrypted with the public key of key_id' }])
  }
  if (Buffer.byteLength(value) > MAX_SECRET_BYTES) {
    throw validationFailed(context.docs, [{ resource: 'Secret', code: 'custom', field: 'encrypted_value', message: 'Secret values are limited to 48 KB' }])
  }
  return value
}

function putSecret(context: RouteContext, vault: SecretVault<SecretRecord>, body: Record<string, unknown>): SandboxResponse {
  const value = openedValue(context, vault, body)
  const name = context.param('secret_name').toUpperCase()
  const now = context.state.timestamp()
  const existing = vault.secrets.get(name)
  if (existing) {
    existing.value = value
    existing.updatedAt = now
    return { status: 204 }
  }
  vault.secrets.set(name, { name, value, createdAt: now, updatedAt: now })
  return json(201, {})
}

function putOrgSecret(context: RouteContext): SandboxResponse {
  const vault = context.organization.vault
  const body = objectBody(context.request, context.docs)
  const value = openedValue(context, vault, body)
  const name = context.param('secret_name').toUpperCase()
  const existing = vault.secrets.get(name)
  // Required on every PUT; a `selected` secret keeps its repositories when no ids are given.
  const visibility = enumField<OrgSecretVisibility>(body, 'visibility', ['all', 'private', 'selected'], context.docs)
  if (!visibility) throw invalidRequest(context.docs, '"visibility" wasn\'t supplied.')
  let selected = existing?.selectedRepositoryIds ?? []
  if (body.selected_repository_ids !== undefined) {
    if (visibility !== 'selected') {
      throw validationFailed(context.docs, [
        { resource: 'Secret', code: 'custom', field: 'selected_repository_ids', message: 'selected_repository_ids can only be given when visibility is selected' },
      ])
    }
    selected = repositoryIds(context, body.selected_repository_ids)
  }
  const now = context.state.timestamp()
  const record: OrgSecretRecord = {
    name,
    value,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    visibility,
    selectedRepositoryIds: visibility === 'selected' ? selected : [],
  }
  vault.secrets.set(name, record)
  return existing ? { status: 204 } : json(201, {})
}

/** Ids of repositories of the organization; an unknown one is refused. */
function repositoryIds(context: RouteContext, value: unknown): number[] {
  if (!Array.isArray(value) || value.some((id) => !Number.isInteger(id))) {
    throw invalidRequest(context.docs, `For 'properties/selected_repository_ids', ${describeValue(value)} is not an array of integers.`)
  }
  const ids = [...new Set(value as number[])]
  for (const id of ids) {
    const repository = findRepositoryById(context.state, id)
    if (!repository || repository.owner !== context.organization.actor) {
      throw validationFailed(context.docs, [{ resource: 'Secret', code: 'invalid', field: 'selected_repository_ids', value: String(id) }])
    }
  }
  return ids
}

function deleteSecret(context: RouteContext, vault: SecretVault<SecretRecord>): SandboxResponse {
  const name = context.param('secret_name').toUpperCase()
  if (!vault.secrets.delete(name)) throw notFound(context.docs)
  return { status: 204 }
}
