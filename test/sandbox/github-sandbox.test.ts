import { getOctokit } from '@actions/github'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startGitHubSandbox, type GitHubSandbox } from '../../sandbox/github/github-sandbox.ts'

type Octokit = ReturnType<typeof getOctokit>

const REPO = { owner: 'acme', repo: 'shop' }

describe('GitHub sandbox', () => {
  let sandbox: GitHubSandbox
  let writerToken: string
  let readerToken: string
  let writer: Octokit
  let reader: Octokit

  const client = (token: string): Octokit => getOctokit(token, { baseUrl: sandbox.url, request: { retries: 0 } })
  const call = (path: string, init: RequestInit & { token?: string } = {}): Promise<Response> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (init.token) headers.authorization = `token ${init.token}`
    return fetch(`${sandbox.url}${path}`, { ...init, headers })
  }

  beforeAll(async () => {
    sandbox = await startGitHubSandbox()
    sandbox.addRepository('acme/shop')
    sandbox.addRepository('acme/vault', { private: true })
    sandbox.addRepository('acme/docs')
    sandbox.addPullRequest('acme/shop', {
      number: 7,
      title: 'PROJ-7 a very long branch',
      head: 'feature/PROJ-7-long',
      commits: Array.from({ length: 260 }, (_, index) => ({ message: `PROJ-${index + 100} step ${index}`, ...(index % 2 ? { author: 'alice' } : {}) })),
    })
    sandbox.addPullRequest('acme/shop', { number: 9, title: 'PROJ-9 small', commits: [{ message: 'PROJ-9 one' }, { message: 'PROJ-9 two' }] })
    writerToken = sandbox.issueToken({ repositories: ['acme/shop'], permissions: { issues: 'write', pull_requests: 'read', contents: 'read' } })
    readerToken = sandbox.issueToken({ repositories: ['acme/shop'], permissions: { issues: 'read', pull_requests: 'read' } })
    writer = client(writerToken)
    reader = client(readerToken)
  })

  afterAll(async () => {
    await sandbox.close()
  })

  describe('pull request commits', () => {
    it('lists at most 250 commits, paginated with Link headers like GitHub', async () => {
      const commits = await writer.paginate(writer.rest.pulls.listCommits, { ...REPO, pull_number: 7, per_page: 100 })
      expect(commits).toHaveLength(250)
      expect(commits[0]?.commit.message).toBe('PROJ-100 step 0')
      expect(commits.at(-1)?.commit.message).toBe('PROJ-349 step 249')
      expect(commits[1]?.author).toMatchObject({ login: 'alice', type: 'User' })
      expect(commits[0]?.author).toEqual({})
      expect(commits[1]?.parents[0]?.sha).toBe(commits[0]?.sha)
      expect(commits[0]?.sha).toMatch(/^[0-9a-f]{40}$/)

      const base = `${sandbox.url}/repos/acme/shop/pulls/7/commits`
      const first = await call('/repos/acme/shop/pulls/7/commits?per_page=100', { token: writerToken })
      expect(first.headers.get('link')).toBe(`<${base}?per_page=100&page=2>; rel="next", <${base}?per_page=100&page=3>; rel="last"`)
      const last = await call('/repos/acme/shop/pulls/7/commits?per_page=100&page=3', { token: writerToken })
      expect(await last.json()).toHaveLength(50)
      expect(last.headers.get('link')).toBe(`<${base}?per_page=100&page=2>; rel="prev", <${base}?per_page=100&page=1>; rel="first"`)
      const beyond = await call('/repos/acme/shop/pulls/7/commits?per_page=100&page=4', { token: writerToken })
      expect(await beyond.json()).toEqual([])
    })

    it('pages 30 by default and caps per_page at 100', async () => {
      const byDefault = await writer.rest.pulls.listCommits({ ...REPO, pull_number: 7 })
      expect(byDefault.data).toHaveLength(30)
      expect(byDefault.headers.link).toContain('page=9>; rel="last"')
      const capped = await writer.rest.pulls.listCommits({ ...REPO, pull_number: 7, per_page: 500 })
      expect(capped.data).toHaveLength(100)
      const small = await writer.rest.pulls.listCommits({ ...REPO, pull_number: 9 })
      expect(small.data.map((commit) => commit.commit.message)).toEqual(['PROJ-9 one', 'PROJ-9 two'])
      expect(small.headers.link).toBeUndefined()
    })

    it('compares past the cap: the most recent 250 unpaged, every commit when paged', async () => {
      const unpaged = await writer.rest.repos.compareCommitsWithBasehead({ ...REPO, basehead: 'main...feature/PROJ-7-long' })
      expect(unpaged.data.total_commits).toBe(260)
      expect(unpaged.data.status).toBe('ahead')
      expect(unpaged.data.commits).toHaveLength(250)
      expect(unpaged.data.commits.at(-1)?.commit.message).toBe('PROJ-359 step 259')
      const all: Array<{ sha: string }> = []
      for (let page = 1; page <= 3; page += 1) {
        const paged = await writer.rest.repos.compareCommitsWithBasehead({ ...REPO, basehead: 'main...feature/PROJ-7-long', per_page: 100, page })
        expect(paged.data.total_commits).toBe(260)
        all.push(...paged.data.commits)
      }
      expect(all).toHaveLength(260)
      expect(new Set(all.map((commit) => commit.sha)).size).toBe(260)
      const sha = all[9]?.sha ?? ''
      const partial = await writer.rest.repos.compareCommitsWithBasehead({ ...REPO, basehead: `${sha.slice(0, 7)}...feature/PROJ-7-long` })
      expect(partial.data.total_commits).toBe(250)
      await expect(writer.rest.repos.compareCommitsWithBasehead({ ...REPO, basehead: 'main...nowhere' })).rejects.toMatchObject({ status: 404 })
    })

    it('answers 404 for a pull request that does not exist', async () => {
      await expect(writer.rest.pulls.listCommits({ ...REPO, pull_number: 404 })).rejects.toMatchObject({ status: 404 })
    })
  })

  describe('authentication and permissions', () => {
    it('refuses unknown tokens with 401 Bad credentials', async () => {
      await expect(client('ghs_not-a-token').rest.issues.listForRepo(REPO)).rejects.toMatchObject({ status: 401 })
      const response = await call('/repos/acme/shop', { token: 'ghs_not-a-token' })
      expect(response.status).toBe(401)
      expect(await response.json()).toEqual({ message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' })
    })

    it('answers 403 "Resource not accessible by integration" to a read-only token writing a comment', async () => {
      const error = await reader.rest.issues.createComment({ ...REPO, issue_number: 9, body: 'hello' }).catch((caught: unknown) => caught)
      expect(error).toMatchObject({ status: 403, response: { data: { message: 'Resource not accessible by integration' } } })
      expect((error as { response: { headers: Record<string, string> } }).response.headers['x-accepted-github-permissions']).toBe(
        'issues=write; pull_requests=write',
      )
      expect(sandbox.issues('acme/shop').find((issue) => issue.number === 9)?.comments).toEqual([])
    })

    it('lets pull_requests: write comment on pull requests but not on issues', async () => {
      const issue = await writer.rest.issues.create({ ...REPO, title: 'plain issue' })
      const pullsOnly = client(sandbox.issueToken({ repositories: ['acme/shop'], permissions: { pull_requests: 'write' } }))
      const onPull = await pullsOnly.rest.issues.createComment({ ...REPO, issue_number: 9, body: 'on the PR' })
      expect(onPull.status).toBe(201)
      await expect(pullsOnly.rest.issues.createComment({ ...REPO, issue_number: issue.data.number, body: 'x' })).rejects.toMatchObject({ status: 403 })
    })

    it('hides private repositories the token does not cover (404) and refuses writes to public ones (403)', async () => {
      await expect(writer.rest.repos.get({ owner: 'acme', repo: 'vault' })).rejects.toMatchObject({ status: 404, response: { data: { message: 'Not Found' } } })
      await expect(writer.rest.issues.create({ owner: 'acme', repo: 'vault', title: 'x' })).rejects.toMatchObject({ status: 404 })
      await expect(writer.rest.repos.get({ owner: 'acme', repo: 'nowhere' })).rejects.toMatchObject({ status: 404 })
      const publicRead = await writer.rest.issues.listForRepo({ owner: 'acme', repo: 'docs' })
      expect(publicRead.status).toBe(200)
      await expect(writer.rest.issues.create({ owner: 'acme', repo: 'docs', title: 'x' })).rejects.toMatchObject({ status: 403 })
    })

    it('lets anonymous callers read public repositories only', async () => {
      expect((await call('/repos/acme/shop')).status).toBe(200)
      expect((await call('/repos/acme/vault')).status).toBe(404)
      const write = await call('/repos/acme/shop/issues', { method: 'POST', body: JSON.stringify({ title: 'x' }) })
      expect(write.status).toBe(401)
      expect(await write.json()).toMatchObject({ message: 'Requires authentication' })
    })

    it('expires installation tokens after an hour', async () => {
      let now = new Date('2026-03-01T10:00:00Z')
      const timed = await startGitHubSandbox({ now: () => now })
      try {
        timed.addRepository('acme/shop')
        const token = timed.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { issues: 'read' } })
        const octokit = getOctokit(token, { baseUrl: timed.url })
        expect((await octokit.rest.issues.listForRepo(REPO)).status).toBe(200)
        now = new Date('2026-03-01T11:00:01Z')
        await expect(octokit.rest.issues.listForRepo(REPO)).rejects.toMatchObject({ status: 401 })
      } finally {
        await timed.close()
      }
    })
  })

  describe('issues, comments, labels and locks', () => {
    it('creates an issue, creating its unknown label, and finds it by label', async () => {
      const created = await writer.rest.issues.create({ ...REPO, title: 'jira-warden audit trail · 2026-03', body: 'entries', labels: ['jira-warden:audit'] })
      expect(created.status).toBe(201)
      expect(created.headers.location).toBe(`${sandbox.url}/repos/acme/shop/issues/${created.data.number}`)
      expect(created.data).toMatchObject({ state: 'open', locked: false, comments: 0, user: { login: 'github-actions[bot]', type: 'Bot' } })
      expect(created.data.labels).toMatchObject([{ name: 'jira-warden:audit', color: 'ededed', default: false }])
      expect(created.data.number).toBeGreaterThan(9)

      const label = await writer.rest.issues.getLabel({ ...REPO, name: 'jira-warden:audit' })
      expect(label.data.name).toBe('jira-warden:audit')

      const found = await writer.rest.issues.listForRepo({ ...REPO, labels: 'JIRA-WARDEN:AUDIT', state: 'open', sort: 'created', direction: 'desc', per_page: 10 })
      expect(found.data.map((issue) => issue.number)).toEqual([created.data.number])
    })

    it('filters by state and sorts, listing pull requests as issues', async () => {
      const older = await writer.rest.issues.create({ ...REPO, title: 'older' })
      const newer = await writer.rest.issues.create({ ...REPO, title: 'newer' })
      await writer.rest.issues.update({ ...REPO, issue_number: older.data.number, state: 'closed', state_reason: 'not_planned' })
      const open = await writer.paginate(writer.rest.issues.listForRepo, { ...REPO, per_page: 2 })
      expect(open.map((issue) => issue.number)).not.toContain(older.data.number)
      expect(open[0]?.number).toBe(newer.data.number)
      expect(open.some((issue) => issue.pull_request !== undefined && issue.number === 7)).toBe(true)
      const closed = await writer.rest.issues.listForRepo({ ...REPO, state: 'closed' })
      expect(closed.data.map((issue) => [issue.number, issue.state_reason])).toEqual([[older.data.number, 'not_planned']])
      const ascending = await writer.rest.issues.listForRepo({ ...REPO, state: 'all', direction: 'asc', per_page: 100 })
      expect(ascending.data.map((issue) => issue.number)).toEqual([...ascending.data.map((issue) => issue.number)].sort((a, b) => a - b))
    })

    it('updates, comments, edits, locks and unlocks, visible through the API and the sandbox', async () => {
      const issue = await writer.rest.issues.create({ ...REPO, title: 'round trip' })
      const number = issue.data.number
      const comment = await writer.rest.issues.createComment({ ...REPO, issue_number: number, body: 'first entry' })
      expect(comment.data).toMatchObject({ body: 'first entry', user: { login: 'github-actions[bot]' }, author_association: 'NONE' })
      expect(comment.data.html_url).toBe(`https://github.com/acme/shop/issues/${number}#issuecomment-${comment.data.id}`)
      const edited = await writer.rest.issues.updateComment({ ...REPO, comment_id: comment.data.id, body: 'first entry, edited' })
      expect(edited.data.body).toBe('first entry, edited')
      expect((await reader.rest.issues.getComment({ ...REPO, comment_id: comment.data.id })).data.body).toBe('first entry, edited')

      await writer.rest.issues.lock({ ...REPO, issue_number: number, lock_reason: 'resolved' })
      const locked = await reader.rest.issues.get({ ...REPO, issue_number: number })
      expect(locked.data).toMatchObject({ locked: true, active_lock_reason: 'resolved', comments: 1 })
      expect(sandbox.issues('acme/shop').find((entry) => entry.number === number)).toMatchObject({ locked: true, lockReason: 'resolved' })
      await writer.rest.issues.createComment({ ...REPO, issue_number: number, body: 'apps may still write' })
      await writer.rest.issues.unlock({ ...REPO, issue_number: number })

      await writer.rest.issues.update({ ...REPO, issue_number: number, state: 'closed', labels: ['bug'] })
      const snapshot = sandbox.issues('acme/shop').find((entry) => entry.number === number)
      expect(snapshot).toMatchObject({ state: 'closed', stateReason: 'completed', labels: ['bug'], locked: false })
      expect(snapshot?.lockReason).toBeUndefined()
      expect(snapshot?.comments.map((entry) => [entry.body, entry.user])).toEqual([
        ['first entry, edited', 'github-actions[bot]'],
        ['apps may still write', 'github-actions[bot]'],
      ])
      const listed = await reader.paginate(reader.rest.issues.listComments, { ...REPO, issue_number: number, per_page: 1 })
      expect(listed.map((entry) => entry.body)).toEqual(['first entry, edited', 'apps may still write'])
    })

    it('names installation bots <app-slug>[bot] and users by login', async () => {
      const app = client(sandbox.issueToken({ kind: 'installation', appSlug: 'jira-warden-app', repositories: ['acme/shop'], permissions: { issues: 'write' } }))
      const byApp = await app.rest.issues.createComment({ ...REPO, issue_number: 9, body: 'from the app' })
      expect(byApp.data.user).toMatchObject({ login: 'jira-warden-app[bot]', type: 'Bot' })
      const user = client(sandbox.issueToken({ kind: 'user', login: 'alice', repositories: ['acme/shop'], permissions: { issues: 'write', contents: 'write' } }))
      const byUser = await user.rest.issues.createComment({ ...REPO, issue_number: 9, body: 'from alice' })
      expect(byUser.data).toMatchObject({ user: { login: 'alice', type: 'User' }, author_association: 'COLLABORATOR' })
      const readOnlyUser = client(sandbox.issueToken({ kind: 'user', login: 'bob', repositories: ['acme/shop'], permissions: { issues: 'read' } }))
      await expect(readOnlyUser.rest.issues.createComment({ ...REPO, issue_number: 9, body: 'x' })).rejects.toMatchObject({
        status: 403,
        response: { data: { message: 'Resource not accessible by personal access token' } },
      })
    })

    it('creates labels, refuses duplicates and bad colours, adds labels to issues', async () => {
      const created = await writer.rest.issues.createLabel({ ...REPO, name: 'jira-warden:rotation', color: 'B60205', description: 'Rotation requests' })
      expect(created.status).toBe(201)
      expect(created.data).toMatchObject({ name: 'jira-warden:rotation', color: 'b60205', description: 'Rotation requests', default: false })
      await expect(writer.rest.issues.createLabel({ ...REPO, name: 'JIRA-WARDEN:ROTATION' })).rejects.toMatchObject({
        status: 422,
        response: { data: { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] } },
      })
      await expect(writer.rest.issues.createLabel({ ...REPO, name: 'red', color: '#ff0000' })).rejects.toMatchObject({ status: 422 })
      await expect(writer.rest.issues.getLabel({ ...REPO, name: 'missing' })).rejects.toMatchObject({ status: 404 })
      const all = await writer.paginate(writer.rest.issues.listLabelsForRepo, { ...REPO, per_page: 5 })
      expect(all.map((label) => label.name)).toEqual(expect.arrayContaining(['bug', 'wontfix', 'jira-warden:rotation']))

      const issue = await writer.rest.issues.create({ ...REPO, title: 'to label', labels: ['bug'] })
      const added = await writer.rest.issues.addLabels({ ...REPO, issue_number: issue.data.number, labels: ['jira-warden:rotation', 'brand new'] })
      expect(added.data.map((label) => label.name)).toEqual(['bug', 'jira-warden:rotation', 'brand new'])
    })

    it('validates bodies like GitHub', async () => {
      const noTitle = await call('/repos/acme/shop/issues', { method: 'POST', token: writerToken, body: JSON.stringify({ body: 'x' }) })
      expect(noTitle.status).toBe(422)
      expect(await noTitle.json()).toMatchObject({ message: 'Validation Failed', errors: [{ resource: 'Issue', code: 'missing_field', field: 'title' }] })
      const badJson = await call('/repos/acme/shop/issues', { method: 'POST', token: writerToken, body: '{"title":' })
      expect(badJson.status).toBe(400)
      expect(await badJson.json()).toMatchObject({ message: 'Problems parsing JSON' })
      await expect(writer.rest.issues.createComment({ ...REPO, issue_number: 9, body: '   ' })).rejects.toMatchObject({ status: 422 })
      await expect(writer.rest.issues.createComment({ ...REPO, issue_number: 9, body: 'x'.repeat(65537) })).rejects.toMatchObject({ status: 422 })
      await expect(writer.rest.issues.createComment({ ...REPO, issue_number: 9999, body: 'x' })).rejects.toMatchObject({ status: 404 })
      const badReason = await call('/repos/acme/shop/issues/9/lock', { method: 'PUT', token: writerToken, body: JSON.stringify({ lock_reason: 'boring' }) })
      expect(badReason.status).toBe(422)
      const badState = await call('/repos/acme/shop/issues/9', { method: 'PATCH', token: writerToken, body: JSON.stringify({ state: 'done' }) })
      expect(badState.status).toBe(422)
      expect((await reader.rest.issues.get({ ...REPO, issue_number: 9 })).data).toMatchObject({ state: 'open', locked: false })
    })
  })

  describe('rate limits, faults and latency', () => {
    it('sends rate-limit headers on every answer and serves GET /rate_limit without spending', async () => {
      const token = sandbox.issueToken({ repositories: ['acme/shop'], permissions: { issues: 'read' } })
      for (const [path, status] of [
        ['/repos/acme/shop/issues', 200],
        ['/repos/acme/vault', 404],
        ['/repos/acme/shop/pulls/7/commits', 403],
      ] as const) {
        const response = await call(path, { token })
        expect(response.status).toBe(status)
        expect(response.headers.get('x-ratelimit-limit')).toBe('1000')
        expect(response.headers.get('x-ratelimit-resource')).toBe('core')
        expect(Number(response.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000)
      }
      const refused = await call('/repos/acme/shop', { token: 'nope' })
      expect(refused.headers.get('x-ratelimit-limit')).toBe('60')
      const limits = await client(token).rest.rateLimit.get()
      expect(limits.data.resources.core).toMatchObject({ limit: 1000, used: 3, remaining: 997 })
      expect(limits.headers['x-ratelimit-used']).toBe('3')
    })

    it('refuses requests once the limit is spent', async () => {
      const token = sandbox.issueToken({ repositories: ['acme/shop'], permissions: { issues: 'read' } })
      sandbox.setRateLimit({ token, remaining: 1 })
      expect((await call('/repos/acme/shop/issues', { token })).headers.get('x-ratelimit-remaining')).toBe('0')
      const refused = await call('/repos/acme/shop/issues', { token })
      expect(refused.status).toBe(403)
      expect(((await refused.json()) as { message: string }).message).toMatch(/^API rate limit exceeded for installation ID \d+\.$/)
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0')
    })

    it('answers injected faults instead of the route, then recovers', async () => {
      sandbox.inject({ path: '/repos/acme/shop/issues', method: 'POST', kind: 'status', status: 502, body: { message: 'Server Error' } })
      await expect(writer.rest.issues.create({ ...REPO, title: 'during an outage' })).rejects.toMatchObject({ status: 502 })
      expect(sandbox.log.at(-1)).toMatchObject({ method: 'POST', status: 502, fault: 'status' })
      const after = await writer.rest.issues.create({ ...REPO, title: 'after the outage' })
      expect(after.status).toBe(201)
      expect(sandbox.issues('acme/shop').some((issue) => issue.title === 'during an outage')).toBe(false)

      sandbox.inject({ path: /\/comments$/, kind: 'drop' })
      await expect(call('/repos/acme/shop/issues/9/comments', { token: writerToken })).rejects.toThrow()
      sandbox.clearFaults()
    })

    it('delays answers by the configured latency', async () => {
      sandbox.setLatency(60)
      const started = performance.now()
      await reader.rest.issues.get({ ...REPO, issue_number: 9 })
      expect(performance.now() - started).toBeGreaterThanOrEqual(55)
      sandbox.setLatency(0)
    })

    it('logs who asked and which route answered', () => {
      const entry = sandbox.log.find((logged) => logged.method === 'POST' && logged.status === 201)
      expect(entry?.principal).toBe('github-actions[bot]')
      expect(entry?.route).toBe('/repos/{owner}/{repo}/issues')
    })
  })
})
