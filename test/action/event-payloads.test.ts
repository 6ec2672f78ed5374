// RELIABILITY.md "Event payloads" and "Issue keys", through the built action on real and derived payloads.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deploymentStatusPayload, realPayload } from '../../sandbox/webhook-examples.ts'
import { derivedPayload } from '../core/payloads.ts'
import { REPOSITORY, keysOf, startActionWorld, type ActionWorld } from '../support/action-world.ts'
import { expectNoLeaks } from '../support/leak-scan.ts'

const RULES = `transitions:
  - { on: pull_request.opened, to: In Progress }
  - { on: deployment_status, if: success, environment: production, to: In Progress }
keys: { from: [title] }
`
/** A fork's or Dependabot's run: GitHub passes no secrets, so every credential input is empty. */
const NO_SECRETS = { 'jira-email': '', 'jira-api-token': '' }

let world: ActionWorld
beforeEach(async () => {
  world = await startActionWorld({ personality: 'cloud' })
})
afterEach(() => world.close())

describe('event payloads', () => {
  for (const [fixture, reason] of [
    ['pull_request.opened.fork.json', /fork/],
    ['pull_request.opened.dependabot.json', /Dependabot/i],
  ] as const) {
    it(`${fixture}: finishes neutrally with "credentials unavailable" and makes no Jira call`, async () => {
      const run = await world.run({ eventName: 'pull_request', payload: derivedPayload(fixture), config: RULES, inputs: NO_SECRETS })
      expect(run.exitCode).toBe(0)
      expect(run.summary).toMatch(/Credentials unavailable/)
      expect(run.summary).toMatch(reason)
      expect(world.jira.log).toHaveLength(0)
    })
  }

  it('without a credential on a run that should have one: fails, naming the inputs to set', async () => {
    const run = await world.run({ eventName: 'pull_request', payload: realPayload('pull_request', 0), config: RULES, inputs: NO_SECRETS })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/::error::No Jira credential was given\. Set jira-email \+ jira-api-token/)
    expect(world.jira.log).toHaveLength(0)
    expectNoLeaks(run.written, world.secrets)
  })

  it('a missing title: the title is skipped, and the run says there were no keys', async () => {
    const run = await world.run({ eventName: 'pull_request', payload: derivedPayload('pull_request.opened.missing-title.json'), config: RULES })
    expect(run.exitCode).toBe(0)
    expect(run.summary).toMatch(/No Jira issue keys found in title/)
    expect(world.jira.log).toHaveLength(0)
  })

  it('a null head repository (deleted fork): the run goes on with what the payload has', async () => {
    const payload = derivedPayload('pull_request.opened.null-head-repo.json') as { pull_request: { title: string } }
    payload.pull_request.title = 'PROJ-4 from a deleted fork'
    const run = await world.run({ eventName: 'pull_request', payload, config: RULES })
    expect(run.exitCode).toBe(0)
    expect(world.jira.issue('PROJ-4').status).toBe('In Progress')
  })

  it('an action jira-warden does not act on (labeled) is nothing to do, said once', async () => {
    const run = await world.run({ eventName: 'pull_request', payload: realPayload('pull_request', 8), config: RULES })
    expect(run.exitCode).toBe(0)
    expect(run.summary).toMatch(/Nothing to do/)
    expect(world.jira.log).toHaveLength(0)
  })

  it('the same deployment status delivered twice (a re-run) moves the issue once', async () => {
    const payload = deploymentStatusPayload(REPOSITORY, { state: 'success', environment: 'production', ref: 'release/PROJ-5-hotfix' })
    const config = RULES.replace('keys: { from: [title] }', 'keys: { from: [branch] }')
    const first = await world.run({ eventName: 'deployment_status', payload, config })
    const second = await world.run({ eventName: 'deployment_status', payload, config })
    expect(keysOf(first, 'transitioned')).toEqual(['PROJ-5'])
    expect(keysOf(second, 'transitioned')).toEqual([])
    expect(keysOf(second, 'skipped')).toEqual(['PROJ-5'])
    expect(world.jira.issue('PROJ-5').comments).toHaveLength(0)
    expect(world.jira.log.filter((entry) => entry.method === 'POST' && entry.path.endsWith('/transitions'))).toHaveLength(1)
  })

  it('a failed deployment moves nothing', async () => {
    const run = await world.run({ eventName: 'deployment_status', payload: derivedPayload('deployment_status.failure.json'), config: RULES })
    expect(run.exitCode).toBe(0)
    expect(world.jira.log).toHaveLength(0)
  })
})

describe('issue keys', () => {
  it('shell metacharacters and workflow commands in a title are inert: no log line starts with them, the keys still move', async () => {
    const run = await world.run({ eventName: 'pull_request', payload: derivedPayload('pull_request.opened.workflow-commands-in-title.json'), config: RULES })
    expect(run.exitCode).toBe(0)
    expect(keysOf(run, 'transitioned')).toEqual(['PROJ-1', 'PROJ-2', 'PROJ-3'])
    const lines = run.stdout.split('\n')
    expect(lines.filter((line) => /^::(stop-commands|error::boom|add-mask::PROJ)/.test(line))).toEqual([])
    expect(run.masked.some((value) => value.includes('PROJ'))).toBe(false)
    expect(run.outputs['issue-keys']).toBe('["PROJ-1","PROJ-2","PROJ-3"]')
  })

  it('UTF-8, SHA-256, ISO-8601 and CVE ids are not issues when projects are listed; look-alike digits do not match', async () => {
    const payload = realPayload('pull_request', 0)
    payload.pull_request.title = 'UTF-8 SHA-256 ISO-8601 CVE-2024-1234 PROJ-８ ОPS-9 PROJ-6'
    const run = await world.run({ eventName: 'pull_request', payload, config: `projects: [PROJ, OPS]\n${RULES}` })
    expect(JSON.parse(run.outputs['issue-keys'] ?? '')).toEqual(['PROJ-6'])
    expect(world.jira.issue('OPS-9').status).toBe('To Do')
  })

  it('thousands of keys in a 1 MB body: de-duplicated, capped at keys.max with a warning, one search', async () => {
    const payload = realPayload('pull_request', 0)
    const keys = Array.from({ length: 5_000 }, (_, index) => `PROJ-${(index % 3_000) + 1}`)
    payload.pull_request.body = `${keys.join(' ')} ${'-'.repeat(1_000_000)}`
    const run = await world.run({ eventName: 'pull_request', payload, config: RULES.replace('[title]', '[body]').replace('keys: {', 'keys: { max: 20,') })
    expect(JSON.parse(run.outputs['issue-keys'] ?? '')).toHaveLength(20)
    expect(run.stdout).toMatch(/::warning::Found more issue keys than keys\.max \(20\); 2980 were left out/)
    expect(run.jiraRequests).toBeLessThanOrEqual(21)
    expectNoLeaks(run.written, world.secrets)
  })
})
