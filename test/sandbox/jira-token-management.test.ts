// The Jira sandbox's credential management through real HTTP: Data Center PAT endpoints, the Cloud admin API for API tokens, OAuth client secrets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startJiraSandbox, type JiraSandbox, type JiraUser } from '../../sandbox/jira/jira-sandbox.ts'

interface Answer {
  status: number
  body: any
}

async function call(base: string, method: string, path: string, authorization?: string, body?: unknown): Promise<Answer> {
  const response = await fetch(base + path, {
    method,
    headers: { ...(authorization ? { authorization } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : undefined }
}

const bearer = (token: string) => `Bearer ${token}`
const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`
const DAY_MS = 24 * 3600 * 1000

describe('Data Center personal access token endpoints', () => {
  let jira: JiraSandbox
  let demo: JiraUser
  const tokens = (method: string, path: string, authorization?: string, body?: unknown) =>
    call(jira.url, method, `/rest/pat/latest/tokens${path}`, authorization, body)

  beforeAll(async () => {
    jira = await startJiraSandbox({ personality: 'data-center' })
    demo = jira.user('demo')
  })
  afterAll(() => jira.close())

  it('creates a PAT that works at once, shows its value only in the 201, and lists it without the value', async () => {
    const current = jira.issuePat(demo, { name: 'current' }).token
    const before = Date.now()
    const created = await tokens('POST', '', bearer(current), { name: 'jira-warden:r-1', expirationDuration: 90 })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ name: 'jira-warden:r-1', id: expect.any(Number), rawToken: expect.any(String) })
    const expiresAt = Date.parse(created.body.expiringAt.replace('+0000', 'Z'))
    expect(expiresAt - before).toBeGreaterThanOrEqual(90 * DAY_MS - 1000)
    expect(expiresAt - before).toBeLessThan(90 * DAY_MS + 5000)

    const me = await call(jira.url, 'GET', '/rest/api/2/myself', bearer(created.body.rawToken))
    expect([me.status, me.body.name]).toEqual([200, 'demo'])

    const listed = await tokens('GET', '', bearer(created.body.rawToken))
    expect(listed.status).toBe(200)
    expect(listed.body.map((pat: any) => pat.name)).toEqual(['current', 'jira-warden:r-1'])
    expect(JSON.stringify(listed.body)).not.toContain(created.body.rawToken)
    expect(listed.body.every((pat: any) => !('rawToken' in pat))).toBe(true)
    expect(listed.body[1].lastAccessedAt).toBeDefined()
  })

  it('makes a deleted PAT anonymous: /myself answers 401 and the list no longer holds it', async () => {
    const current = jira.issuePat(demo).token
    const created = (await tokens('POST', '', bearer(current), { name: 'jira-warden:r-2', expirationDuration: 30 })).body
    expect((await tokens('DELETE', `/${created.id}`, bearer(current))).status).toBe(204)
    expect(jira.credentialState(created.rawToken)).toBe('revoked')
    const me = await call(jira.url, 'GET', '/rest/api/2/myself', bearer(created.rawToken))
    expect(me.status).toBe(401)
    expect(jira.log.at(-1)?.principal).toBe('anonymous (revoked PAT)')
    expect(jira.pats(demo).map((pat) => pat.id)).not.toContain(created.id)
    expect((await tokens('DELETE', `/${created.id}`, bearer(current))).status).toBe(404)
  })

  it('lets nobody delete or see another user\'s PAT', async () => {
    const viewerPat = jira.issuePat(jira.user('viewer'), { name: 'viewer-only' })
    const mine = jira.issuePat(demo).token
    expect((await tokens('DELETE', `/${viewerPat.id}`, bearer(mine))).status).toBe(404)
    expect(jira.credentialState(viewerPat.token)).toBe('live')
    expect((await tokens('GET', '', bearer(mine))).body.map((pat: any) => pat.name)).not.toContain('viewer-only')
  })

  it('answers 401 to anonymous callers, which includes a revoked, expired or unknown PAT', async () => {
    const revoked = jira.issuePat(demo)
    jira.revoke(revoked.token)
    const expired = jira.issuePat(demo, { expiresAt: new Date(Date.now() - 1000) }).token
    for (const authorization of [undefined, bearer(revoked.token), bearer(expired), bearer('not-a-pat')]) {
      expect((await tokens('POST', '', authorization, { name: 'x' })).status).toBe(401)
      expect((await tokens('GET', '', authorization)).status).toBe(401)
    }
    expect((await tokens('GET', '', basic('demo', 'wrong'))).status).toBe(401)
    expect((await tokens('GET', '', basic('demo', 'demo'))).status).toBe(200)
  })

  it('refuses a nameless token and a non-integer duration with 400, and a PAT without expiry has no expiringAt', async () => {
    const current = jira.issuePat(demo).token
    expect((await tokens('POST', '', bearer(current), { expirationDuration: 10 })).body.errors).toHaveProperty('name')
    const fractional = await tokens('POST', '', bearer(current), { name: 'x', expirationDuration: 1.5 })
    expect([fractional.status, Object.keys(fractional.body.errors)]).toEqual([400, ['expirationDuration']])
    const forever = await tokens('POST', '', bearer(current), { name: 'no-expiry' })
    expect(forever.status).toBe(201)
    expect(forever.body.expiringAt).toBeUndefined()
  })

  it('can emulate a Jira that lets only passwords manage PATs', async () => {
    const strict = await startJiraSandbox({ personality: 'data-center', patEndpointsAcceptPat: false })
    try {
      const pat = strict.issuePat(strict.user('demo')).token
      const refused = await call(strict.url, 'POST', '/rest/pat/latest/tokens', bearer(pat), { name: 'x' })
      expect(refused.status).toBe(403)
      expect(strict.pats(strict.user('demo'))).toHaveLength(1)
      const byPassword = await call(strict.url, 'POST', '/rest/pat/latest/tokens', basic('demo', 'demo'), { name: 'y' })
      expect(byPassword.status).toBe(201)
    } finally {
      await strict.close()
    }
  })
})

describe('Cloud organization admin API for user API tokens', () => {
  let jira: JiraSandbox
  let demo: JiraUser
  let adminKey: string
  const orgTokens = (query = '', key = adminKey) => call(jira.url, 'GET', `/admin/api-access/v1/orgs/${jira.orgId}/api-tokens${query}`, bearer(key))
  const userTokens = (user: JiraUser, key = adminKey) => call(jira.url, 'GET', `/users/${user.accountId}/manage/api-tokens`, bearer(key))
  const deleteToken = (user: JiraUser, id: string, key = adminKey) => call(jira.url, 'DELETE', `/users/${user.accountId}/manage/api-tokens/${id}`, bearer(key))

  beforeAll(async () => {
    jira = await startJiraSandbox()
    demo = jira.user('demo')
    adminKey = jira.issueAdminKey()
  })
  afterAll(() => jira.close())

  it('lists a user\'s tokens with created, expiry and last use, never their values', async () => {
    const expiresAt = new Date(Date.now() + 30 * DAY_MS)
    const token = jira.issueApiToken(demo, { label: 'ci', expiresAt })
    await call(jira.url, 'GET', '/rest/api/3/myself', basic(demo.email, token))
    const listed = await userTokens(demo)
    expect(listed.status).toBe(200)
    const ci = listed.body.find((entry: any) => entry.label === 'ci')
    expect(ci).toMatchObject({ id: jira.apiTokens(demo).find((t) => t.label === 'ci')?.id, expiry: expiresAt.toISOString() })
    expect(Date.parse(ci.createdAt)).toBeLessThanOrEqual(Date.now())
    expect(ci.lastAccess).toBeDefined()
    expect(JSON.stringify(listed.body)).not.toContain(token)
    const defaulted = jira.issueApiToken(demo, { label: 'a year' })
    const year = jira.apiTokens(demo).find((t) => t.label === 'a year')!
    expect(year.expiresAt.getTime() - year.createdAt.getTime()).toBe(365 * DAY_MS)
    expect(jira.credentialState(defaulted)).toBe('live')
  })

  it('lists the organization\'s tokens page by page with their owners', async () => {
    for (const label of ['p1', 'p2', 'p3']) jira.issueApiToken(jira.user('viewer'), { label })
    const seen: any[] = []
    let cursor: string | undefined
    do {
      const page = await orgTokens(`?pageSize=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(page.status).toBe(200)
      expect(page.body.data.length).toBeLessThanOrEqual(2)
      seen.push(...page.body.data)
      cursor = page.body.links.next
    } while (cursor)
    const viewer = jira.user('viewer')
    expect(seen.filter((entry) => entry.user.id === viewer.accountId).map((entry) => entry.label)).toEqual(['p1', 'p2', 'p3'])
    expect(seen.every((entry) => entry.status === 'ALLOWED' && entry.user.orgId === jira.orgId)).toBe(true)
    expect(seen.length).toBe(jira.apiTokens(demo).length + jira.apiTokens(viewer).length)
  })

  it('deletes a token: Jira refuses it with 401 afterwards, and it leaves the lists', async () => {
    const token = jira.issueApiToken(demo, { label: 'to delete' })
    const id = jira.apiTokens(demo).find((t) => t.label === 'to delete')!.id
    expect((await deleteToken(demo, id)).status).toBe(204)
    const refused = await call(jira.url, 'GET', '/rest/api/3/myself', basic(demo.email, token))
    expect(refused.status).toBe(401)
    expect(jira.credentialState(token)).toBe('revoked')
    expect((await userTokens(demo)).body.map((entry: any) => entry.id)).not.toContain(id)
    expect((await deleteToken(demo, id)).status).toBe(404)
    expect((await deleteToken(jira.user('viewer'), jira.apiTokens(demo)[0]!.id)).status).toBe(404)
  })

  it('answers 401 without a live admin key, and 404 for another organization or an unknown user', async () => {
    const revokedKey = jira.issueAdminKey()
    jira.revoke(revokedKey)
    for (const key of ['not-a-key', revokedKey, jira.issueApiToken(demo)]) {
      expect(await orgTokens('', key)).toEqual({ status: 401, body: { code: 401, message: 'Unauthorized' } })
      expect((await userTokens(demo, key)).status).toBe(401)
    }
    expect(jira.log.at(-1)?.principal).toBe('refused (org admin key missing, unknown or revoked)')
    expect((await call(jira.url, 'GET', '/admin/api-access/v1/orgs/other-org/api-tokens', bearer(adminKey))).status).toBe(404)
    expect((await call(jira.url, 'GET', '/users/000000000000000000000000/manage/api-tokens', bearer(adminKey))).status).toBe(404)
    expect((await orgTokens('?pageSize=1000')).status).toBe(400)
  })
})

describe('Cloud OAuth client secrets', () => {
  it('tracks when the secret was created and rotates it as an admin would in the console', async () => {
    const jira = await startJiraSandbox()
    try {
      const client = jira.issueOAuthClient(jira.user('demo'))
      const exchange = (secret: string) =>
        call(jira.url, 'POST', '/oauth/token', undefined, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: secret })
      const first = jira.oauthClient(client.clientId)
      expect(first.secretCreatedAt.getTime()).toBe(first.createdAt.getTime())
      await new Promise((resolve) => setTimeout(resolve, 5))
      const rotated = jira.rotateOAuthClientSecret(client.clientId)
      expect(rotated).not.toBe(client.clientSecret)
      const after = jira.oauthClient(client.clientId)
      expect(after.secretCreatedAt.getTime()).toBeGreaterThan(after.createdAt.getTime())
      expect((await exchange(client.clientSecret)).status).toBe(401)
      expect((await exchange(rotated)).status).toBe(200)
      expect(jira.credentialState(client.clientSecret)).toBe('revoked')
    } finally {
      await jira.close()
    }
  })
})
