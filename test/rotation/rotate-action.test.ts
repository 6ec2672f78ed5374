// The built rotate action (dist/rotate/index.js), run as the runner would, against the Jira and GitHub sandboxes, for every provider and scope.
import { afterEach, describe, expect, test } from 'vitest'
import { fingerprintOf } from '../../src/core/fingerprint.ts'
import type { ActionRun } from '../../sandbox/actions-runner.ts'
import { expectAudited, expectNothingLeaked, expectStoredCredentialLive } from './support/rotation-checks.ts'
import { CRASH_AFTER_STEP, REPOSITORY, SIBLING_REPOSITORY, startRotationWorld, type RotationWorld, type WorldOptions } from './support/rotation-world.ts'

let world: RotationWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

async function open(options: WorldOptions): Promise<RotationWorld> {
  world = await startRotationWorld(options)
  return world
}

describe('dc-pat: fully automatic', () => {
  test.each(['repo', 'environment:production', 'org'] as const)('auto rotates a PAT that expires soon (secret scope %s), finish revokes the old one', async (scope) => {
    const w = await open({ provider: 'dc-pat', scope })
    const original = w.storedValue() ?? ''
    const runs: ActionRun[] = []

    const rotation = await w.rotate()
    runs.push(rotation)
    expect(rotation.exitCode, rotation.stdout).toBe(0)
    const stored = expectStoredCredentialLive(w)
    expect(stored).not.toBe(original)
    expect(rotation.outputs).toMatchObject({ rotated: 'true', fingerprint: fingerprintOf(stored), 'previous-fingerprint': fingerprintOf(original) })
    expect(w.jira.credentialState(original), 'the old PAT stays valid through the grace period').toBe('live')
    expect(w.state()).toMatchObject({ current: { fingerprint: fingerprintOf(stored) }, previous: { credential: { fingerprint: fingerprintOf(original) } }, rotation: { phase: 'finish' } })
    expect(w.jira.pats(w.jira.user('demo')).map((pat) => pat.name).sort()).toEqual(['installed by hand', `jira-warden:${w.state()?.rotation?.id}`])
    expect(rotation.summary).toContain(fingerprintOf(stored))
    expect(rotation.masked, 'the minted PAT is masked').toContain(stored)
    if (scope === 'org') expect(w.github.secret({ org: 'acme' }, w.secretName)).toMatchObject({ visibility: 'selected', selectedRepositories: [REPOSITORY, SIBLING_REPOSITORY] })
    expect(rotation.masked, 'the credential the run holds is masked').toContain(original)

    const finish = await w.rotate({ command: 'finish' })
    runs.push(finish)
    expect(finish.exitCode, finish.stdout).toBe(0)
    expect(w.jira.credentialState(original)).toBe('revoked')
    expect(expectStoredCredentialLive(w)).toBe(stored)
    expect(w.state()?.previous).toBeUndefined()
    expect(w.state()?.rotation).toBeUndefined()
    expect(w.state()?.last).toMatchObject({ outcome: 'completed' })
    expectAudited(w, ['rotation.intent', 'rotation.completed', 'credential.revoked'])
    expect(w.auditEntries().find((entry) => entry.event === 'credential.revoked')?.fingerprint).toBe(fingerprintOf(original))
    expectNothingLeaked(w, runs)
  })

  test('the previous PAT is revoked by the first auto run after its grace ends, not before', async () => {
    const w = await open({ provider: 'dc-pat' })
    const original = w.storedValue() ?? ''
    const runs = [await w.rotate({ grace: '2s' })]
    runs.push(await w.rotate({ grace: '2s' }))
    expect(w.jira.credentialState(original)).toBe('live')
    await new Promise((resolve) => setTimeout(resolve, 2_100))
    runs.push(await w.rotate({ grace: '2s' }))
    expect(runs.map((run) => run.exitCode)).toEqual([0, 0, 0])
    expect(w.jira.credentialState(original)).toBe('revoked')
    expect(runs[1]?.outputs.rotated).toBe('false')
    expectStoredCredentialLive(w)
    expectNothingLeaked(w, runs)
  })

  test('status, verify and dry-run change nothing', async () => {
    const w = await open({ provider: 'dc-pat' })
    const original = w.storedValue()
    const runs = [await w.rotate({ command: 'status' }), await w.rotate({ 'dry-run': 'true' }), await w.rotate({ command: 'verify' })]
    expect(runs.map((run) => run.exitCode)).toEqual([0, 0, 0])
    expect(runs[1]?.stdout).toMatch(/dry-run: would rotate the credential \(the credential is due: it expires in/)
    expect(runs[2]?.stdout).toContain('the current credential works (as Demo User)')
    expect(w.storedValue()).toBe(original)
    expect(w.jira.pats(w.jira.user('demo'))).toHaveLength(1)
    expect(w.auditEntries()).toEqual([])
    expect(runs.map((run) => run.outputs.rotated)).toEqual(['false', 'false', 'false'])
    expectNothingLeaked(w, runs)
  })

  test('a refused current credential: verify fails the step naming the fix, nothing is minted', async () => {
    const w = await open({ provider: 'dc-pat' })
    w.jira.revoke(w.storedValue() ?? '')
    const run = await w.rotate({ command: 'verify' })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/::error::.*refuses the current credential/)
    expect(w.jira.pats(w.jira.user('demo'))).toHaveLength(0)
    expectNothingLeaked(w, [run])
  })
})

describe('cloud-api-token: assisted', () => {
  test.each([true, false])('asks, promotes the staged token, deletes the staging secret; finish revokes the old one (admin key: %s) or reminds', async (adminKey) => {
    const w = await open({ provider: 'cloud-api-token', adminKey })
    const original = w.storedValue() ?? ''
    const runs: ActionRun[] = []

    // With an admin key the token's expiry is known and makes it due; without, only its age since first seen is, so ask.
    runs.push(await w.rotate(adminKey ? {} : { command: 'rotate' }))
    expect(runs[0]?.exitCode, runs[0]?.stdout).toBe(0)
    const request = w.github.issues(REPOSITORY).find((issue) => issue.labels.includes('jira-warden:rotation-request'))
    expect(request?.state).toBe('open')
    expect(request?.body).toMatch(/gh secret set JIRA_API_TOKEN_NEXT --repo acme\/shop/)
    expect(w.storedValue()).toBe(original)

    const next = w.stageNext()
    runs.push(await w.rotate())
    expect(runs[1]?.exitCode, runs[1]?.stdout).toBe(0)
    expect(runs[1]?.masked, 'both credentials the run holds are masked, and the Basic header made of each').toEqual(
      expect.arrayContaining([original, next, Buffer.from(`demo@example.com:${next}`).toString('base64')]),
    )
    expect(runs[1]?.outputs.rotated).toBe('true')
    expect(expectStoredCredentialLive(w)).toBe(next)
    expect(w.stagedValue(), 'the staging secret is deleted').toBeUndefined()
    expect(w.github.issues(REPOSITORY).find((issue) => issue.number === request?.number)?.state).toBe('closed')

    runs.push(await w.rotate({ command: 'finish' }))
    expect(runs[2]?.exitCode, runs[2]?.stdout).toBe(0)
    if (adminKey) {
      expect(w.jira.credentialState(original)).toBe('revoked')
      expectAudited(w, ['rotation.intent', 'rotation.completed', 'credential.revoked'])
    } else {
      expect(w.jira.credentialState(original), 'no API can revoke it: a person must').toBe('live')
      const reminder = w.github.issues(REPOSITORY).flatMap((issue) => [issue.body ?? '', ...issue.comments.map((comment) => comment.body)]).find((text) => text.includes('Please revoke'))
      expect(reminder).toContain(fingerprintOf(original))
      expectAudited(w, ['rotation.intent', 'rotation.completed'])
    }
    expect(w.state()?.previous).toBeUndefined()
    expectNothingLeaked(w, runs)
  })

  test('a staged token Jira refuses is not promoted: the current one stays, the failure is audited', async () => {
    const w = await open({ provider: 'cloud-api-token', adminKey: true })
    const original = w.storedValue()
    const next = w.stageNext()
    w.jira.revoke(next)
    const run = await w.rotate()
    expect(run.exitCode).toBe(1)
    expect(w.storedValue()).toBe(original)
    expect(w.stagedValue()).toBeUndefined()
    expectAudited(w, ['rotation.intent', 'rotation.failed'])
    expectNothingLeaked(w, [run])
  })
})

describe('cloud-oauth-client: assisted', () => {
  test('promotes a regenerated client secret; the old one is refused and the admins reminded', async () => {
    const w = await open({ provider: 'cloud-oauth-client' })
    const original = w.storedValue() ?? ''
    const next = w.stageNext()
    const runs = [await w.rotate()]
    expect(runs[0]?.exitCode, runs[0]?.stdout).toBe(0)
    expect(expectStoredCredentialLive(w)).toBe(next)
    expect(w.stagedValue()).toBeUndefined()
    runs.push(await w.rotate({ command: 'finish' }))
    expect(runs[1]?.exitCode, runs[1]?.stdout).toBe(0)
    expect(w.jira.credentialState(original)).not.toBe('live')
    expect(w.state()?.previous).toBeUndefined()
    expectAudited(w, ['rotation.intent', 'rotation.completed'])
    expectNothingLeaked(w, runs)
  })
})

test('cancelled (SIGINT) mid-rotation: stops between steps, gives the lock back, and the next run finishes the rotation', async () => {
  const w = await open({ provider: 'dc-pat' })
  const original = w.storedValue() ?? ''
  const cancelled = await w.rotate({ command: 'rotate' }, { env: { JIRA_WARDEN_TEST_CRASH_AFTER: '4', JIRA_WARDEN_TEST_SIGNAL: 'SIGINT' }, preload: [CRASH_AFTER_STEP] })
  expect(cancelled.exitCode).toBe(1)
  expect(cancelled.stdout).toMatch(/Received SIGINT: stopping after the current step/)
  expect(cancelled.stdout).toMatch(/::error::The rotation did not complete: .*cancelled after step \d+; the next run resumes from phase (mint|test)/)
  expect(Object.keys(w.github.refs(REPOSITORY)).filter((ref) => ref.startsWith('refs/jira-warden/')), 'the lock was given back').toEqual([])
  expect(w.storedValue()).toBe(original)
  const next = await w.rotate({ command: 'auto' })
  expect(next.exitCode, next.stdout).toBe(0)
  expect(next.outputs.rotated).toBe('true')
  expectStoredCredentialLive(w)
  expect(w.jira.pats(w.jira.user('demo')).filter((pat) => pat.name.startsWith('jira-warden:')), 'the PAT minted before the cancel was revoked').toHaveLength(1)
  expectNothingLeaked(w, [cancelled, next])
})

test('a secondary rate limit pauses the run, which then completes', async () => {
  const w = await open({ provider: 'dc-pat' })
  w.github.setSecondaryRateLimit({ perMinute: 6, retryAfterSeconds: 1 })
  const running = w.rotate({ command: 'rotate' })
  // The limit lifts a while after the first refusal, as GitHub's window moves on.
  while (w.github.secondaryRateLimitHits() === 0) await new Promise((resolve) => setTimeout(resolve, 50))
  await new Promise((resolve) => setTimeout(resolve, 2_500))
  const hits = w.github.secondaryRateLimitHits()
  w.github.setSecondaryRateLimit(undefined)
  const run = await running
  expect(run.exitCode, run.stdout).toBe(0)
  expect(hits).toBeGreaterThan(1)
  expect(run.stdout).toMatch(/GitHub secondary rate limit: pausing 1 s/)
  expectStoredCredentialLive(w)
  expectNothingLeaked(w, [run])
})
