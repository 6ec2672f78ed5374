// The Jira sandbox through real HTTP: workflow, permissions, credentials, JQL, search lag, rate limits, faults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Router, startSandboxServer, type SandboxServer } from '../../sandbox/http/sandbox-server.ts'
import { startJiraSandbox, type JiraSandbox, type JiraUser } from '../../sandbox/jira/jira-sandbox.ts'

interface Answer {
  status: number
  headers: Headers
  body: any
}

async function call(base: string, method: string, path: string, authorization?: string, body?: unknown): Promise<Answer> {
  const response = await fetch(base + path, {
    method,
    headers: {
      ...(authorization ? { authorization } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  })
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    // Not JSON: kept as text for the assertion.
  }
  return { status: response.status, headers: response.headers, body: parsed }
}

const basic = (user: JiraUser, token: string) => `Basic ${Buffer.from(`${user.email}:${token}`).toString('base64')}`
const bearer = (token: string) => `Bearer ${token}`
const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] })

describe('Jira Cloud sandbox', () => {
  let jira: JiraSandbox
  let demo: JiraUser
  let viewer: JiraUser
  let asDemo: string
  let asViewer: string
  const get = (path: string, auth = asDemo) => call(jira.url, 'GET', path, auth)
  const post = (path: string, body: unknown, auth = asDemo) => call(jira.url, 'POST', path, auth, body)
  const transition = (key: string, body: unknown, auth = asDemo) => post(`/rest/api/3/issue/${key}/transitions`, body, auth)

  beforeAll(async () => {
    jira = await startJiraSandbox()
    demo = jira.user('demo')
    viewer = jira.user('viewer')
    asDemo = basic(demo, jira.issueApiToken(demo))
    asViewer = basic(viewer, jira.issueApiToken(viewer))
  })
  afterAll(() => jira.close())

  describe('workflow', () => {
    it('offers transitions only from their source status, plus the global one', async () => {
      const listed = await get('/rest/api/3/issue/PROJ-1/transitions')
      expect(listed.status).toBe(200)
      expect(listed.body.transitions.map((t: any) => [t.id, t.name, t.to.name])).toEqual([
        ['11', 'Start progress', 'In Progress'],
        ['51', 'Back to To Do', 'To Do'],
      ])
      const refused = await transition('PROJ-1', { transition: { id: '21' } })
      expect(refused.status).toBe(400)
      expect(refused.body).toEqual({ errorMessages: ["Transition id '21' is not valid for this issue."], errors: {} })
      expect(jira.issue('PROJ-1').status).toBe('To Do')

      expect((await transition('PROJ-1', { transition: { id: '11' } })).status).toBe(204)
      expect(jira.issue('PROJ-1').status).toBe('In Progress')
      expect((await transition('PROJ-1', { transition: { id: '51' } })).status).toBe(204)
      expect(jira.issue('PROJ-1').status).toBe('To Do')
    })

    it('names transitions per workflow: OPS reaches the same statuses under other names and ids', async () => {
      const listed = await get('/rest/api/3/issue/OPS-1/transitions')
      expect(listed.body.transitions.map((t: any) => [t.id, t.name, t.to.name])).toEqual([
        ['101', 'Begin work', 'In Progress'],
        ['141', 'Reopen', 'To Do'],
      ])
    })

    it('requires the resolution on the Done screen, checks fix versions, and folds the comment in', async () => {
      await transition('PROJ-2', { transition: { id: '11' } })
      await transition('PROJ-2', { transition: { id: '21' } })
      const screens = await get('/rest/api/3/issue/PROJ-2/transitions?expand=transitions.fields')
      const done = screens.body.transitions.find((t: any) => t.id === '31')
      expect(done.fields.resolution.required).toBe(true)
      expect(done.fields.fixVersions.required).toBe(false)
      expect((await get('/rest/api/3/issue/PROJ-2/transitions')).body.transitions[0].fields).toBeUndefined()

      const missing = await transition('PROJ-2', { transition: { id: '31' } })
      expect(missing.status).toBe(400)
      expect(missing.body).toEqual({ errorMessages: [], errors: { resolution: 'Resolution is required.' } })
      const badVersion = await transition('PROJ-2', { transition: { id: '31' }, fields: { resolution: { name: 'Done' }, fixVersions: [{ name: 'v9.9' }] } })
      expect(badVersion.status).toBe(400)
      expect(Object.keys(badVersion.body.errors)).toEqual(['fixVersions'])
      expect(jira.issue('PROJ-2').status).toBe('In Review')

      const moved = await transition('PROJ-2', {
        transition: { id: '31' },
        fields: { resolution: { name: 'Done' }, fixVersions: [{ name: 'v1.0' }] },
        update: { comment: [{ add: { body: adf('Merged in #42') } }] },
      })
      expect(moved.status).toBe(204)
      expect(jira.issue('PROJ-2')).toMatchObject({
        status: 'Done',
        resolution: 'Done',
        fixVersions: ['v1.0'],
        comments: [{ author: 'demo', text: 'Merged in #42' }],
      })
    })

    it('refuses a field that is not on the transition screen', async () => {
      const refused = await transition('PROJ-3', { transition: { id: '11' }, fields: { resolution: { name: 'Done' } } })
      expect(refused.status).toBe(400)
      expect(refused.body.errors.resolution).toBe("Field 'resolution' cannot be set. It is not on the appropriate screen, or unknown.")
      expect(jira.issue('PROJ-3').status).toBe('To Do')
    })

    it('writes comments as ADF in v3 and as wiki markup strings in v2', async () => {
      expect((await post('/rest/api/3/issue/PROJ-4/comment', { body: 'plain text' })).status).toBe(400)
      const added = await post('/rest/api/2/issue/PROJ-4/comment', { body: 'from v2' })
      expect(added.status).toBe(201)
      expect(added.body.body).toBe('from v2')
      const inV3 = await get('/rest/api/3/issue/PROJ-4/comment')
      expect(inV3.body.comments[0].body).toEqual(adf('from v2'))
    })
  })

  describe('permissions', () => {
    it('answers hidden issues exactly like missing ones', async () => {
      const hidden = await get('/rest/api/3/issue/PROJ-61')
      const missing = await get('/rest/api/3/issue/PROJ-9999')
      expect(hidden.status).toBe(404)
      expect(hidden.body).toEqual({ errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} })
      expect(missing.body).toEqual(hidden.body)
    })

    it('lets a browse-only user read but not transition or comment', async () => {
      expect((await get('/rest/api/3/issue/PROJ-5', asViewer)).status).toBe(200)
      expect((await get('/rest/api/3/issue/PROJ-5/transitions', asViewer)).body.transitions).toEqual([])
      const moved = await transition('PROJ-5', { transition: { id: '11' } }, asViewer)
      expect(moved.status).toBe(400)
      expect(moved.body.errorMessages).toEqual(["Transition id '11' is not valid for this issue."])
      const commented = await post('/rest/api/3/issue/PROJ-5/comment', { body: adf('hi') }, asViewer)
      expect(commented.status).toBe(400)
      expect(commented.body.errorMessages).toEqual(['Read Only Viewer, you do not have the permission to comment on this issue.'])
      expect(jira.issue('PROJ-5')).toMatchObject({ status: 'To Do', comments: [] })
      const permissions = await get('/rest/api/3/mypermissions?projectKey=PROJ&permissions=BROWSE_PROJECTS,TRANSITION_ISSUES', asViewer)
      expect(permissions.body.permissions.BROWSE_PROJECTS.havePermission).toBe(true)
      expect(permissions.body.permissions.TRANSITION_ISSUES.havePermission).toBe(false)
    })
  })

  describe('credentials', () => {
    it('refuses expired and revoked API tokens with 401, and records who called', async () => {
      const expired = basic(demo, jira.issueApiToken(demo, { expiresAt: new Date(Date.now() - 1000) }))
      expect((await get('/rest/api/3/myself', expired)).status).toBe(401)
      const token = jira.issueApiToken(demo)
      expect((await get('/rest/api/3/myself', basic(demo, token))).body.emailAddress).toBe('demo@example.com')
      jira.revoke(token)
      expect((await get('/rest/api/3/myself', basic(demo, token))).status).toBe(401)
      expect(jira.log.at(-1)?.principal).toBe('refused (revoked API token)')
      expect((await get('/rest/api/3/myself', basic(viewer, jira.issueApiToken(demo)))).status).toBe(401)
    })

    it('accepts scoped tokens only at the gateway', async () => {
      const scoped = basic(demo, jira.issueApiToken(demo, { scoped: true }))
      expect((await call(jira.url, 'GET', '/rest/api/3/myself', scoped)).status).toBe(401)
      expect((await call(jira.gatewayUrl, 'GET', '/rest/api/3/myself', scoped)).status).toBe(200)
      expect((await call(jira.gatewayUrl, 'GET', '/rest/api/3/myself', asDemo)).status).toBe(401)
      expect((await call(jira.gatewayUrl, 'GET', '/rest/api/3/issue/PROJ-6', scoped)).body.self).toContain('/ex/jira/')
    })

    it('exchanges OAuth client credentials for a gateway-only access token', async () => {
      const client = jira.issueOAuthClient(demo)
      const tenant = await call(jira.url, 'GET', '/_edge/tenant_info')
      expect(tenant.body).toEqual({ cloudId: jira.cloudId })
      const form = await fetch(`${jira.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }),
      })
      const granted = (await form.json()) as { access_token: string; token_type: string; expires_in: number }
      expect(granted).toMatchObject({ token_type: 'Bearer', expires_in: 3600 })
      const resources = await call(jira.url, 'GET', '/oauth/token/accessible-resources', bearer(granted.access_token))
      expect(resources.body.map((site: any) => site.id)).toEqual([jira.cloudId])
      expect((await call(jira.gatewayUrl, 'GET', '/rest/api/3/myself', bearer(granted.access_token))).status).toBe(200)
      expect((await call(jira.url, 'GET', '/rest/api/3/myself', bearer(granted.access_token))).status).toBe(401)
      const wrong = await post('/oauth/token', { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'nope' })
      expect(wrong.status).toBe(401)
      jira.revoke(client.clientSecret)
      const revoked = await post('/oauth/token', { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret })
      expect(revoked.status).toBe(401)
    })
  })

  describe('JQL search', () => {
    const search = (jql: string, extra: Record<string, unknown> = {}) =>
      post('/rest/api/3/search/jql', { jql, fields: ['status', 'project'], expand: 'transitions', ...extra })

    it('reads fifty issues and their transitions in one request', async () => {
      const keys = Array.from({ length: 50 }, (_, index) => `OPS-${index + 10}`)
      const found = await search(`key in (${keys.join(', ')})`, { maxResults: 100 })
      expect(found.status).toBe(200)
      expect(found.body.isLast).toBe(true)
      expect(found.body.issues.map((issue: any) => issue.key).sort()).toEqual([...keys].sort())
      expect(found.body.issues[0].transitions.map((t: any) => t.id)).toEqual(['101', '141'])
      expect(found.body.issues[0].fields.status.name).toBe('To Do')
    })

    it('parses quoted keys, issuekey and case-insensitive keywords, and filters by project', async () => {
      const found = await search(`issuekey IN ("PROJ-7", 'ops-7', PROJ-8) and PROJECT in (OPS)`)
      expect(found.body.issues.map((issue: any) => issue.key)).toEqual(['OPS-7'])
    })

    it('leaves keys that do not exist or are hidden out of the answer (Cloud enhanced search)', async () => {
      const found = await search('key in (PROJ-9, PROJ-9999, PROJ-61)')
      expect(found.status).toBe(200)
      expect(found.body.issues.map((issue: any) => issue.key)).toEqual(['PROJ-9'])
    })

    it('refuses JQL it does not understand with 400', async () => {
      const syntax = await search('key in (PROJ-1')
      expect(syntax.status).toBe(400)
      expect(syntax.body.errorMessages[0]).toMatch(/^Error in the JQL Query: /)
      expect((await search('key in (PROJ-1) OR project = OPS')).status).toBe(400)
      expect((await search('assignee = currentUser()')).body.errorMessages).toEqual([
        "Field 'assignee' does not exist or you do not have permission to view it.",
      ])
      expect((await search('')).status).toBe(400)
    })

    it('pages with nextPageToken', async () => {
      const first = await search('project = PROJ', { maxResults: 25 })
      expect(first.body.issues).toHaveLength(25)
      expect(first.body.isLast).toBe(false)
      const second = await search('project = PROJ', { maxResults: 50, nextPageToken: first.body.nextPageToken })
      expect(second.body.issues).toHaveLength(35)
      expect(second.body.nextPageToken).toBeUndefined()
    })

    it('answers 410 Gone on the removed /search', async () => {
      const gone = await get('/rest/api/3/search?jql=project%3DPROJ')
      expect(gone.status).toBe(410)
      expect(gone.body.errorMessages[0]).toContain('/rest/api/3/search/jql')
    })
  })

  describe('bulk transition', () => {
    it('lists common transitions, runs a task and reports it complete', async () => {
      const available = await get('/rest/api/3/bulk/issues/transition?issueIdsOrKeys=PROJ-20,PROJ-21')
      expect(available.body.availableTransitions[0].transitions.map((t: any) => t.transitionId)).toEqual([11, 51])
      const submitted = await post('/rest/api/3/bulk/issues/transition', {
        bulkTransitionInputs: [{ selectedIssueIdsOrKeys: ['PROJ-20', 'PROJ-21'], transitionId: '11' }],
        sendBulkNotification: false,
      })
      expect(submitted.status).toBe(201)
      const progress = await get(`/rest/api/3/bulk/queue/${submitted.body.taskId}`)
      expect(progress.body).toMatchObject({ status: 'COMPLETE', totalIssueCount: 2 })
      expect(jira.issue('PROJ-20').status).toBe('In Progress')
    })
  })

  describe('rate limits and faults', () => {
    it('answers 429 with Jira Cloud headers per issue written', async () => {
      jira.setRateLimit({ perIssueWrite: { limit: 2, windowMs: 60_000 } })
      try {
        for (let n = 0; n < 2; n += 1) expect((await post('/rest/api/3/issue/PROJ-30/comment', { body: adf(`c${n}`) })).status).toBe(201)
        const limited = await post('/rest/api/3/issue/PROJ-30/comment', { body: adf('c3') })
        expect(limited.status).toBe(429)
        expect(limited.headers.get('ratelimit-reason')).toBe('jira-per-issue-on-write')
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
        expect(limited.headers.get('x-ratelimit-limit')).toBe('2')
        expect(limited.headers.get('x-ratelimit-remaining')).toBe('0')
        expect(limited.headers.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/)
        expect(jira.issue('PROJ-30').comments).toHaveLength(2)
        expect((await get('/rest/api/3/issue/PROJ-30')).status).toBe(200)
        expect((await post('/rest/api/3/issue/PROJ-31/comment', { body: adf('other issue') })).status).toBe(201)

        jira.setRateLimit({ global: { limit: 1, windowMs: 60_000, retryAfterSeconds: 7 } })
        await get('/rest/api/3/myself')
        const global = await get('/rest/api/3/myself')
        expect(global.status).toBe(429)
        expect(global.headers.get('retry-after')).toBe('7')
        expect(global.headers.get('ratelimit-reason')).toBe('jira-quota-global-based')
      } finally {
        jira.setRateLimit({})
      }
    })

    it('injects 503 with Retry-After, an HTML login page and malformed JSON', async () => {
      jira.inject({ path: '/rest/api/3/myself', kind: 'status', status: 503, headers: { 'retry-after': '2' } })
      const unavailable = await get('/rest/api/3/myself')
      expect([unavailable.status, unavailable.headers.get('retry-after')]).toEqual([503, '2'])
      jira.inject({ path: '/rest/api/3/myself', kind: 'html-login' })
      const login = await get('/rest/api/3/myself')
      expect(login.status).toBe(200)
      expect(String(login.body)).toContain('<html')
      jira.inject({ path: '/rest/api/3/myself', kind: 'malformed-json' })
      expect(() => JSON.parse('{"issues": [')).toThrow()
      expect((await get('/rest/api/3/myself')).body).toBe('{"issues": [')
      expect((await get('/rest/api/3/myself')).status).toBe(200)
    })

    it('redirects to another loopback host, which never sees the Authorization header', async () => {
      const foreign: SandboxServer = await startSandboxServer({ name: 'foreign host', router: new Router(), host: '127.0.0.2' })
      try {
        jira.inject({ path: '/rest/api/3/myself', kind: 'redirect', location: `${foreign.url}/rest/api/3/myself` })
        const followed = await get('/rest/api/3/myself')
        expect(followed.status).toBe(404)
        expect(jira.log.at(-1)?.authorization).toBe(asDemo)
        expect(foreign.log).toHaveLength(1)
        expect(foreign.log[0]?.authorization).toBeUndefined()
      } finally {
        await foreign.close()
      }
    })
  })
})

describe('Jira Cloud search lag', () => {
  let jira: JiraSandbox
  let auth: string

  beforeAll(async () => {
    jira = await startJiraSandbox({ searchLagMs: 400 })
    const demo = jira.user('demo')
    auth = basic(demo, jira.issueApiToken(demo))
  })
  afterAll(() => jira.close())

  it('shows the past state until the index catches up, unless the issue is reconciled', async () => {
    const search = (reconcileIssues: number[] = []) =>
      call(jira.url, 'POST', '/rest/api/3/search/jql', auth, { jql: 'key = PROJ-1', fields: ['status'], reconcileIssues })
    const id = Number((await search()).body.issues[0].id)
    expect((await call(jira.url, 'POST', '/rest/api/3/issue/PROJ-1/transitions', auth, { transition: { id: '11' } })).status).toBe(204)
    expect((await search()).body.issues[0].fields.status.name).toBe('To Do')
    expect((await search([id])).body.issues[0].fields.status.name).toBe('In Progress')
    expect((await call(jira.url, 'GET', '/rest/api/3/issue/PROJ-1?fields=status', auth)).body.fields.status.name).toBe('In Progress')
    const created = jira.createIssue({ project: 'OPS', summary: 'fresh' })
    expect((await call(jira.url, 'POST', '/rest/api/3/search/jql', auth, { jql: `key = ${created.key}` })).body.issues).toEqual([])
    await new Promise((resolve) => setTimeout(resolve, 450))
    expect((await search()).body.issues[0].fields.status.name).toBe('In Progress')
  })
})

describe('Jira Cloud legacy key check', () => {
  it("answers 400 naming each bad key when asked to behave like the old search", async () => {
    const jira = await startJiraSandbox({ cloudUnknownKeys: 'reject' })
    try {
      const demo = jira.user('demo')
      const answer = await call(jira.url, 'POST', '/rest/api/3/search/jql', basic(demo, jira.issueApiToken(demo)), { jql: 'key in (PROJ-1, X-9, PROJ-61)' })
      expect(answer.status).toBe(400)
      expect(answer.body.errorMessages).toEqual([
        "An issue with key 'X-9' does not exist for field 'key'.",
        "An issue with key 'PROJ-61' does not exist for field 'key'.",
      ])
    } finally {
      await jira.close()
    }
  })
})

describe('Jira Data Center sandbox', () => {
  let jira: JiraSandbox
  let pat: { id: number; token: string }
  const get = (path: string, token = pat.token) => call(jira.url, 'GET', path, bearer(token))
  const search = (body: Record<string, unknown>, token = pat.token) => call(jira.url, 'POST', '/rest/api/2/search', bearer(token), body)

  beforeAll(async () => {
    jira = await startJiraSandbox({ personality: 'data-center' })
    pat = jira.issuePat(jira.user('demo'), { name: 'ci' })
  })
  afterAll(() => jira.close())

  it('serves REST v2 only, with a Data Center serverInfo', async () => {
    expect((await get('/rest/api/2/serverInfo')).body.deploymentType).toBe('DataCenter')
    expect((await get('/rest/api/3/myself')).status).toBe(404)
    expect((await get('/rest/api/2/myself')).body.name).toBe('demo')
  })

  it('answers 400 naming every key that does not exist or is hidden, unless validation is relaxed', async () => {
    const strict = await search({ jql: 'key in (PROJ-1, PROJ-9999, PROJ-61, 0.0)' })
    expect(strict.status).toBe(400)
    expect(strict.body).toEqual({
      errorMessages: [
        "An issue with key 'PROJ-9999' does not exist for field 'key'.",
        "An issue with key 'PROJ-61' does not exist for field 'key'.",
        "The issue key '0.0' for field 'key' is invalid.",
      ],
      errors: {},
    })
    const warned = await search({ jql: 'key in (PROJ-1, PROJ-9999)', validateQuery: false, fields: ['status'] })
    expect(warned.status).toBe(200)
    expect(warned.body).toMatchObject({ startAt: 0, total: 1, warningMessages: ["An issue with key 'PROJ-9999' does not exist for field 'key'."] })
  })

  it('pages with startAt and total', async () => {
    const page = await search({ jql: 'project = OPS', startAt: 50, maxResults: 20 })
    expect(page.body).toMatchObject({ startAt: 50, maxResults: 20, total: 60 })
    expect(page.body.issues).toHaveLength(10)
  })

  it('treats an unknown, revoked or expired PAT as anonymous rather than refusing it', async () => {
    const revoked = jira.issuePat(jira.user('demo'))
    jira.revoke(revoked.token)
    const expired = jira.issuePat(jira.user('demo'), { expiresAt: new Date(Date.now() - 1000) })
    for (const token of [revoked.token, expired.token, 'not-a-pat']) {
      expect((await get('/rest/api/2/myself', token)).status).toBe(401)
      const everything = await search({ jql: '' }, token)
      expect([everything.status, everything.body.total]).toEqual([200, 0])
      const named = await search({ jql: 'key in (PROJ-1)' }, token)
      expect(named.status).toBe(400)
      expect(named.body.errorMessages).toEqual(["An issue with key 'PROJ-1' does not exist for field 'key'."])
    }
    expect(jira.log.at(-1)?.principal).toBe('anonymous (unknown PAT)')
  })

  it('takes wiki markup comments folded into a transition', async () => {
    const transition = (id: string, extra: Record<string, unknown> = {}) =>
      call(jira.url, 'POST', '/rest/api/2/issue/PROJ-2/transitions', bearer(pat.token), { transition: { id }, ...extra })
    await transition('11')
    await transition('21')
    const moved = await transition('31', { fields: { resolution: { name: 'Done' } }, update: { comment: [{ add: { body: 'Deployed by *ci*' } }] } })
    expect(moved.status).toBe(204)
    expect(jira.issue('PROJ-2')).toMatchObject({ status: 'Done', resolution: 'Done', comments: [{ text: 'Deployed by *ci*', raw: 'Deployed by *ci*' }] })
  })
})
