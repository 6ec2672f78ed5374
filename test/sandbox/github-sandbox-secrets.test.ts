import { getOctokit } from '@actions/github'
import sodium from 'libsodium-wrappers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomSecret } from '../../sandbox/http/sandbox-server.ts'
import { startGitHubSandbox, type GitHubSandbox } from '../../sandbox/github/github-sandbox.ts'
import { expectNoLeaks } from '../support/leak-scan.ts'

type Octokit = ReturnType<typeof getOctokit>

const REPO = { owner: 'acme', repo: 'shop' }

/** What a client does: seal with libsodium to the public key GitHub gave. */
function seal(publicKey: string, value: string): string {
  return Buffer.from(sodium.crypto_box_seal(sodium.from_string(value), sodium.from_base64(publicKey, sodium.base64_variants.ORIGINAL))).toString('base64')
}

describe('GitHub sandbox: Actions secrets, variables and environments', () => {
  let sandbox: GitHubSandbox
  let now = new Date('2026-03-01T10:00:00Z')
  let app: Octokit
  let appToken: string
  const tick = (seconds: number): void => {
    now = new Date(now.getTime() + seconds * 1000)
  }
  const client = (token: string): Octokit => getOctokit(token, { baseUrl: sandbox.url, request: { retries: 0 } })
  const everything = (): string[] => sandbox.log.map((entry) => JSON.stringify(entry))

  beforeAll(async () => {
    await sodium.ready
    sandbox = await startGitHubSandbox({ now: () => now })
    sandbox.addRepository('acme/shop')
    sandbox.addRepository('acme/api', { private: true })
    sandbox.addRepository('acme/docs')
    sandbox.addRepository('other/elsewhere')
    appToken = sandbox.issueToken({
      kind: 'installation',
      account: 'acme',
      repositories: ['*'],
      permissions: { secrets: 'write', actions_variables: 'write', organization_secrets: 'write' },
      expiresInSeconds: 86400,
    })
    app = client(appToken)
  })

  afterAll(async () => {
    await sandbox.close()
  })

  describe('repository secrets', () => {
    it('stores a value sealed to the public key, which decrypts to what was sealed, and never answers it back', async () => {
      const credential = randomSecret('jira-pat-')
      const key = await app.rest.actions.getRepoPublicKey(REPO)
      expect(key.data.key_id).toMatch(/^\d+$/)
      expect(Buffer.from(key.data.key, 'base64')).toHaveLength(32)
      expect(sandbox.publicKey({ repo: 'acme/shop' })).toEqual({ keyId: key.data.key_id, key: key.data.key })

      const created = await app.rest.actions.createOrUpdateRepoSecret({ ...REPO, secret_name: 'jira_pat', encrypted_value: seal(key.data.key, credential), key_id: key.data.key_id })
      expect(created.status).toBe(201)
      expect(created.data).toEqual({})
      expect(sandbox.secretValue({ repo: 'acme/shop' }, 'JIRA_PAT')).toBe(credential)

      const metadata = await app.rest.actions.getRepoSecret({ ...REPO, secret_name: 'JIRA_PAT' })
      expect(metadata.data).toEqual({ name: 'JIRA_PAT', created_at: '2026-03-01T10:00:00Z', updated_at: '2026-03-01T10:00:00Z' })
      const listed = await app.rest.actions.listRepoSecrets(REPO)
      expect(listed.data).toEqual({ total_count: 1, secrets: [metadata.data] })
      expectNoLeaks(everything(), [{ secret: credential }])
    })

    it('answers 204 on update and moves updated_at, keeping created_at', async () => {
      const rotated = randomSecret('jira-pat-')
      tick(90)
      const key = await app.rest.actions.getRepoPublicKey(REPO)
      const updated = await app.rest.actions.createOrUpdateRepoSecret({ ...REPO, secret_name: 'JIRA_PAT', encrypted_value: seal(key.data.key, rotated), key_id: key.data.key_id })
      expect(updated.status).toBe(204)
      expect(sandbox.secretValue({ repo: 'acme/shop' }, 'jira_pat')).toBe(rotated)
      const metadata = await app.rest.actions.getRepoSecret({ ...REPO, secret_name: 'JIRA_PAT' })
      expect(metadata.data).toMatchObject({ created_at: '2026-03-01T10:00:00Z', updated_at: '2026-03-01T10:01:30Z' })
      expect(sandbox.secret({ repo: 'acme/shop' }, 'JIRA_PAT')).toEqual({ name: 'JIRA_PAT', createdAt: '2026-03-01T10:00:00Z', updatedAt: '2026-03-01T10:01:30Z' })
    })

    it('keeps one key pair per scope, stable between requests', async () => {
      const first = await app.rest.actions.getRepoPublicKey(REPO)
      const second = await app.rest.actions.getRepoPublicKey(REPO)
      const other = await app.rest.actions.getRepoPublicKey({ owner: 'acme', repo: 'api' })
      expect(second.data).toEqual(first.data)
      expect(other.data.key).not.toBe(first.data.key)
      expect(other.data.key_id).not.toBe(first.data.key_id)
    })

    it('refuses a wrong key_id, a value sealed to another key, non-base64 and missing fields with 422, storing nothing', async () => {
      const attempted = randomSecret('jira-pat-')
      const key = await app.rest.actions.getRepoPublicKey(REPO)
      const otherKey = await app.rest.actions.getRepoPublicKey({ owner: 'acme', repo: 'api' })
      const before = sandbox.secret({ repo: 'acme/shop' }, 'JIRA_PAT')
      const attempts: Array<Record<string, unknown>> = [
        { encrypted_value: seal(key.data.key, attempted), key_id: otherKey.data.key_id },
        { encrypted_value: seal(otherKey.data.key, attempted), key_id: key.data.key_id },
        // Base64, long enough, but not a sealed box.
        { encrypted_value: Buffer.alloc(80, 7).toString('base64'), key_id: key.data.key_id },
        { encrypted_value: 'not base64!', key_id: key.data.key_id },
        { encrypted_value: seal(key.data.key, attempted) },
        { key_id: key.data.key_id },
      ]
      for (const body of attempts) {
        const error = await app.request('PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}', { ...REPO, secret_name: 'JIRA_PAT', ...body } as never).catch((caught: unknown) => caught)
        expect(error, JSON.stringify(Object.keys(body))).toMatchObject({ status: 422 })
      }
      const badName = await app.rest.actions
        .createOrUpdateRepoSecret({ ...REPO, secret_name: 'GITHUB_TOKEN', encrypted_value: seal(key.data.key, attempted), key_id: key.data.key_id })
        .catch((caught: unknown) => caught)
      expect(badName).toMatchObject({ status: 422 })
      expect(sandbox.secret({ repo: 'acme/shop' }, 'JIRA_PAT')).toEqual(before)
      expect(sandbox.secretValue({ repo: 'acme/shop' }, 'JIRA_PAT')).not.toBe(attempted)
      expect(sandbox.secretNames({ repo: 'acme/shop' })).toEqual(['JIRA_PAT'])
      expectNoLeaks(everything(), [{ secret: attempted }])
    })

    it('deletes, then answers 404', async () => {
      sandbox.setSecret({ repo: 'acme/docs' }, 'STAGED', randomSecret('staged-'))
      expect((await app.rest.actions.deleteRepoSecret({ owner: 'acme', repo: 'docs', secret_name: 'staged' })).status).toBe(204)
      await expect(app.rest.actions.getRepoSecret({ owner: 'acme', repo: 'docs', secret_name: 'STAGED' })).rejects.toMatchObject({ status: 404 })
      await expect(app.rest.actions.deleteRepoSecret({ owner: 'acme', repo: 'docs', secret_name: 'STAGED' })).rejects.toMatchObject({ status: 404 })
      expect(sandbox.secretValue({ repo: 'acme/docs' }, 'STAGED')).toBeUndefined()
    })

    it('needs the secrets permission (403), hides private repositories (404), and never gives it to a GITHUB_TOKEN', async () => {
      const issuesOnly = client(sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { issues: 'write' } }))
      await expect(issuesOnly.rest.actions.getRepoPublicKey(REPO)).rejects.toMatchObject({ status: 403, response: { data: { message: 'Resource not accessible by integration' } } })
      await expect(issuesOnly.rest.actions.getRepoPublicKey({ owner: 'acme', repo: 'api' })).rejects.toMatchObject({ status: 404 })
      const reader = client(sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { secrets: 'read' } }))
      expect((await reader.rest.actions.listRepoSecrets(REPO)).status).toBe(200)
      await expect(reader.rest.actions.deleteRepoSecret({ ...REPO, secret_name: 'JIRA_PAT' })).rejects.toMatchObject({ status: 403 })
      expect(() => sandbox.issueToken({ repositories: ['acme/shop'], permissions: { secrets: 'write' } })).toThrow(/GITHUB_TOKEN cannot hold secrets/)
    })
  })

  describe('environment secrets', () => {
    it('answers 404 for an unknown environment, then works once the environment exists', async () => {
      const credential = randomSecret('jira-pat-')
      const scope = { ...REPO, environment_name: 'production' }
      await expect(app.rest.actions.getEnvironmentPublicKey(scope)).rejects.toMatchObject({ status: 404 })
      sandbox.addEnvironment('acme/shop', 'production')
      const key = await app.rest.actions.getEnvironmentPublicKey(scope)
      expect(key.data.key).not.toBe(sandbox.publicKey({ repo: 'acme/shop' }).key)
      const created = await app.rest.actions.createOrUpdateEnvironmentSecret({ ...scope, secret_name: 'JIRA_PAT', encrypted_value: seal(key.data.key, credential), key_id: key.data.key_id })
      expect(created.status).toBe(201)
      expect(sandbox.secretValue({ repo: 'acme/shop', environment: 'production' }, 'JIRA_PAT')).toBe(credential)
      expect(sandbox.secretValue({ repo: 'acme/shop' }, 'JIRA_PAT')).not.toBe(credential)
      const metadata = await app.rest.actions.getEnvironmentSecret({ ...scope, secret_name: 'JIRA_PAT' })
      expect(Object.keys(metadata.data).sort()).toEqual(['created_at', 'name', 'updated_at'])
      const listed = await app.request('GET /repos/{owner}/{repo}/environments/{environment_name}/secrets', scope)
      expect(listed.data).toMatchObject({ total_count: 1, secrets: [{ name: 'JIRA_PAT' }] })
      expect((await app.rest.actions.deleteEnvironmentSecret({ ...scope, secret_name: 'JIRA_PAT' })).status).toBe(204)
      expect(sandbox.secretNames({ repo: 'acme/shop', environment: 'production' })).toEqual([])
      await expect(app.rest.actions.getEnvironmentSecret({ ...REPO, environment_name: 'staging', secret_name: 'JIRA_PAT' })).rejects.toMatchObject({ status: 404 })
      expectNoLeaks(everything(), [{ secret: credential }])
    })
  })

  describe('organization secrets', () => {
    it('stores visibility and selected repositories, lists and replaces them, and keeps them on update', async () => {
      const credential = randomSecret('jira-pat-')
      const key = await app.rest.actions.getOrgPublicKey({ org: 'acme' })
      const shop = await app.rest.repos.get(REPO)
      const api = await app.rest.repos.get({ owner: 'acme', repo: 'api' })
      const docs = await app.rest.repos.get({ owner: 'acme', repo: 'docs' })
      const created = await app.rest.actions.createOrUpdateOrgSecret({
        org: 'acme',
        secret_name: 'JIRA_PAT',
        encrypted_value: seal(key.data.key, credential),
        key_id: key.data.key_id,
        visibility: 'selected',
        selected_repository_ids: [shop.data.id, api.data.id],
      })
      expect(created.status).toBe(201)
      expect(sandbox.secretValue({ org: 'acme' }, 'JIRA_PAT')).toBe(credential)
      expect(sandbox.secret({ org: 'acme' }, 'JIRA_PAT')).toMatchObject({ visibility: 'selected', selectedRepositories: ['acme/shop', 'acme/api'] })

      const metadata = await app.rest.actions.getOrgSecret({ org: 'acme', secret_name: 'JIRA_PAT' })
      expect(metadata.data).toMatchObject({ name: 'JIRA_PAT', visibility: 'selected', selected_repositories_url: `${sandbox.url}/orgs/acme/actions/secrets/JIRA_PAT/repositories` })
      const selected = await app.rest.actions.listSelectedReposForOrgSecret({ org: 'acme', secret_name: 'JIRA_PAT' })
      expect(selected.data.repositories.map((repository) => repository.full_name)).toEqual(['acme/shop', 'acme/api'])

      expect((await app.rest.actions.setSelectedReposForOrgSecret({ org: 'acme', secret_name: 'JIRA_PAT', selected_repository_ids: [docs.data.id] })).status).toBe(204)
      tick(60)
      const rotated = randomSecret('jira-pat-')
      const updated = await app.rest.actions.createOrUpdateOrgSecret({ org: 'acme', secret_name: 'JIRA_PAT', encrypted_value: seal(key.data.key, rotated), key_id: key.data.key_id, visibility: 'selected' })
      expect(updated.status).toBe(204)
      expect(sandbox.secret({ org: 'acme' }, 'JIRA_PAT')).toMatchObject({ selectedRepositories: ['acme/docs'] })
      expect(sandbox.secretValue({ org: 'acme' }, 'JIRA_PAT')).toBe(rotated)
      expectNoLeaks(everything(), [{ secret: credential }, { secret: rotated }])
    })

    it('refuses repository ids outside the organization or with another visibility, and callers without the organization permission', async () => {
      const key = await app.rest.actions.getOrgPublicKey({ org: 'acme' })
      const foreign = sandbox.issueToken({ kind: 'installation', repositories: ['other/elsewhere'], permissions: { metadata: 'read' } })
      const elsewhere = await client(foreign).rest.repos.get({ owner: 'other', repo: 'elsewhere' })
      const value = seal(key.data.key, randomSecret('x-'))
      for (const body of [
        { visibility: 'selected' as const, selected_repository_ids: [elsewhere.data.id] },
        { visibility: 'all' as const, selected_repository_ids: [1] },
      ]) {
        await expect(app.rest.actions.createOrUpdateOrgSecret({ org: 'acme', secret_name: 'OTHER', encrypted_value: value, key_id: key.data.key_id, ...body })).rejects.toMatchObject({ status: 422 })
      }
      await expect(app.rest.actions.createOrUpdateOrgSecret({ org: 'acme', secret_name: 'OTHER', encrypted_value: value, key_id: key.data.key_id } as never)).rejects.toMatchObject({ status: 422 })
      expect(sandbox.secretNames({ org: 'acme' })).toEqual(['JIRA_PAT'])
      const repoOnly = client(sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { secrets: 'write' } }))
      await expect(repoOnly.rest.actions.getOrgPublicKey({ org: 'acme' })).rejects.toMatchObject({ status: 403 })
      await expect(app.rest.actions.getOrgPublicKey({ org: 'nobody' })).rejects.toMatchObject({ status: 404 })
      const allVisible = await app.rest.actions.createOrUpdateOrgSecret({ org: 'acme', secret_name: 'SHARED', encrypted_value: value, key_id: key.data.key_id, visibility: 'private' })
      expect(allVisible.status).toBe(201)
      await expect(app.rest.actions.listSelectedReposForOrgSecret({ org: 'acme', secret_name: 'SHARED' })).rejects.toMatchObject({ status: 409 })
      expect((await app.rest.actions.deleteOrgSecret({ org: 'acme', secret_name: 'SHARED' })).status).toBe(204)
    })
  })

  describe('variables', () => {
    it('creates (201), refuses a duplicate (409), reads, updates (204, updated_at moves), lists and deletes repository variables', async () => {
      const state = JSON.stringify({ version: 1, phase: 'intent' })
      const created = await app.rest.actions.createRepoVariable({ ...REPO, name: 'jira_warden_state', value: state })
      expect(created.status).toBe(201)
      await expect(app.rest.actions.createRepoVariable({ ...REPO, name: 'JIRA_WARDEN_STATE', value: '{}' })).rejects.toMatchObject({ status: 409 })
      const read = await app.rest.actions.getRepoVariable({ ...REPO, name: 'JIRA_WARDEN_STATE' })
      expect(read.data).toEqual({ name: 'JIRA_WARDEN_STATE', value: state, created_at: now.toISOString().replace('.000', ''), updated_at: now.toISOString().replace('.000', '') })
      tick(30)
      const next = JSON.stringify({ version: 1, phase: 'mint' })
      expect((await app.rest.actions.updateRepoVariable({ ...REPO, name: 'JIRA_WARDEN_STATE', value: next })).status).toBe(204)
      expect(sandbox.variable({ repo: 'acme/shop' }, 'JIRA_WARDEN_STATE')).toMatchObject({ value: next })
      const after = await app.rest.actions.getRepoVariable({ ...REPO, name: 'JIRA_WARDEN_STATE' })
      expect(Date.parse(after.data.updated_at)).toBeGreaterThan(Date.parse(after.data.created_at))

      for (let index = 0; index < 34; index += 1) sandbox.setVariable({ repo: 'acme/shop' }, `FILLER_${String(index).padStart(2, '0')}`, String(index))
      const firstPage = await app.rest.actions.listRepoVariables(REPO)
      expect(firstPage.data.total_count).toBe(35)
      expect(firstPage.data.variables).toHaveLength(10)
      const capped = await app.rest.actions.listRepoVariables({ ...REPO, per_page: 100 })
      expect(capped.data.variables).toHaveLength(30)
      expect(capped.headers.link).toContain('rel="next"')

      expect((await app.rest.actions.deleteRepoVariable({ ...REPO, name: 'JIRA_WARDEN_STATE' })).status).toBe(204)
      await expect(app.rest.actions.getRepoVariable({ ...REPO, name: 'JIRA_WARDEN_STATE' })).rejects.toMatchObject({ status: 404 })
      await expect(app.rest.actions.updateRepoVariable({ ...REPO, name: 'JIRA_WARDEN_STATE', value: 'x' })).rejects.toMatchObject({ status: 404 })
    })

    it('validates variable bodies and needs the variables permission', async () => {
      await expect(app.request('POST /repos/{owner}/{repo}/actions/variables', { ...REPO, name: 'NO_VALUE' } as never)).rejects.toMatchObject({ status: 422 })
      await expect(app.request('POST /repos/{owner}/{repo}/actions/variables', { ...REPO, name: '1BAD', value: 'x' })).rejects.toMatchObject({ status: 422 })
      const issuesOnly = client(sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { issues: 'write' } }))
      await expect(issuesOnly.rest.actions.createRepoVariable({ ...REPO, name: 'X', value: 'x' })).rejects.toMatchObject({ status: 403 })
      expect(sandbox.variable({ repo: 'acme/shop' }, 'X')).toBeUndefined()
    })

    it('keeps environment variables apart, and answers 404 for an unknown environment', async () => {
      sandbox.addEnvironment('acme/shop', 'staging')
      const scope = { ...REPO, environment_name: 'staging' }
      await expect(app.rest.actions.createEnvironmentVariable({ ...REPO, environment_name: 'nowhere', name: 'A', value: 'b' })).rejects.toMatchObject({ status: 404 })
      expect((await app.rest.actions.createEnvironmentVariable({ ...scope, name: 'JIRA_URL', value: 'https://jira.example.com' })).status).toBe(201)
      await expect(app.rest.actions.createEnvironmentVariable({ ...scope, name: 'JIRA_URL', value: 'x' })).rejects.toMatchObject({ status: 409 })
      expect((await app.rest.actions.updateEnvironmentVariable({ ...scope, name: 'JIRA_URL', value: 'https://jira2.example.com' })).status).toBe(204)
      expect((await app.rest.actions.getEnvironmentVariable({ ...scope, name: 'jira_url' })).data.value).toBe('https://jira2.example.com')
      expect(sandbox.variable({ repo: 'acme/shop', environment: 'STAGING' }, 'JIRA_URL')?.value).toBe('https://jira2.example.com')
      expect(sandbox.variable({ repo: 'acme/shop' }, 'JIRA_URL')).toBeUndefined()
      const listed = await app.request('GET /repos/{owner}/{repo}/environments/{environment_name}/variables', scope)
      expect(listed.data).toMatchObject({ total_count: 1 })
      expect((await app.request('DELETE /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}', { ...scope, name: 'JIRA_URL' })).status).toBe(204)
    })
  })

  describe('faults, latency and the enterprise prefix', () => {
    it('answers injected faults on the new routes like on the others, then recovers', async () => {
      const credential = randomSecret('jira-pat-')
      const key = await app.rest.actions.getRepoPublicKey(REPO)
      sandbox.inject({ method: 'PUT', path: '/repos/acme/shop/actions/secrets/JIRA_PAT', kind: 'status', status: 503 })
      await expect(app.rest.actions.createOrUpdateRepoSecret({ ...REPO, secret_name: 'JIRA_PAT', encrypted_value: seal(key.data.key, credential), key_id: key.data.key_id })).rejects.toMatchObject({ status: 503 })
      expect(sandbox.secretValue({ repo: 'acme/shop' }, 'JIRA_PAT')).not.toBe(credential)
      sandbox.inject({ path: /\/actions\/secrets\/public-key$/, kind: 'drop' })
      await expect(app.rest.actions.getRepoPublicKey(REPO)).rejects.toThrow()
      sandbox.inject({ path: '/repos/acme/shop/actions/variables', kind: 'timeout' })
      const timedOut = fetch(`${sandbox.url}/repos/acme/shop/actions/variables`, { headers: { authorization: `token ${appToken}` }, signal: AbortSignal.timeout(200) })
      await expect(timedOut).rejects.toThrow()
      sandbox.setLatency(50)
      const started = performance.now()
      const recovered = await app.rest.actions.createOrUpdateRepoSecret({ ...REPO, secret_name: 'JIRA_PAT', encrypted_value: seal(key.data.key, credential), key_id: key.data.key_id })
      expect(performance.now() - started).toBeGreaterThanOrEqual(45)
      sandbox.setLatency(0)
      expect(recovered.status).toBe(204)
      expect(sandbox.secretValue({ repo: 'acme/shop' }, 'JIRA_PAT')).toBe(credential)
      expectNoLeaks(everything(), [{ secret: credential }])
    })

    it('serves every route under /api/v3 too, as GitHub Enterprise does for Probot with GHE_HOST', async () => {
      const enterprise = getOctokit(appToken, { baseUrl: `${sandbox.url}/api/v3` })
      const key = await enterprise.rest.actions.getRepoPublicKey(REPO)
      expect(key.data).toEqual((await app.rest.actions.getRepoPublicKey(REPO)).data)
      expect((await enterprise.rest.actions.listRepoVariables(REPO)).headers.link).toContain(`${sandbox.url}/api/v3/repos/acme/shop/actions/variables`)
    })
  })
})
