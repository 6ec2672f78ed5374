// RELIABILITY.md "Jira answers", through the built action: the outcome in Jira, the message, and the leak scan.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Router, startSandboxServer } from '../../sandbox/http/sandbox-server.ts'
import { pullRequestPayload } from '../../sandbox/webhook-examples.ts'
import { REPOSITORY, errorsOf, keysOf, outputList, startActionWorld, type ActionWorld } from '../support/action-world.ts'
import { expectNoLeaks } from '../support/leak-scan.ts'

const OPENED = pullRequestPayload('opened', { repository: REPOSITORY, number: 7, title: 'PROJ-1 PROJ-2 OPS-3', head: 'feature/x', commits: 0 })
const RULES = 'transitions: [{ on: pull_request.opened, to: In Progress }]\nkeys: { from: [title] }\ncomment: "started"'
const SEARCH = '/rest/api/3/search/jql'

let world: ActionWorld
beforeEach(async () => {
  world = await startActionWorld({ personality: 'cloud' })
})
afterEach(() => world.close())

const run = () => world.run({ eventName: 'pull_request', payload: OPENED, config: RULES })
const statuses = () => ['PROJ-1', 'PROJ-2', 'OPS-3'].map((key) => world.jira.issue(key).status)

describe('Jira answers', () => {
  it('429 with Retry-After on the read: waits as told, reads again, moves everything', async () => {
    world.jira.inject({ method: 'POST', path: SEARCH, kind: 'status', status: 429, headers: { 'retry-after': '1', 'ratelimit-reason': 'jira-quota-global-based' }, times: 1 })
    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(statuses()).toEqual(['In Progress', 'In Progress', 'In Progress'])
    expect(result.stdout).toMatch(/Waiting 1 s/)
    const searches = world.jira.log.filter((entry) => entry.path === SEARCH)
    expect(searches.map((entry) => entry.status)).toEqual([429, 200])
    expect((searches[1]?.at ?? 0) - (searches[0]?.at ?? 0)).toBeGreaterThanOrEqual(900)
    expectNoLeaks(result.written, world.secrets)
  })

  it('503 with Retry-After on a write: re-reads the issue before writing again, and the comment lands once', async () => {
    world.jira.inject({ method: 'POST', path: '/rest/api/3/issue/PROJ-2/transitions', kind: 'status', status: 503, headers: { 'retry-after': '1' }, times: 1 })
    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(statuses()).toEqual(['In Progress', 'In Progress', 'In Progress'])
    expect(world.jira.issue('PROJ-2').comments.map((comment) => comment.text)).toEqual(['started'])
    const forProj2 = world.jira.log.filter((entry) => entry.path.includes('PROJ-2')).map((entry) => `${entry.method} ${entry.status}`)
    expect(forProj2).toEqual(['POST 503', 'GET 200', 'POST 204'])
    expectNoLeaks(result.written, world.secrets)
  })

  it('a write that keeps failing with 503 is tried a bounded number of times, then fails that issue alone', async () => {
    world.jira.inject({ method: 'POST', path: '/rest/api/3/issue/OPS-3/transitions', kind: 'status', status: 503, headers: { 'retry-after': '0' }, times: 100 })
    const result = await run()
    expect(result.exitCode).toBe(1)
    expect(keysOf(result, 'transitioned')).toEqual(['PROJ-1', 'PROJ-2'])
    expect(keysOf(result, 'failed')).toEqual(['OPS-3'])
    expect(world.jira.log.filter((entry) => entry.method === 'POST' && entry.path.includes('OPS-3'))).toHaveLength(3)
    expectNoLeaks(result.written, world.secrets)
  })

  it('403 and 404 on single issues fail those issues; the rest move', async () => {
    world.jira.inject({ method: 'POST', path: '/rest/api/3/issue/PROJ-1/transitions', kind: 'status', status: 403, body: { errorMessages: ['You do not have permission to transition this issue.'], errors: {} } })
    world.jira.inject({ method: 'POST', path: '/rest/api/3/issue/OPS-3/transitions', kind: 'status', status: 404, body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} } })
    const result = await run()
    expect(result.exitCode).toBe(1)
    expect(statuses()).toEqual(['To Do', 'In Progress', 'To Do'])
    const failed = outputList(result, 'failed')
    expect(failed.map((item) => item.key)).toEqual(['PROJ-1', 'OPS-3'])
    expect(failed[0]?.reason).toMatch(/permission/i)
    expect(errorsOf(result).some((line) => line.includes('2 issue(s) could not be moved'))).toBe(true)
    expectNoLeaks(result.written, world.secrets)
  })

  it('a credential that may browse but not transition in one project: that project’s issues fail with the reason', async () => {
    const partial = world.jira.addUser({ name: 'partial', projects: { PROJ: ['BROWSE_PROJECTS', 'TRANSITION_ISSUES', 'ADD_COMMENTS'], OPS: ['BROWSE_PROJECTS'] } })
    const token = world.jira.issueApiToken(partial)
    world.secrets.push({ secret: token, user: partial.email })
    const result = await world.run({ eventName: 'pull_request', payload: OPENED, config: RULES, inputs: { 'jira-email': partial.email, 'jira-api-token': token } })
    expect(statuses()).toEqual(['In Progress', 'In Progress', 'To Do'])
    expect(outputList(result, 'failed')[0]?.reason).toContain('Transition Issues permission')
    expectNoLeaks(result.written, world.secrets)
  })

  it('200 with an HTML login page: an error that says what Jira sent, without the page', async () => {
    world.jira.inject({ method: 'POST', path: SEARCH, kind: 'html-login' })
    const result = await run()
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)).toHaveLength(1)
    expect(errorsOf(result)[0]).toMatch(/HTML|login/i)
    expect(result.written.join('\n')).not.toMatch(/<html|<form/i)
    expect(statuses()).toEqual(['To Do', 'To Do', 'To Do'])
    expectNoLeaks(result.written, world.secrets)
  })

  it('malformed JSON: an error, the body not logged, nothing changed', async () => {
    world.jira.inject({ method: 'POST', path: SEARCH, kind: 'malformed-json' })
    const result = await run()
    expect(result.exitCode).toBe(1)
    expect(errorsOf(result)[0]).toMatch(/JSON|answer/i)
    expect(result.written.join('\n')).not.toContain('{"issues": [')
    expect(statuses()).toEqual(['To Do', 'To Do', 'To Do'])
    expectNoLeaks(result.written, world.secrets)
  })

  it('a redirect to another host never carries the Authorization header there', async () => {
    const foreign = await startSandboxServer({ name: 'foreign host', router: new Router(), host: '127.0.0.2' })
    try {
      world.jira.inject({ method: 'POST', path: SEARCH, kind: 'redirect', status: 307, location: `${foreign.url}${SEARCH}` })
      const result = await run()
      expect(result.exitCode).toBe(1)
      expect(foreign.log.every((entry) => entry.authorization === undefined)).toBe(true)
      expect(statuses()).toEqual(['To Do', 'To Do', 'To Do'])
      expectNoLeaks(result.written, world.secrets)
    } finally {
      await foreign.close()
    }
  })

  it('a dropped connection on the read is retried; the issues move', async () => {
    world.jira.inject({ method: 'POST', path: SEARCH, kind: 'drop', times: 1 })
    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(statuses()).toEqual(['In Progress', 'In Progress', 'In Progress'])
  })
})
