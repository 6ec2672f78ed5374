// The built action on real payloads against the sandboxes: issues move as the rules say, once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseAuditComment } from '../../src/core/audit-entry.ts'
import { fingerprintOf } from '../../src/core/fingerprint.ts'
import { deploymentStatusPayload, pullRequestPayload, realPayload, onRepository, reviewPayload } from '../../sandbox/webhook-examples.ts'
import { REPOSITORY, keysOf, outputList, startActionWorld, type ActionWorld } from '../support/action-world.ts'
import { expectNoLeaks } from '../support/leak-scan.ts'

const PULL_REQUEST = { repository: REPOSITORY, number: 7, title: 'PROJ-1: checkout with saved cards', head: 'feature/PROJ-2-card-vault', commits: 2 }

describe('a pull request’s life (Cloud, api token)', () => {
  let world: ActionWorld
  beforeEach(async () => {
    world = await startActionWorld({ personality: 'cloud' })
    world.github.addPullRequest(REPOSITORY, {
      number: 7,
      title: PULL_REQUEST.title,
      head: PULL_REQUEST.head,
      commits: [{ message: 'PROJ-1 store cards in the vault' }, { message: 'OPS-3 add the vault migration\n\nAlso UTF-8 and SHA-256 (not issues).' }],
    })
  })
  afterEach(() => world.close())

  it('moves the keys of title, branch and commits through opened, approved, merged and deployed', async () => {
    const opened = await world.run({ eventName: 'pull_request', payload: pullRequestPayload('opened', PULL_REQUEST) })
    expect(opened.exitCode).toBe(0)
    expect(JSON.parse(opened.outputs['issue-keys'] ?? '[]')).toEqual(['PROJ-1', 'PROJ-2', 'OPS-3'])
    expect(statuses(world, ['PROJ-1', 'PROJ-2', 'OPS-3'])).toEqual(['In Progress', 'In Progress', 'In Progress'])

    await world.run({ eventName: 'pull_request_review', payload: reviewPayload('approved', PULL_REQUEST) })
    expect(statuses(world, ['PROJ-1', 'PROJ-2', 'OPS-3'])).toEqual(['In Review', 'In Review', 'In Review'])

    const merged = await world.run({ eventName: 'pull_request', payload: pullRequestPayload('closed', PULL_REQUEST, { merged: true }) })
    expect(keysOf(merged, 'transitioned')).toEqual(['PROJ-1', 'PROJ-2', 'OPS-3'])
    const done = world.jira.issue('PROJ-1')
    expect([done.status, done.resolution]).toEqual(['Done', 'Done'])
    expect(done.comments.at(-1)?.text).toBe('pull_request.closed by Codertocat')

    const deployed = await world.run({
      eventName: 'deployment_status',
      payload: deploymentStatusPayload(REPOSITORY, { state: 'success', environment: 'production', ref: 'feature/PROJ-2-card-vault' }),
    })
    expect(keysOf(deployed, 'transitioned')).toEqual(['PROJ-2'])
    expect(world.jira.issue('PROJ-2').status).toBe('Released')
    expect(world.jira.issue('PROJ-1').status).toBe('Done')
  })

  it('changes nothing on a second run of the same event, and says each issue is already there', async () => {
    const payload = pullRequestPayload('opened', PULL_REQUEST)
    await world.run({ eventName: 'pull_request', payload })
    const commentsAfterFirst = world.jira.issue('PROJ-1').comments.length
    const again = await world.run({ eventName: 'pull_request', payload })
    expect(again.exitCode).toBe(0)
    expect(keysOf(again, 'transitioned')).toEqual([])
    expect(outputList(again, 'skipped').map((item) => item.reason)).toEqual(Array(3).fill("already in 'In Progress'"))
    expect(world.jira.issue('PROJ-1').comments.length).toBe(commentsAfterFirst)
    expect(again.jiraRequests).toBe(1)
  })

  it('does nothing for a review that requests changes when only approvals have a rule', async () => {
    const run = await world.run({ eventName: 'pull_request_review', payload: reviewPayload('changes_requested', PULL_REQUEST) })
    expect(run.exitCode).toBe(0)
    expect(run.jiraRequests).toBe(0)
    expect(run.summary).toContain('No transition rule matches pull_request_review.submitted')
  })

  it('leaves a pull request closed without merging alone', async () => {
    const run = await world.run({ eventName: 'pull_request', payload: pullRequestPayload('closed', PULL_REQUEST, { merged: false }) })
    expect(run.exitCode).toBe(0)
    expect(run.jiraRequests).toBe(0)
    expect(world.jira.issue('PROJ-1').status).toBe('To Do')
  })

  it('moves the keys of a pushed branch and its commits (real push payload)', async () => {
    const payload = onRepository(realPayload('push', 4), REPOSITORY)
    payload.ref = 'refs/heads/feature/PROJ-7-login'
    payload.commits[0].message = 'OPS-4 sign-in throttling'
    const run = await world.run({ eventName: 'push', payload })
    expect(keysOf(run, 'transitioned')).toEqual(['PROJ-7', 'OPS-4'])
    expect(statuses(world, ['PROJ-7', 'OPS-4'])).toEqual(['In Progress', 'In Progress'])
  })

  it('releases with the tag as fix version on release.published', async () => {
    const config = `transitions:\n  - on: release.published\n    to: Done\n    fields: { resolution: Done }\n    fix-version: "{{ version }}"\n`
    await bringToReview(world)
    const payload = onRepository(realPayload('release', 0), REPOSITORY)
    payload.release.tag_name = 'v1.1'
    payload.release.name = 'PROJ-1 checkout'
    const run = await world.run({ eventName: 'release', payload, config, inputs: { 'key-sources': 'title' } })
    expect(keysOf(run, 'transitioned')).toEqual(['PROJ-1'])
    const released = world.jira.issue('PROJ-1')
    expect([released.status, released.resolution, released.fixVersions]).toEqual(['Done', 'Done', ['v1.1']])
  })

  it('names the field a transition screen needs when the rule does not give it', async () => {
    await bringToReview(world)
    const run = await world.run({
      eventName: 'pull_request',
      payload: pullRequestPayload('closed', PULL_REQUEST, { merged: true }),
      config: 'transitions: [{ on: pull_request.closed, if: merged, to: Done }]',
    })
    expect(run.exitCode).toBe(1)
    const failures = outputList(run, 'failed')
    expect(failures.map((item) => item.key)).toEqual(['PROJ-1', 'PROJ-2', 'OPS-3'])
    expect(failures[0]?.reason).toContain("requires 'resolution'")
    expect(failures[0]?.reason).toContain('fields: { resolution: Done }')
    expect(world.jira.issue('PROJ-1').status).toBe('In Review')
    expectNoLeaks(run.written, world.secrets)
  })

  it('reports but changes nothing in a dry run', async () => {
    const run = await world.run({ eventName: 'pull_request', payload: pullRequestPayload('opened', PULL_REQUEST), inputs: { 'dry-run': 'true' } })
    expect(run.exitCode).toBe(0)
    expect(outputList(run, 'skipped').map((item) => item.reason)).toEqual(Array(3).fill("dry run: would transition via 'Start progress'").map((reason, index) => (index === 2 ? "dry run: would transition via 'Begin work'" : reason)))
    expect(statuses(world, ['PROJ-1', 'PROJ-2', 'OPS-3'])).toEqual(['To Do', 'To Do', 'To Do'])
  })

  it('writes one credential.used entry with the fingerprint, never the credential', async () => {
    const run = await world.run({ eventName: 'pull_request', payload: pullRequestPayload('opened', PULL_REQUEST) })
    const token = world.credentialInputs['jira-api-token'] ?? ''
    expect(run.outputs['credential-fingerprint']).toBe(fingerprintOf(token))
    const auditIssue = world.github.issues(REPOSITORY).find((issue) => issue.labels.includes('jira-warden:audit'))
    expect(auditIssue?.locked).toBe(true)
    const entries = (auditIssue?.comments ?? []).map((comment) => parseAuditComment(comment.body))
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({
      event: 'credential.used',
      fingerprint: fingerprintOf(token),
      issues: ['PROJ-1', 'PROJ-2', 'OPS-3'],
      repository: REPOSITORY,
      outcome: '3 transitioned, 0 skipped, 0 failed',
    })
    expect(run.summary).toContain(`<code>${fingerprintOf(token)}</code>`)
    const email = world.credentialInputs['jira-email'] ?? ''
    expect(run.masked).toEqual(expect.arrayContaining([token, Buffer.from(`${email}:${token}`).toString('base64')]))
    expectNoLeaks(run.written, world.secrets)
  })

  it('keeps the audit entry in the job summary when the token may not write issues', async () => {
    const readOnly = world.github.issueToken({ repositories: [REPOSITORY], permissions: { pull_requests: 'read', contents: 'read' } })
    const run = await world.run({ eventName: 'pull_request', payload: pullRequestPayload('opened', PULL_REQUEST), inputs: { 'github-token': readOnly } })
    expect(run.exitCode).toBe(0)
    expect(world.github.issues(REPOSITORY).some((issue) => issue.labels.includes('jira-warden:audit'))).toBe(false)
    expect(run.summary).toContain('audit entry not written')
    expect(run.summary).toContain('credential.used')
    expect(run.stdout).toContain('::warning::Audit entry not written')
  })
})

async function bringToReview(world: ActionWorld): Promise<void> {
  await world.run({ eventName: 'pull_request', payload: pullRequestPayload('opened', PULL_REQUEST) })
  await world.run({ eventName: 'pull_request_review', payload: reviewPayload('approved', PULL_REQUEST) })
  expect(world.jira.issue('PROJ-1').status).toBe('In Review')
}

function statuses(world: ActionWorld, keys: string[]): string[] {
  return keys.map((key) => world.jira.issue(key).status)
}
