// Every way of authenticating to Jira, what a refused credential does, and the round-trip budget of 1 + N.
import { afterEach, describe, expect, it } from 'vitest'
import { pullRequestPayload } from '../../sandbox/webhook-examples.ts'
import { REPOSITORY, errorsOf, keysOf, outputList, startActionWorld, type ActionWorld } from '../support/action-world.ts'
import { expectNoLeaks } from '../support/leak-scan.ts'

const OPENED = pullRequestPayload('opened', { repository: REPOSITORY, number: 7, title: 'PROJ-1 and OPS-2', head: 'feature/x', commits: 0 })
const RULES = 'transitions: [{ on: pull_request.opened, to: In Progress }]\nkeys: { from: [title] }'
const TOKEN_ENDPOINTS = new Set(['/oauth/token', '/_edge/tenant_info'])

let world: ActionWorld
afterEach(() => world.close())

describe('credentials', () => {
  it('Data Center: a personal access token as Bearer, REST v2, wiki-markup comment', async () => {
    world = await startActionWorld({ personality: 'data-center' })
    const run = await world.run({ eventName: 'pull_request', payload: OPENED, config: `${RULES}\ncomment: "moved by {{ actor }}"` })
    expect(run.exitCode).toBe(0)
    expect(keysOf(run, 'transitioned')).toEqual(['PROJ-1', 'OPS-2'])
    expect(world.jira.log.every((entry) => entry.path.startsWith('/rest/api/2/'))).toBe(true)
    expect(world.jira.issue('PROJ-1').comments.at(-1)?.raw).toBe('moved by Codertocat')
  })

  it('Data Center: an unknown PAT is anonymous to Jira; the action says the credential is refused and names rotation', async () => {
    world = await startActionWorld({ personality: 'data-center' })
    const { token } = world.jira.issuePat(world.jira.user('demo'))
    world.jira.revoke(token)
    world.secrets.push({ secret: token })
    const run = await world.run({ eventName: 'pull_request', payload: OPENED, config: RULES, inputs: { 'jira-pat': token } })
    expect(run.exitCode).toBe(1)
    expect(errorsOf(run)).toHaveLength(1)
    expect(errorsOf(run)[0]).toMatch(/anonymous.*Rotate it/)
    expect(statuses(world)).toEqual(['To Do', 'To Do'])
    expectNoLeaks(run.written, world.secrets)
  })

  it('Cloud service account: OAuth client credentials through the gateway, the access token masked', async () => {
    world = await startActionWorld({ personality: 'cloud' })
    const client = world.jira.issueOAuthClient(world.jira.user('demo'))
    world.secrets.push({ secret: client.clientSecret })
    const run = await world.run({
      eventName: 'pull_request',
      payload: OPENED,
      config: RULES,
      inputs: { 'jira-api-token': '', 'jira-email': '', 'jira-client-id': client.clientId, 'jira-client-secret': client.clientSecret },
    })
    expect(run.exitCode).toBe(0)
    expect(statuses(world)).toEqual(['In Progress', 'In Progress'])
    const accessToken = world.jira.log.find((entry) => entry.path.startsWith('/ex/jira/'))?.authorization?.replace(/^Bearer /, '')
    expect(accessToken).toBeTruthy()
    expect(run.masked).toContain(accessToken)
    expectNoLeaks(run.written, [...world.secrets, { secret: accessToken ?? '' }])
  })

  it('Cloud: a scoped API token at the api.atlassian.com gateway (no browse link: the summary shows plain keys)', async () => {
    world = await startActionWorld({ personality: 'cloud' })
    const demo = world.jira.user('demo')
    const scoped = world.jira.issueApiToken(demo, { scoped: true })
    world.secrets.push({ secret: scoped, user: demo.email })
    const run = await world.run({ eventName: 'pull_request', payload: OPENED, config: RULES, inputs: { 'jira-url': world.jira.gatewayUrl, 'jira-api-token': scoped } })
    expect(run.exitCode).toBe(0)
    expect(statuses(world)).toEqual(['In Progress', 'In Progress'])
    expect(run.summary).not.toContain('/browse/')
    expectNoLeaks(run.written, world.secrets)
  })

  it('a refused (expired) token stops at the first request with one error naming rotation, and is audited as refused', async () => {
    world = await startActionWorld({ personality: 'cloud' })
    const demo = world.jira.user('demo')
    const expired = world.jira.issueApiToken(demo, { expiresAt: new Date(Date.now() - 60_000) })
    world.secrets.push({ secret: expired, user: demo.email })
    const run = await world.run({ eventName: 'pull_request', payload: OPENED, config: RULES, inputs: { 'jira-api-token': expired } })
    expect(run.exitCode).toBe(1)
    expect(run.jiraRequests).toBe(1)
    expect(errorsOf(run)).toHaveLength(1)
    expect(errorsOf(run)[0]).toMatch(/refused|not accept/i)
    expect(errorsOf(run)[0]).toMatch(/rotat/i)
    const audit = world.github.issues(REPOSITORY).find((issue) => issue.labels.includes('jira-warden:audit'))
    expect(audit?.comments.at(-1)?.body).toContain('refused')
    expectNoLeaks(run.written, world.secrets)
  })

  it('refuses plain http to a host that is not loopback, before any request', async () => {
    world = await startActionWorld({ personality: 'cloud' })
    const run = await world.run({ eventName: 'pull_request', payload: OPENED, config: RULES, inputs: { 'jira-url': 'http://jira.example.com' } })
    expect(run.exitCode).toBe(1)
    expect(errorsOf(run)[0]).toMatch(/https/)
    expect(world.jira.log).toHaveLength(0)
    expectNoLeaks(run.written, world.secrets)
  })

  it('refuses two credentials at once, naming both inputs', async () => {
    world = await startActionWorld({ personality: 'cloud' })
    const run = await world.run({ eventName: 'pull_request', payload: OPENED, config: RULES, inputs: { 'jira-pat': 'made-up-pat-value-123' } })
    expect(run.exitCode).toBe(1)
    expect(errorsOf(run)[0]).toContain('jira-api-token, jira-pat')
    expect(world.jira.log).toHaveLength(0)
    expectNoLeaks(run.written, [...world.secrets, { secret: 'made-up-pat-value-123' }])
  })
})

describe('round trips: at most 1 + N Jira requests for N keys', () => {
  for (const personality of ['cloud', 'data-center'] as const) {
    for (const n of [1, 5, 50]) {
      it(`${personality}, N = ${n}`, async () => {
        world = await startActionWorld({ personality })
        const keys = Array.from({ length: n }, (_, index) => `${index % 2 === 0 ? 'PROJ' : 'OPS'}-${index + 1}`)
        const run = await world.run({ eventName: 'pull_request', payload: OPENED, config: RULES, inputs: { 'issue-keys': keys.join(',') } })
        expect(run.exitCode).toBe(0)
        expect(keysOf(run, 'transitioned')).toEqual(keys)
        expect(run.jiraRequests).toBeLessThanOrEqual(1 + n)
        expect(keys.every((key) => world.jira.issue(key).status === 'In Progress')).toBe(true)
      })
    }
  }

  it('more keys than one page of 100: still one search (the page is sized to the keys)', async () => {
    world = await startActionWorld({ personality: 'cloud' })
    const keys = [...Array.from({ length: 60 }, (_, index) => `PROJ-${index + 1}`), ...Array.from({ length: 50 }, (_, index) => `OPS-${index + 1}`)]
    const run = await world.run({ eventName: 'pull_request', payload: OPENED, config: RULES.replace('keys: { from: [title] }', 'keys: { from: [title], max: 200 }'), inputs: { 'issue-keys': keys.join(',') } })
    expect(keysOf(run, 'transitioned')).toHaveLength(110)
    expect(world.jira.log.filter((entry) => entry.path.endsWith('/search/jql'))).toHaveLength(1)
    expect(run.jiraRequests).toBe(111)
  })

  it('OAuth: the token exchange and tenant lookup are the only extra requests', async () => {
    world = await startActionWorld({ personality: 'cloud' })
    const client = world.jira.issueOAuthClient(world.jira.user('demo'))
    const keys = ['PROJ-1', 'PROJ-2', 'OPS-3', 'OPS-4', 'PROJ-5']
    const run = await world.run({
      eventName: 'pull_request',
      payload: OPENED,
      config: RULES,
      inputs: { 'jira-api-token': '', 'jira-email': '', 'jira-client-id': client.clientId, 'jira-client-secret': client.clientSecret, 'issue-keys': keys.join(',') },
    })
    expect(keysOf(run, 'transitioned')).toEqual(keys)
    const apiRequests = world.jira.log.filter((entry) => !TOKEN_ENDPOINTS.has(entry.path))
    expect(apiRequests.length).toBeLessThanOrEqual(1 + keys.length)
  })

  it('a missing or hidden key costs no extra request on Cloud and fails alone', async () => {
    world = await startActionWorld({ personality: 'cloud' })
    const run = await world.run({ eventName: 'pull_request', payload: OPENED, config: RULES, inputs: { 'issue-keys': 'PROJ-1,PROJ-61,PROJ-999,OPS-2' } })
    expect(run.jiraRequests).toBe(3)
    expect(keysOf(run, 'transitioned')).toEqual(['PROJ-1', 'OPS-2'])
    expect(outputList(run, 'failed').map((item) => [item.key, item.reason])).toEqual([
      ['PROJ-61', 'not found, or not visible to this credential'],
      ['PROJ-999', 'not found, or not visible to this credential'],
    ])
  })

  it('Data Center names missing keys in a 400: one more search, and the rest move', async () => {
    world = await startActionWorld({ personality: 'data-center' })
    const run = await world.run({ eventName: 'pull_request', payload: OPENED, config: RULES, inputs: { 'issue-keys': 'PROJ-1,PROJ-999,OPS-2' } })
    expect(run.jiraRequests).toBe(4)
    expect(keysOf(run, 'transitioned')).toEqual(['PROJ-1', 'OPS-2'])
    expect(keysOf(run, 'failed')).toEqual(['PROJ-999'])
  })
})

function statuses(world: ActionWorld): string[] {
  return ['PROJ-1', 'OPS-2'].map((key) => world.jira.issue(key).status)
}
