/** Outcome checks shared by the rotate action's end-to-end tests: what must hold in the sandboxes after a run. */
import { expect } from 'vitest'
import { fingerprintOf } from '../../../src/core/fingerprint.ts'
import type { ActionRun } from '../../../sandbox/actions-runner.ts'
import { expectNoLeaks } from '../../support/leak-scan.ts'
import type { RotationWorld } from './rotation-world.ts'

/** The secret holds a credential the Jira sandbox accepts. */
export function expectStoredCredentialLive(world: RotationWorld): string {
  const stored = world.storedValue()
  expect(stored, 'the secret exists').toBeDefined()
  expect(world.jira.credentialState(stored ?? ''), 'the stored credential is accepted by Jira').toBe('live')
  return stored ?? ''
}

/** Nothing any test saw is in anything the run wrote or anything on GitHub people can read, and the state is only shaped data. */
export function expectNothingLeaked(world: RotationWorld, runs: readonly ActionRun[]): void {
  const secrets = world.secrets()
  expectNoLeaks([...runs.map((run) => run.everything), world.githubText()], secrets)
  const state = world.stateText()
  if (state !== undefined) {
    for (const { secret } of secrets) expect(state.includes(secret), 'the state variable holds a credential value').toBe(false)
  }
}

/** Every audit entry names credentials by fingerprint only, and the rotation's steps are all there. */
export function expectAudited(world: RotationWorld, events: readonly string[]): void {
  const entries = world.auditEntries()
  for (const event of events) expect(entries.map((entry) => entry.event), `an audit entry ${event}`).toContain(event)
  for (const entry of entries) if (entry.fingerprint) expect(entry.fingerprint).toMatch(/^[0-9a-f]{12}$/)
}

export function fingerprint(value: string | undefined): string {
  return fingerprintOf(value ?? '')
}
