// Every response the Jira sandbox gives, validated against the official schema of its operation and status.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestLogEntry } from '../../sandbox/http/sandbox-server.ts'
import { startJiraSandbox, type JiraSandbox } from '../../sandbox/jira/jira-sandbox.ts'
import { ATLASSIAN_ADMIN_CONTRACT } from './atlassian-admin-contract.ts'
import { listedFieldsOf, loadPatNotes, patContractDocument } from './jira-dc-pat-contract.ts'
import { loadOpenApi, ResponseContract, type OpenApiDocument } from './openapi-contract.ts'

const SPECS = new URL('./specs/', import.meta.url)
const CAPTURED = new URL('jira-dc-8.20.7-captured/', SPECS)
const captured = (name: string): any => JSON.parse(readFileSync(new URL(`${name}.json`, CAPTURED), 'utf8'))

const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] })

/**
 * Where the Data Center spec contradicts what a live Jira answers (the captured
 * 8.20.7 responses), the live answer wins; each override is proven below by
 * the captured response failing the raw spec and passing the override.
 */
const DC_OVERRIDES: Record<string, unknown> = {
  // The spec describes one IssueTypeWithStatusJsonBean; Jira answers an array of them (captured project-statuses.json).
  'GET /api/2/project/{projectIdOrKey}/statuses 200': { type: 'array', items: { $ref: 'dc#/components/schemas/IssueTypeWithStatusJsonBean' } },
}

/** The spec says every value of IssueBean.fields is an object; captured issues carry strings, arrays and nulls there. */
function withDataCenterFieldValues(document: OpenApiDocument): OpenApiDocument {
  const schemas = structuredClone(document.components.schemas) as Record<string, any>
  schemas.IssueBean.properties.fields.additionalProperties = {}
  return { ...document, components: { schemas } }
}

function cloudContract(): ResponseContract {
  const cloudPath = (template: string) => template.replace(/^\/ex\/jira\/\{cloudId\}/, '').replace(/^\/rest\/api\/2\//, '/rest/api/3/')
  return new ResponseContract({
    sources: [
      { name: 'cloud-subset', document: loadOpenApi(new URL('jira-cloud-platform.subset.openapi.json', SPECS).pathname), pathOf: cloudPath },
      { name: 'cloud-full', document: loadOpenApi(new URL('jira-cloud-platform.openapi.json', SPECS).pathname), pathOf: cloudPath },
      { name: 'atlassian-admin', document: ATLASSIAN_ADMIN_CONTRACT, pathOf: (template) => template },
    ],
    errorSchema: 'ErrorCollection',
  })
}

function dataCenterContract(patched = true): ResponseContract {
  const raw = loadOpenApi(new URL('jira-dc-10.3.openapi.json', SPECS).pathname)
  return new ResponseContract({
    sources: [
      { name: 'dc', document: patched ? withDataCenterFieldValues(raw) : raw, pathOf: (template) => template.replace(/^\/rest(?=\/)/, '') },
      { name: 'dc-pat-notes', document: patContractDocument(loadPatNotes(SPECS)), pathOf: (template) => template },
    ],
    errorSchema: 'ErrorCollection',
    ...(patched ? { responseOverrides: DC_OVERRIDES } : {}),
  })
}

interface Findings {
  checked: number
  invalid: string[]
  skipped: string[]
}

function validateLog(contract: ResponseContract, log: RequestLogEntry[]): Findings {
  const findings: Findings = { checked: 0, invalid: [], skipped: [] }
  for (const entry of log) {
    const what = `${entry.method} ${entry.route ?? entry.path} ${entry.status}`
    if (entry.fault) continue
    if (!entry.route) {
      findings.skipped.push(`${what}: no route`)
      continue
    }
    const verdict = contract.check(entry.method, entry.route, entry.status, entry.responseBody)
    findings.checked += 1
    if (verdict.verdict === 'invalid') findings.invalid.push(`${what}\n${verdict.errors}\n${JSON.stringify(entry.responseBody).slice(0, 400)}`)
    if (verdict.verdict === 'skipped') findings.skipped.push(`${what}: ${verdict.reason}`)
  }
  findings.skipped = [...new Set(findings.skipped)].sort()
  return findings
}

const statusesOf = (log: RequestLogEntry[]) => [...new Set(log.filter((entry) => !entry.fault).map((entry) => entry.status))].sort()

describe('Jira Cloud sandbox against the Jira Cloud platform OpenAPI', () => {
  let jira: JiraSandbox

  beforeAll(async () => {
    jira = await startJiraSandbox()
    await driveCloud(jira)
  })
  afterAll(() => jira.close())

  it('gave success and error answers of every kind', () => {
    expect(statusesOf(jira.log)).toEqual([200, 201, 204, 400, 401, 403, 404, 410, 429])
  })

  it('validates every logged response against its operation, skipping only what no spec describes', () => {
    const findings = validateLog(cloudContract(), jira.log)
    expect(findings.invalid).toEqual([])
    expect(findings.checked).toBeGreaterThan(60)
    const admin = jira.log.filter((entry) => entry.path.startsWith('/admin/') || entry.path.startsWith('/users/'))
    expect(new Set(admin.map((entry) => `${entry.method} ${entry.status}`))).toEqual(new Set(['GET 200', 'GET 400', 'GET 401', 'GET 404', 'DELETE 204', 'DELETE 401', 'DELETE 404']))
    expect(findings.skipped).toEqual([
      'GET /_edge/tenant_info 200: no operation in any spec',
      'GET /oauth/token/accessible-resources 200: no operation in any spec',
      'GET /oauth/token/accessible-resources 401: no operation in any spec',
      'GET /rest/api/2/search 410: status 410 not described by cloud-full',
      'GET /rest/api/3/bulk/queue/{taskId} 404: status 404 not described by cloud-subset',
      'GET /rest/api/3/search 410: status 410 not described by cloud-full',
      'POST /oauth/token 200: no operation in any spec',
      'POST /oauth/token 400: no operation in any spec',
      'POST /oauth/token 401: no operation in any spec',
      'POST /rest/api/2/search 410: status 410 not described by cloud-full',
      'POST /rest/api/3/issue/{issueIdOrKey}/comment 429: status 429 not described by cloud-subset',
      'POST /rest/api/3/search 410: status 410 not described by cloud-full',
    ])
  })
})

describe('the response validator', () => {
  it('refuses what the specs refuse, so a pass means something', () => {
    const cloud = cloudContract()
    expect(cloud.check('GET', '/rest/api/3/myself', 200, { accountId: 'a', displayName: 'A' }).verdict).toBe('valid')
    expect(cloud.check('GET', '/rest/api/3/myself', 200, { accountId: 'a', favouriteColour: 'red' }).verdict).toBe('invalid')
    expect(cloud.check('GET', '/ex/jira/{cloudId}/rest/api/2/issue/{issueIdOrKey}/transitions', 200, { transitions: [{ id: 11 }] }).verdict).toBe('invalid')
    expect(cloud.check('POST', '/rest/api/3/issue/{issueIdOrKey}/transitions', 400, { errorMessages: 'not a list' }).verdict).toBe('invalid')
    expect(cloud.check('POST', '/rest/api/3/issue/{issueIdOrKey}/transitions', 204, { unexpected: true }).verdict).toBe('invalid')
    const screenField = { key: 'resolution', name: 'Resolution', operations: ['set'], required: true }
    expect(cloud.check('GET', '/rest/api/3/issue/{issueIdOrKey}/transitions', 200, { transitions: [{ id: '31', fields: { resolution: screenField } }] }).verdict).toBe('invalid')
    const dataCenter = dataCenterContract()
    expect(dataCenter.check('GET', '/rest/api/2/search', 200, { total: 'many' }).verdict).toBe('invalid')
    expect(dataCenter.check('GET', '/rest/api/2/myself', 200, captured('myself')).verdict).toBe('valid')
    const listed = { id: 1, name: 'ci', createdAt: '2026-01-01T00:00:00.000+0000', expiringAt: '2026-04-01T00:00:00.000+0000' }
    expect(dataCenter.check('GET', '/rest/pat/latest/tokens', 200, [listed]).verdict).toBe('valid')
    expect(dataCenter.check('GET', '/rest/pat/latest/tokens', 200, [{ ...listed, rawToken: 'must-never-be-listed' }]).verdict).toBe('invalid')
    expect(dataCenter.check('POST', '/rest/pat/latest/tokens', 201, listed).verdict).toBe('invalid')
    expect(dataCenter.check('DELETE', '/rest/pat/latest/tokens/{tokenId}', 204, { unexpected: true }).verdict).toBe('invalid')
    expect(cloud.check('GET', '/users/{accountId}/manage/api-tokens', 200, [{ id: 'a', label: 'ci', createdAt: 'yesterday' }]).verdict).toBe('invalid')
    expect(cloud.check('GET', '/admin/api-access/v1/orgs/{orgId}/api-tokens', 401, { errorMessages: [] }).verdict).toBe('invalid')
  })

  it('derives the PAT contract from the notes: every listed field, lastAccessedAt optional, no rawToken in a list', () => {
    const notes = loadPatNotes(SPECS)
    expect(listedFieldsOf(notes)).toEqual([
      { name: 'id', optional: false },
      { name: 'name', optional: false },
      { name: 'createdAt', optional: false },
      { name: 'expiringAt', optional: false },
      { name: 'lastAccessedAt', optional: true },
    ])
    const document = patContractDocument(notes)
    expect(Object.keys(document.paths)).toEqual(['/rest/pat/latest/tokens', '/rest/pat/latest/tokens/{id}'])
    expect(Object.keys((document.components.schemas.ListedPat as any).properties)).not.toContain('rawToken')
  })
})

describe('Jira Data Center sandbox against the Jira Data Center 10.3 OpenAPI and live 8.20.7 answers', () => {
  let jira: JiraSandbox
  const bodies: Record<string, any> = {}

  beforeAll(async () => {
    jira = await startJiraSandbox({ personality: 'data-center' })
    Object.assign(bodies, await driveDataCenter(jira))
  })
  afterAll(() => jira.close())

  it('gave success and error answers of every kind', () => {
    expect(statusesOf(jira.log)).toEqual([200, 201, 204, 400, 401, 404])
  })

  it('validates every logged response against its operation', () => {
    const findings = validateLog(dataCenterContract(), jira.log)
    expect(findings.invalid).toEqual([])
    expect(findings.checked).toBeGreaterThan(30)
    const pats = jira.log.filter((entry) => entry.path.startsWith('/rest/pat/'))
    expect(new Set(pats.map((entry) => `${entry.method} ${entry.status}`))).toEqual(
      new Set(['POST 201', 'POST 400', 'POST 401', 'GET 200', 'GET 401', 'DELETE 204', 'DELETE 401', 'DELETE 404']),
    )
    expect(findings.skipped).toEqual([
      'POST /rest/api/2/issue/{issueIdOrKey}/comment 404: status 404 not described by dc',
      'PUT /rest/api/2/issue/{issueIdOrKey} 404: status 404 not described by dc',
    ])
  })

  it('overrides the spec only where live Jira contradicts it', () => {
    const raw = dataCenterContract(false)
    const patched = dataCenterContract()
    expect(raw.check('GET', '/rest/api/2/project/{projectIdOrKey}/statuses', 200, captured('project-statuses')).verdict).toBe('invalid')
    expect(patched.check('GET', '/rest/api/2/project/{projectIdOrKey}/statuses', 200, captured('project-statuses')).verdict).toBe('valid')
    expect(raw.check('GET', '/rest/api/2/search', 200, captured('search')).verdict).toBe('invalid')
    expect(patched.check('GET', '/rest/api/2/search', 200, captured('search')).verdict).toBe('valid')
  })

  it('answers with the keys a live Jira answers with', () => {
    expect(missingKeys(captured('myself'), bodies.myself)).toEqual([])
    expect(missingKeys(captured('serverinfo'), bodies.serverInfo)).toEqual([])
    expect(missingKeys(captured('issue-transitions'), bodies.transitions)).toEqual([])
    expect(missingKeys(captured('issue-comments'), bodies.comments)).toEqual([])
    expect(missingKeys(captured('project-statuses'), bodies.projectStatuses)).toEqual([])
    const modelled = ['status', 'project', 'issuetype', 'resolution', 'resolutiondate', 'fixVersions', 'summary', 'labels', 'created', 'updated']
    const search = captured('search')
    const onlyModelled = (issue: any) => ({ ...issue, fields: Object.fromEntries(modelled.map((field) => [field, issue.fields[field]])) })
    expect(missingKeys({ ...search, issues: search.issues.map(onlyModelled) }, bodies.search)).toEqual([])
    expect(missingKeys(onlyModelled(captured('issue-default')), bodies.issue)).toEqual([])
  })
})

/** Keys the captured answer has that ours lacks, as paths (arrays compared through their first item). */
function missingKeys(expected: unknown, actual: unknown, path = ''): string[] {
  if (Array.isArray(expected)) return expected.length > 0 && Array.isArray(actual) ? missingKeys(expected[0], actual[0], `${path}[0]`) : []
  if (typeof expected !== 'object' || expected === null) return []
  if (typeof actual !== 'object' || actual === null) return [path || '(root)']
  return Object.entries(expected).flatMap(([key, value]) =>
    key in actual ? missingKeys(value, (actual as Record<string, unknown>)[key], `${path}.${key}`) : [`${path}.${key}`],
  )
}

async function request(base: string, method: string, path: string, authorization?: string, body?: unknown): Promise<any> {
  const response = await fetch(base + path, {
    method,
    headers: { ...(authorization ? { authorization } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  })
  const text = await response.text()
  return text ? JSON.parse(text) : undefined
}

async function driveCloud(jira: JiraSandbox): Promise<void> {
  const demo = jira.user('demo')
  const viewer = jira.user('viewer')
  const basic = (email: string, token: string) => `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`
  const asDemo = basic(demo.email, jira.issueApiToken(demo))
  const asViewer = basic(viewer.email, jira.issueApiToken(viewer))
  const scoped = basic(demo.email, jira.issueApiToken(demo, { scoped: true }))
  const site = (method: string, path: string, body?: unknown, auth: string | undefined = asDemo) => request(jira.url, method, path, auth, body)

  await request(jira.url, 'GET', '/_edge/tenant_info')
  const client = jira.issueOAuthClient(demo)
  const token = await request(jira.url, 'POST', '/oauth/token', undefined, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret })
  await request(jira.url, 'POST', '/oauth/token', undefined, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'wrong' })
  await request(jira.url, 'POST', '/oauth/token', undefined, { grant_type: 'password' })
  await request(jira.url, 'GET', '/oauth/token/accessible-resources', `Bearer ${token.access_token}`)
  await request(jira.url, 'GET', '/oauth/token/accessible-resources', 'Bearer nope')

  for (const version of ['2', '3']) {
    const api = `/rest/api/${version}`
    await site('GET', `${api}/myself`)
    await site('GET', `${api}/myself`, undefined, undefined)
    await site('GET', `${api}/myself`, undefined, basic(demo.email, 'wrong'))
    await site('GET', `${api}/serverInfo`)
    await site('GET', `${api}/mypermissions?projectKey=PROJ&permissions=BROWSE_PROJECTS,TRANSITION_ISSUES,ADD_COMMENTS`)
    await site('GET', `${api}/mypermissions?permissions=ADMINISTER,BULK_CHANGE`)
    await site('GET', `${api}/mypermissions`)
    await site('GET', `${api}/mypermissions?permissions=NOT_A_PERMISSION`)
    await site('GET', `${api}/mypermissions?projectKey=NOPE&permissions=BROWSE_PROJECTS`)
    await site('GET', `${api}/mypermissions?permissions=BROWSE_PROJECTS`, undefined, basic(demo.email, 'wrong'))
    await site('GET', `${api}/project/PROJ/statuses`)
    await site('GET', `${api}/project/NOPE/statuses`)
    await site('GET', `${api}/search/jql?jql=${encodeURIComponent('key in (PROJ-1, PROJ-2)')}&fields=*all&expand=transitions.fields`)
    await site('GET', `${api}/search/jql?jql=project%20%3D%20OPS&maxResults=5`)
    await site('POST', `${api}/search/jql`, { jql: 'key in (PROJ-1, OPS-1, PROJ-404)', fields: ['status', 'project'], expand: 'transitions', maxResults: 100 })
    await site('POST', `${api}/search/jql`, { jql: 'key in (PROJ-1', fields: ['status'] })
    await site('POST', `${api}/search/jql`, { jql: 'project = PROJ' }, basic(demo.email, 'wrong'))
    await site('POST', `${api}/search`, { jql: 'project = PROJ' })
    await site('GET', `${api}/search?jql=project%3DPROJ`)
    await site('GET', `${api}/issue/PROJ-1`)
    await site('GET', `${api}/issue/PROJ-1?fields=status,project&expand=transitions`)
    await site('GET', `${api}/issue/PROJ-61`)
    await site('GET', `${api}/issue/PROJ-1`, undefined, basic(demo.email, 'wrong'))
    await site('GET', `${api}/issue/PROJ-1/transitions?expand=transitions.fields`)
    await site('GET', `${api}/issue/PROJ-404/transitions`)
    await site('GET', `${api}/issue/PROJ-1/comment`)
    await site('GET', `${api}/issue/PROJ-404/comment`)
    await site('PUT', `${api}/issue/PROJ-10`, { fields: { summary: `Edited in v${version}`, fixVersions: [{ name: 'v1.1' }] } })
    await site('PUT', `${api}/issue/PROJ-10`, { fields: { resolution: { name: 'Done' } } })
    await site('PUT', `${api}/issue/PROJ-404`, { fields: { summary: 'x' } })
  }

  const comment = (version: string, text: string) => (version === '3' ? adf(text) : text)
  for (const [version, key] of [['3', 'PROJ-11'], ['2', 'OPS-11']] as const) {
    const api = `/rest/api/${version}`
    const [start, review, done] = key.startsWith('PROJ') ? ['11', '21', '31'] : ['101', '111', '121']
    await site('POST', `${api}/issue/${key}/transitions`, { transition: { id: done } })
    await site('POST', `${api}/issue/${key}/transitions`, { transition: { id: start }, update: { comment: [{ add: { body: comment(version, 'started') } }] } })
    await site('POST', `${api}/issue/${key}/transitions`, { transition: { id: review } })
    await site('GET', `${api}/issue/${key}/transitions?expand=transitions.fields`)
    await site('POST', `${api}/search/jql`, { jql: `key = ${key}`, fields: ['status'], expand: 'transitions.fields' })
    await site('POST', `${api}/issue/${key}/transitions`, { transition: { id: done } })
    await site('POST', `${api}/issue/${key}/transitions`, { transition: { id: done }, fields: { resolution: { name: 'Done' }, fixVersions: [{ name: 'v1.0' }] } })
    await site('POST', `${api}/issue/${key}/transitions`, { transition: { id: 'abc' } })
    await site('POST', `${api}/issue/PROJ-404/transitions`, { transition: { id: start } })
    await site('POST', `${api}/issue/${key}/comment`, { body: comment(version, 'a comment') })
    await site('POST', `${api}/issue/${key}/comment`, { body: comment(version, 'not allowed') }, asViewer)
    await site('POST', `${api}/issue/${key}/comment`, {})
    await site('POST', `${api}/issue/PROJ-404/comment`, { body: comment(version, 'nowhere') })
    await site('GET', `${api}/issue/${key}?expand=transitions.fields`)
  }

  await request(jira.gatewayUrl, 'GET', '/rest/api/3/myself', scoped)
  await request(jira.gatewayUrl, 'GET', '/rest/api/3/myself', `Bearer ${token.access_token}`)
  await request(jira.gatewayUrl, 'POST', '/rest/api/3/search/jql', scoped, { jql: 'key = PROJ-1', fields: ['status'] })
  await request(jira.gatewayUrl, 'GET', '/rest/api/3/myself', asDemo)

  await site('GET', '/rest/api/3/bulk/issues/transition?issueIdsOrKeys=PROJ-40,PROJ-41,OPS-40')
  await site('GET', '/rest/api/3/bulk/issues/transition')
  await site('GET', '/rest/api/3/bulk/issues/transition?issueIdsOrKeys=PROJ-40', undefined, asViewer)
  await site('GET', '/rest/api/3/bulk/issues/transition?issueIdsOrKeys=PROJ-40', undefined, undefined)
  const task = await site('POST', '/rest/api/3/bulk/issues/transition', { bulkTransitionInputs: [{ selectedIssueIdsOrKeys: ['PROJ-40', 'PROJ-41'], transitionId: '11' }, { selectedIssueIdsOrKeys: ['OPS-40'], transitionId: '51' }], sendBulkNotification: false })
  await site('POST', '/rest/api/3/bulk/issues/transition', { bulkTransitionInputs: [{ selectedIssueIdsOrKeys: ['PROJ-42'], transitionId: '11' }, { selectedIssueIdsOrKeys: ['PROJ-43'], transitionId: '51' }] })
  await site('GET', `/rest/api/3/bulk/queue/${task.taskId}`)
  await site('GET', '/rest/api/3/bulk/queue/999999')

  jira.setRateLimit({ perIssueWrite: { limit: 1, windowMs: 60_000 } })
  await site('POST', '/rest/api/3/issue/PROJ-50/comment', { body: adf('one') })
  await site('POST', '/rest/api/3/issue/PROJ-50/comment', { body: adf('two') })
  jira.setRateLimit({})
  jira.inject({ path: '/rest/api/3/serverInfo', kind: 'status', status: 503, headers: { 'retry-after': '1' } })
  await site('GET', '/rest/api/3/serverInfo')

  const adminKey = `Bearer ${jira.issueAdminKey()}`
  const orgTokens = `/admin/api-access/v1/orgs/${jira.orgId}/api-tokens`
  jira.issueApiToken(viewer, { label: 'ci' })
  await request(jira.url, 'GET', orgTokens, adminKey)
  await request(jira.url, 'GET', `${orgTokens}?pageSize=1`, adminKey)
  await request(jira.url, 'GET', `${orgTokens}?pageSize=0`, adminKey)
  await request(jira.url, 'GET', orgTokens, 'Bearer not-an-admin-key')
  await request(jira.url, 'GET', '/admin/api-access/v1/orgs/another-org/api-tokens', adminKey)
  const userTokens = `/users/${viewer.accountId}/manage/api-tokens`
  const listed = await request(jira.url, 'GET', userTokens, adminKey)
  await request(jira.url, 'GET', userTokens, undefined)
  await request(jira.url, 'GET', '/users/000000000000000000000000/manage/api-tokens', adminKey)
  await request(jira.url, 'DELETE', `${userTokens}/${listed[0].id}`, 'Bearer not-an-admin-key')
  await request(jira.url, 'DELETE', `${userTokens}/${listed[0].id}`, adminKey)
  await request(jira.url, 'DELETE', `${userTokens}/${listed[0].id}`, adminKey)
}

async function driveDataCenter(jira: JiraSandbox): Promise<Record<string, unknown>> {
  const pat = jira.issuePat(jira.user('demo')).token
  const viewerPat = jira.issuePat(jira.user('viewer')).token
  const site = (method: string, path: string, body?: unknown, token: string | undefined = pat) =>
    request(jira.url, method, path, token === undefined ? undefined : token.startsWith('Basic ') ? token : `Bearer ${token}`, body)
  const api = '/rest/api/2'
  const bodies: Record<string, unknown> = {}

  bodies.myself = await site('GET', `${api}/myself`)
  await site('GET', `${api}/myself`, undefined, 'revoked-or-unknown')
  await site('GET', `${api}/myself`, undefined, `Basic ${Buffer.from('demo:wrong').toString('base64')}`)
  bodies.serverInfo = await site('GET', `${api}/serverInfo`)
  await site('GET', `${api}/mypermissions?projectKey=PROJ`)
  await site('GET', `${api}/mypermissions?projectKey=NOPE`)
  bodies.projectStatuses = await site('GET', `${api}/project/PROJ/statuses`)
  await site('GET', `${api}/project/NOPE/statuses`)
  bodies.search = await site('GET', `${api}/search?jql=${encodeURIComponent('key in (PROJ-1, PROJ-2)')}&expand=transitions`)
  await site('POST', `${api}/search`, { jql: 'key in (PROJ-1, OPS-1)', fields: ['status', 'project'], expand: ['transitions'], startAt: 0, maxResults: 100 })
  await site('POST', `${api}/search`, { jql: 'key in (PROJ-1, PROJ-404)' })
  await site('POST', `${api}/search`, { jql: 'key in (PROJ-1, PROJ-404)', validateQuery: false })
  await site('POST', `${api}/search`, { jql: 'key in (PROJ-1' })
  await site('POST', `${api}/search`, { jql: '' }, 'unknown')
  bodies.issue = await site('GET', `${api}/issue/PROJ-1`)
  await site('GET', `${api}/issue/PROJ-1?fields=status&expand=transitions.fields`)
  await site('GET', `${api}/issue/PROJ-404`)
  await site('PUT', `${api}/issue/PROJ-3`, { fields: { summary: 'Edited', fixVersions: [{ name: 'v1.0' }] } })
  await site('PUT', `${api}/issue/PROJ-3`, { fields: { summary: 'Viewer edit' } }, viewerPat)
  await site('PUT', `${api}/issue/PROJ-404`, { fields: { summary: 'x' } })
  await site('POST', `${api}/issue/PROJ-1/comment`, { body: 'A comment, so the comments have something to return.' })
  await site('POST', `${api}/issue/PROJ-1/comment`, { body: 'not allowed' }, viewerPat)
  await site('POST', `${api}/issue/PROJ-404/comment`, { body: 'nowhere' })
  bodies.comments = await site('GET', `${api}/issue/PROJ-1/comment`)
  await site('GET', `${api}/issue/PROJ-404/comment`)
  bodies.transitions = await site('GET', `${api}/issue/PROJ-1/transitions`)
  await site('GET', `${api}/issue/PROJ-1/transitions?expand=transitions.fields`)
  await site('GET', `${api}/issue/PROJ-404/transitions`)
  await site('POST', `${api}/issue/PROJ-1/transitions`, { transition: { id: '31' } })
  await site('POST', `${api}/issue/PROJ-1/transitions`, { transition: { id: '11' }, update: { comment: [{ add: { body: 'Started by *ci*' } }] } })
  await site('POST', `${api}/issue/PROJ-1/transitions`, { transition: { id: '21' } })
  await site('GET', `${api}/issue/PROJ-1/transitions?expand=transitions.fields`)
  await site('POST', `${api}/search`, { jql: 'key = PROJ-1', fields: ['status'], expand: ['transitions.fields'] })
  await site('POST', `${api}/issue/PROJ-1/transitions`, { transition: { id: '31' } })
  await site('POST', `${api}/issue/PROJ-1/transitions`, { transition: { id: '31' }, fields: { resolution: { name: 'Done' } } })
  await site('POST', `${api}/issue/PROJ-404/transitions`, { transition: { id: '11' } })

  const created = await site('POST', '/rest/pat/latest/tokens', { name: 'jira-warden:contract', expirationDuration: 30 })
  await site('POST', '/rest/pat/latest/tokens', { name: 'no-expiry' })
  await site('POST', '/rest/pat/latest/tokens', { expirationDuration: 30 })
  await site('POST', '/rest/pat/latest/tokens', { name: 'anonymous' }, 'revoked-or-unknown')
  await site('GET', '/rest/pat/latest/tokens', undefined, created.rawToken)
  await site('GET', '/rest/pat/latest/tokens', undefined, 'revoked-or-unknown')
  await site('DELETE', `/rest/pat/latest/tokens/${created.id}`, undefined, 'revoked-or-unknown')
  await site('DELETE', `/rest/pat/latest/tokens/${created.id}`)
  await site('DELETE', `/rest/pat/latest/tokens/${created.id}`)
  return bodies
}
