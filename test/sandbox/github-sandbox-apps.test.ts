import { createSign, generateKeyPairSync } from 'node:crypto'
import { getOctokit } from '@actions/github'
import { Probot, ProbotOctokit } from 'probot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startGitHubSandbox, type GitHubSandbox, type SandboxApp } from '../../sandbox/github/github-sandbox.ts'
import { expectNoLeaks } from '../support/leak-scan.ts'

type Octokit = ReturnType<typeof getOctokit>

const REPO = { owner: 'acme', repo: 'shop' }
const LOCK = 'refs/heads/jira-warden/lock/acme-shop-jira-pat'

/** A JWT signed by hand, to play clients that get the claims wrong. */
function signJwt(privateKey: string, claims: Record<string, unknown>): string {
  const encode = (part: unknown): string => Buffer.from(JSON.stringify(part)).toString('base64url')
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(privateKey, 'base64url')}`
}

describe('GitHub sandbox: git refs, apps and installations', () => {
  let sandbox: GitHubSandbox
  let writer: Octokit
  let app: SandboxApp
  let installationId: number
  const client = (token: string): Octokit => getOctokit(token, { baseUrl: sandbox.url, request: { retries: 0 } })
  const asApp = (privateKey = app.privateKey) =>
    new ProbotOctokit({ auth: { appId: app.id, privateKey }, baseUrl: sandbox.url, throttle: { enabled: false }, retry: { enabled: false } })
  const call = (path: string, init: RequestInit & { token?: string } = {}): Promise<Response> =>
    fetch(`${sandbox.url}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) } })

  beforeAll(async () => {
    sandbox = await startGitHubSandbox()
    sandbox.addRepository('acme/shop')
    sandbox.addRepository('acme/api', { private: true })
    sandbox.addRepository('acme/docs')
    sandbox.addRepository('other/elsewhere')
    writer = client(sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { contents: 'write' } }))
    app = sandbox.addApp({ id: 424242, slug: 'jira-warden', permissions: { issues: 'write', secrets: 'write', actions_variables: 'write', contents: 'write' }, events: ['issue_comment'] })
    installationId = sandbox.addInstallation({ appId: app.id, account: 'acme', repositories: ['acme/shop', 'acme/api'] })
  })

  afterAll(async () => {
    await sandbox.close()
  })

  describe('git refs', () => {
    it('starts every repository with its default branch at a sha, readable as a ref', async () => {
      const sha = sandbox.ref('acme/shop', 'heads/main')
      expect(sha).toMatch(/^[0-9a-f]{40}$/)
      const ref = await writer.rest.git.getRef({ ...REPO, ref: 'heads/main' })
      expect(ref.data).toMatchObject({ ref: 'refs/heads/main', object: { sha, type: 'commit' } })
    })

    it('gives a pull request head branch a ref at its last commit', async () => {
      sandbox.addPullRequest('acme/shop', { number: 3, head: 'feature/PROJ-3', commits: [{ message: 'PROJ-3 one' }, { message: 'PROJ-3 two' }] })
      const reader = client(sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { pull_requests: 'read', contents: 'read' } }))
      const commits = await reader.rest.pulls.listCommits({ ...REPO, pull_number: 3 })
      const head = await reader.rest.git.getRef({ ...REPO, ref: 'heads/feature/PROJ-3' })
      expect(head.data.object.sha).toBe(commits.data.at(-1)?.sha)
    })

    it('creates a ref once: a second create is 422 "Reference already exists" (the rotation lock)', async () => {
      const sha = sandbox.ref('acme/shop', 'heads/main') ?? ''
      const created = await writer.rest.git.createRef({ ...REPO, ref: LOCK, sha })
      expect(created.status).toBe(201)
      expect(created.headers.location).toBe(`${sandbox.url}/repos/acme/shop/git/${LOCK}`)
      await expect(writer.rest.git.createRef({ ...REPO, ref: LOCK, sha })).rejects.toMatchObject({
        status: 422,
        response: { data: { message: 'Reference already exists' } },
      })
      expect(sandbox.ref('acme/shop', LOCK)).toBe(sha)
    })

    it('lets exactly one of five concurrent creates win', async () => {
      const sha = 'a'.repeat(40)
      const ref = 'refs/heads/jira-warden/lock/concurrent'
      const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => writer.rest.git.createRef({ ...REPO, ref, sha })))
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1)
      expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome as PromiseRejectedResult).reason.status)).toEqual([422, 422, 422, 422])
    })

    it('reads refs with encoded or literal slashes, moves and deletes them', async () => {
      const token = sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { contents: 'write' } })
      const literal = await call(`/repos/acme/shop/git/ref/heads/jira-warden/lock/acme-shop-jira-pat`, { token })
      expect(literal.status).toBe(200)
      expect(await literal.json()).toMatchObject({ ref: LOCK })
      const locks = await writer.rest.git.listMatchingRefs({ ...REPO, ref: 'heads/jira-warden/lock/' })
      expect(locks.data.map((ref) => ref.ref)).toEqual(['refs/heads/jira-warden/lock/acme-shop-jira-pat', 'refs/heads/jira-warden/lock/concurrent'])
      const moved = await writer.rest.git.updateRef({ ...REPO, ref: 'heads/jira-warden/lock/acme-shop-jira-pat', sha: 'b'.repeat(40), force: true })
      expect(moved.data.object.sha).toBe('b'.repeat(40))
      expect(sandbox.ref('acme/shop', LOCK)).toBe('b'.repeat(40))
      expect((await writer.rest.git.deleteRef({ ...REPO, ref: 'heads/jira-warden/lock/acme-shop-jira-pat' })).status).toBe(204)
      expect(sandbox.ref('acme/shop', LOCK)).toBeUndefined()
      await expect(writer.rest.git.getRef({ ...REPO, ref: 'heads/jira-warden/lock/acme-shop-jira-pat' })).rejects.toMatchObject({ status: 404 })
      await expect(writer.rest.git.deleteRef({ ...REPO, ref: 'heads/jira-warden/lock/acme-shop-jira-pat' })).rejects.toMatchObject({
        status: 422,
        response: { data: { message: 'Reference does not exist' } },
      })
      await expect(writer.rest.git.updateRef({ ...REPO, ref: 'heads/nowhere', sha: 'c'.repeat(40) })).rejects.toMatchObject({ status: 422 })
      await expect(writer.rest.git.deleteRef({ ...REPO, ref: 'heads/main' })).rejects.toMatchObject({ status: 422 })
    })

    it('refuses bad names, shas that are not commits, and tokens without contents: write', async () => {
      await expect(writer.rest.git.createRef({ ...REPO, ref: 'heads/x', sha: 'a'.repeat(40) })).rejects.toMatchObject({ status: 422 })
      await expect(writer.rest.git.createRef({ ...REPO, ref: 'refs/heads/x', sha: 'main' })).rejects.toMatchObject({
        status: 422,
        response: { data: { message: 'Object does not exist' } },
      })
      const reader = client(sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { contents: 'read' } }))
      await expect(reader.rest.git.createRef({ ...REPO, ref: 'refs/heads/x', sha: 'a'.repeat(40) })).rejects.toMatchObject({ status: 403 })
      expect(sandbox.ref('acme/shop', 'heads/x')).toBeUndefined()
    })
  })

  describe('apps and installations', () => {
    it('answers GET /app to a JWT signed with the app key (as @octokit/auth-app signs it)', async () => {
      expect(app.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/)
      const authenticated = await asApp().rest.apps.getAuthenticated()
      expect(authenticated.data).toMatchObject({ id: 424242, slug: 'jira-warden', installations_count: 1, events: ['issue_comment'] })
    })

    it('refuses JWTs signed by another key, expired, or lasting over ten minutes, and non-JWT callers', async () => {
      const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
      await expect(asApp(stranger).rest.apps.getAuthenticated()).rejects.toMatchObject({ status: 401, response: { data: { message: 'A JSON web token could not be decoded' } } })
      const now = Math.floor(Date.now() / 1000)
      const expired = signJwt(app.privateKey, { iat: now - 700, exp: now - 100, iss: app.id })
      expect((await call('/app', { token: expired })).status).toBe(401)
      const tooLong = signJwt(app.privateKey, { iat: now, exp: now + 3600, iss: app.id })
      const refused = await call('/app', { token: tooLong })
      expect(refused.status).toBe(401)
      expect(await refused.json()).toMatchObject({ message: "'Expiration time' claim ('exp') is too far in the future." })
      const valid = signJwt(app.privateKey, { iat: now - 30, exp: now + 540, iss: String(app.id) })
      expect((await call('/app', { token: valid })).status).toBe(200)
      const installationToken = sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { issues: 'read' } })
      expect((await call('/app', { token: installationToken })).status).toBe(401)
      expect((await call('/app')).status).toBe(401)
    })

    it('finds the installation of a repository, private ones included, and 404s where the app is not installed', async () => {
      const octokit = asApp()
      const found = await octokit.rest.apps.getRepoInstallation(REPO)
      expect(found.data).toMatchObject({ id: installationId, app_id: app.id, app_slug: 'jira-warden', account: { login: 'acme' }, repository_selection: 'selected' })
      expect((await octokit.rest.apps.getRepoInstallation({ owner: 'acme', repo: 'api' })).data.id).toBe(installationId)
      await expect(octokit.rest.apps.getRepoInstallation({ owner: 'acme', repo: 'docs' })).rejects.toMatchObject({ status: 404 })
      await expect(octokit.rest.apps.getRepoInstallation({ owner: 'other', repo: 'elsewhere' })).rejects.toMatchObject({ status: 404 })
    })

    it('issues installation tokens with the installation permissions, narrowed on request, expiring in an hour', async () => {
      const octokit = asApp()
      const issued = await octokit.rest.apps.createInstallationAccessToken({ installation_id: installationId })
      expect(issued.status).toBe(201)
      expect(issued.data.permissions).toEqual({ metadata: 'read', issues: 'write', secrets: 'write', actions_variables: 'write', contents: 'write' })
      expect(issued.data.repository_selection).toBe('selected')
      expect(Date.parse(issued.data.expires_at) - Date.now()).toBeGreaterThan(3590_000)
      const installation = client(issued.data.token)
      const reachable = await installation.rest.apps.listReposAccessibleToInstallation()
      expect(reachable.data.repositories.map((repository) => repository.full_name)).toEqual(['acme/shop', 'acme/api'])
      const comment = await installation.rest.issues.create({ ...REPO, title: 'from the app' })
      expect(comment.data.user?.login).toBe('jira-warden[bot]')

      const narrow = await octokit.rest.apps.createInstallationAccessToken({ installation_id: installationId, repositories: ['shop'], permissions: { issues: 'read' } })
      expect(narrow.data.repositories?.map((repository) => repository.full_name)).toEqual(['acme/shop'])
      expect(narrow.data.permissions).toEqual({ issues: 'read' })
      const narrowed = client(narrow.data.token)
      await expect(narrowed.rest.issues.create({ ...REPO, title: 'denied' })).rejects.toMatchObject({ status: 403 })
      await expect(narrowed.rest.issues.listForRepo({ owner: 'acme', repo: 'api' })).rejects.toMatchObject({ status: 404 })

      await expect(octokit.rest.apps.createInstallationAccessToken({ installation_id: installationId, permissions: { administration: 'write' } })).rejects.toMatchObject({ status: 422 })
      await expect(octokit.rest.apps.createInstallationAccessToken({ installation_id: installationId, repositories: ['docs'] })).rejects.toMatchObject({ status: 422 })
      await expect(octokit.rest.apps.createInstallationAccessToken({ installation_id: 1 })).rejects.toMatchObject({ status: 404 })
      expectNoLeaks(sandbox.log.map((entry) => `${entry.method} ${entry.path} ${entry.query}`), [{ secret: issued.data.token }])
    })

    it('works with Probot: probot.auth(installationId) writes as <slug>[bot]', async () => {
      const probot = new Probot({ appId: app.id, privateKey: app.privateKey, baseUrl: sandbox.url, logLevel: 'fatal' })
      const octokit = await probot.auth(installationId)
      const created = await octokit.rest.issues.create({ ...REPO, title: 'via probot' })
      expect(created.data.user?.login).toBe('jira-warden[bot]')
      expect(sandbox.issues('acme/shop').some((issue) => issue.title === 'via probot' && issue.user === 'jira-warden[bot]')).toBe(true)
    })

    it('expires a token mid-run on demand: the next request is 401 Bad credentials', async () => {
      const issued = await asApp().rest.apps.createInstallationAccessToken({ installation_id: installationId })
      const installation = client(issued.data.token)
      expect((await installation.rest.repos.get(REPO)).status).toBe(200)
      sandbox.expireToken(issued.data.token)
      await expect(installation.rest.repos.get(REPO)).rejects.toMatchObject({ status: 401, response: { data: { message: 'Bad credentials' } } })
    })

    it('expires tokens by the sandbox clock after an hour, and checks JWTs against that clock', async () => {
      let now = new Date('2026-03-01T10:00:00Z')
      const timed = await startGitHubSandbox({ now: () => now })
      try {
        timed.addRepository('acme/shop')
        const timedApp = timed.addApp({ id: 7, slug: 'timed', permissions: { issues: 'read' } })
        const id = timed.addInstallation({ appId: 7, account: 'acme', repositories: 'all' })
        const seconds = Math.floor(now.getTime() / 1000)
        const jwt = signJwt(timedApp.privateKey, { iat: seconds - 30, exp: seconds + 540, iss: 7 })
        const issued = await fetch(`${timed.url}/app/installations/${id}/access_tokens`, { method: 'POST', headers: { authorization: `Bearer ${jwt}` } })
        expect(issued.status).toBe(201)
        const body = (await issued.json()) as { token: string; expires_at: string; repository_selection: string }
        expect(body).toMatchObject({ expires_at: '2026-03-01T11:00:00Z', repository_selection: 'all' })
        const octokit = getOctokit(body.token, { baseUrl: timed.url })
        expect((await octokit.rest.issues.listForRepo(REPO)).status).toBe(200)
        now = new Date('2026-03-01T11:00:01Z')
        await expect(octokit.rest.issues.listForRepo(REPO)).rejects.toMatchObject({ status: 401 })
        expect((await fetch(`${timed.url}/app`, { headers: { authorization: `Bearer ${jwt}` } })).status).toBe(401)
      } finally {
        await timed.close()
      }
    })
  })
})
