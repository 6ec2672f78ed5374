/**
 * The GitHub Actions secret that holds the Jira credential, at one of three
 * scopes: the repository, one of its environments, or its organization
 * (whose visibility and selected repositories are kept). Each write fetches
 * the scope's public key, seals the value with libsodium's crypto_box_seal,
 * PUTs it, and confirms the secret's updated_at moved.
 */
import sodium from 'libsodium-wrappers'
import { TransientError, WardenError } from '../../core/errors.ts'
import type { SecretScope, SecretStore } from '../../ports/rotation.ts'
import { statusOf, type GitHubClient, type RepositoryRef } from './github-client.ts'

interface SecretMetadata {
  updatedAt: string
  visibility?: 'all' | 'private' | 'selected'
}

/** GitHub keeps updated_at to the second: a write in the same second as the last could not be told apart. */
const TIMESTAMP_RESOLUTION_MS = 1_100

export function createActionsSecretStore(github: GitHubClient, repository: RepositoryRef, scope: SecretScope): SecretStore {
  const paths = scopePaths(repository, scope)
  const metadata = async (name: string): Promise<SecretMetadata | undefined> => {
    try {
      const answer = await github.request(`GET ${paths.secrets}/{secret_name}`, { ...paths.params, secret_name: name })
      const data = answer.data as { updated_at: string; visibility?: SecretMetadata['visibility'] }
      return { updatedAt: data.updated_at, ...(data.visibility ? { visibility: data.visibility } : {}) }
    } catch (error) {
      if (statusOf(error) === 404) return undefined
      throw githubFailure(error, `read the secret ${name}`)
    }
  }
  return {
    async write(name, value) {
      const before = await metadata(name)
      if (before) await waitPastSecondOf(before.updatedAt)
      const key = await publicKey(github, paths)
      const body = { encrypted_value: await seal(value, key.key), key_id: key.keyId, ...(scope.kind === 'org' ? await orgVisibility(github, repository, name, before) : {}) }
      try {
        await github.request(`PUT ${paths.secrets}/{secret_name}`, { ...paths.params, secret_name: name, ...body })
      } catch (error) {
        throw githubFailure(error, `write the secret ${name}`)
      }
      const after = await metadata(name)
      if (!after || (before && Date.parse(after.updatedAt) <= Date.parse(before.updatedAt))) {
        throw new TransientError(`GitHub accepted the secret ${name} but its updated_at did not move: it may not hold the new value. The next run checks again.`)
      }
      return { updatedAt: after.updatedAt }
    },
    async describe(name) {
      const found = await metadata(name)
      return found ? { updatedAt: found.updatedAt } : undefined
    },
    async remove(name) {
      try {
        await github.request(`DELETE ${paths.secrets}/{secret_name}`, { ...paths.params, secret_name: name })
      } catch (error) {
        if (statusOf(error) === 404) return
        throw githubFailure(error, `delete the secret ${name}`)
      }
    },
  }
}

interface ScopePaths {
  secrets: string
  params: Record<string, string>
  describe: string
}

function scopePaths(repository: RepositoryRef, scope: SecretScope): ScopePaths {
  switch (scope.kind) {
    case 'repo':
      return { secrets: '/repos/{owner}/{repo}/actions/secrets', params: { ...repository }, describe: `repository ${repository.owner}/${repository.repo}` }
    case 'environment':
      return {
        secrets: '/repos/{owner}/{repo}/environments/{environment_name}/secrets',
        params: { ...repository, environment_name: scope.environment },
        describe: `environment ${scope.environment} of ${repository.owner}/${repository.repo}`,
      }
    case 'org':
      return { secrets: '/orgs/{org}/actions/secrets', params: { org: repository.owner }, describe: `organization ${repository.owner}` }
  }
}

async function publicKey(github: GitHubClient, paths: ScopePaths): Promise<{ keyId: string; key: string }> {
  try {
    const answer = await github.request(`GET ${paths.secrets}/public-key`, paths.params)
    const data = answer.data as { key_id: string; key: string }
    return { keyId: data.key_id, key: data.key }
  } catch (error) {
    throw githubFailure(error, `read the public key of the ${paths.describe}`)
  }
}

export async function seal(value: string, publicKeyBase64: string): Promise<string> {
  await sodium.ready
  const sealed = sodium.crypto_box_seal(sodium.from_string(value), sodium.from_base64(publicKeyBase64, sodium.base64_variants.ORIGINAL))
  return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL)
}

/** An organization secret keeps who may read it; a new one is visible to this repository only. */
async function orgVisibility(github: GitHubClient, repository: RepositoryRef, name: string, existing: SecretMetadata | undefined) {
  const visibility = existing?.visibility ?? 'selected'
  if (visibility !== 'selected') return { visibility }
  try {
    if (!existing) {
      const repo = await github.rest.repos.get({ ...repository })
      return { visibility, selected_repository_ids: [repo.data.id] }
    }
    const ids: number[] = []
    for (let page = 1; ; page += 1) {
      const answer = await github.request('GET /orgs/{org}/actions/secrets/{secret_name}/repositories', { org: repository.owner, secret_name: name, per_page: 100, page })
      const data = answer.data as { total_count: number; repositories: Array<{ id: number }> }
      ids.push(...data.repositories.map((repo) => repo.id))
      if (data.repositories.length < 100 || ids.length >= data.total_count) break
    }
    return { visibility, selected_repository_ids: ids }
  } catch (error) {
    throw githubFailure(error, `read which repositories may use the organization secret ${name}`)
  }
}

async function waitPastSecondOf(updatedAt: string): Promise<void> {
  const wait = Date.parse(updatedAt) + TIMESTAMP_RESOLUTION_MS - Date.now()
  if (wait > 0 && wait <= TIMESTAMP_RESOLUTION_MS) await new Promise((resolve) => setTimeout(resolve, wait))
}

/** GitHub's refusal as a typed error naming the fix; never the request body (it holds the sealed value). */
export function githubFailure(error: unknown, what: string): WardenError {
  const status = statusOf(error)
  if (status === 401) return new WardenError('authentication', `GitHub refused the token while trying to ${what} (401): the installation token may have expired; re-run the job.`)
  if (status === 403 || status === 404) {
    return new WardenError(
      'permission',
      `GitHub answered ${status} when trying to ${what}: the token needs the GitHub App's Secrets and Variables permissions (read and write) on this repository (organization secrets: the organization Secrets permission).`,
    )
  }
  if (status === 422) return new WardenError('configuration', `GitHub refused to ${what} (422): check the secret name and scope.`)
  return new TransientError(`GitHub could not ${what} (${status ? `answered ${status}` : 'no answer'}); the next run retries.`)
}
