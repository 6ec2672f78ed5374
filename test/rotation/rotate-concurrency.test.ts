// Five rotations of one target at once: exactly one rotates, the others say which rotation holds the lock.
import { afterAll, expect, test } from 'vitest'
import { fingerprintOf } from '../../src/core/fingerprint.ts'
import { expectNothingLeaked, expectStoredCredentialLive } from './support/rotation-checks.ts'
import { startRotationWorld, type RotationWorld } from './support/rotation-world.ts'

let world: RotationWorld | undefined
afterAll(() => world?.close())

test('5 concurrent rotations of one target: one rotates, four report the holder, one new PAT exists', async () => {
  world = await startRotationWorld({ provider: 'dc-pat' })
  const original = world.storedValue() ?? ''
  const runs = await Promise.all(Array.from({ length: 5 }, () => world!.rotate({ command: 'rotate' })))
  const winners = runs.filter((run) => run.outputs.rotated === 'true')
  const losers = runs.filter((run) => run.outputs.rotated !== 'true')
  expect(runs.map((run) => run.exitCode)).toEqual([0, 0, 0, 0, 0])
  expect(winners).toHaveLength(1)
  const rotationId = world.state()?.rotation?.id ?? world.state()?.last?.rotationId
  expect(rotationId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/)
  for (const loser of losers) {
    expect(loser.stdout).toContain(`rotation ${rotationId} holds the lock for JIRA_PAT`)
    expect(loser.summary).toContain(`Another rotation (${rotationId}) holds the lock`)
  }
  const stored = expectStoredCredentialLive(world)
  expect(winners[0]?.outputs.fingerprint).toBe(fingerprintOf(stored))
  expect(world.jira.pats(world.jira.user('demo')).filter((pat) => pat.name.startsWith('jira-warden:'))).toHaveLength(1)
  expect(world.jira.credentialState(original)).toBe('live')
  expect(world.auditEntries().filter((entry) => entry.event === 'rotation.intent')).toHaveLength(1)
  expect(Object.keys(world.github.refs('acme/shop')).filter((ref) => ref.startsWith('refs/jira-warden/'))).toEqual([])
  expectNothingLeaked(world, runs)
}, 60_000)
