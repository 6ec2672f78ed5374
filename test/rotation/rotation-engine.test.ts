import { afterAll, describe, expect, test } from 'vitest'
import { advance, startRotationRun } from '../../src/core/rotation/rotation-machine.ts'
import { emptyRotationState, mintedCredentialName, readRotationState, serializeRotationState, type RotationProviderName } from '../../src/core/rotation/rotation-state.ts'
import { violationsAfterAnyRun, violationsWhenSettled } from './support/engine-invariants.ts'
import { DAY, EffectCounter, EngineWorld, HOUR, observedOf, POLICY, runEngine, type Fault } from './support/engine-world.ts'

const T0 = new Date('2026-03-02T06:00:00.000Z')
/** A cron run now, one an hour later, then past the grace, and again: enough for any fault to be repaired. */
const RUN_GAPS = [0, HOUR, 26 * HOUR, HOUR, 26 * HOUR, HOUR, 26 * HOUR, HOUR]

interface ScenarioResult {
  world: EngineWorld
  counter: EffectCounter
  violations: string[]
}

function scenario(provider: RotationProviderName, options: { fault?: Fault; adminKey?: boolean } = {}): ScenarioResult {
  const world = new EngineWorld(provider, T0)
  world.adminKey = options.adminKey ?? true
  const counter = new EffectCounter()
  const violations: string[] = []
  RUN_GAPS.forEach((gap, run) => {
    world.advanceClock(gap)
    // The admins answer an open request by staging the next credential.
    if (world.minting === 'assisted' && world.request?.open && !world.staging) world.stageNext()
    runEngine(world, 'auto', { counter, ...(options.fault ? { fault: options.fault } : {}) })
    violations.push(...violationsAfterAnyRun(world).map((problem) => `after run ${run + 1}: ${problem}`))
  })
  violations.push(...violationsWhenSettled(world, { manualRevocation: world.minting === 'assisted' && !world.adminKey }).map((problem) => `settled: ${problem}`))
  return { world, counter, violations }
}

const PROVIDERS: Array<{ provider: RotationProviderName; adminKey: boolean; label: string }> = [
  { provider: 'dc-pat', adminKey: true, label: 'dc-pat' },
  { provider: 'cloud-api-token', adminKey: true, label: 'cloud-api-token (admin key)' },
  { provider: 'cloud-api-token', adminKey: false, label: 'cloud-api-token (no admin key)' },
  { provider: 'cloud-oauth-client', adminKey: false, label: 'cloud-oauth-client' },
]

const table: string[] = []

describe.each(PROVIDERS)('$label: every effect × every outcome', ({ provider, adminKey, label }) => {
  const clean = scenario(provider, { adminKey })
  const cases = clean.counter.performed.flatMap((step) =>
    (['failure', 'timeout', 'crash'] as const).map((outcome) => ({ ...step, outcome })),
  )

  test('without faults: rotates once, revokes the old credential after the grace, audits every step', () => {
    expect(clean.violations).toEqual([])
    const effects = clean.counter.performed.map((step) => step.effect)
    expect(effects).toContain('store')
    expect(clean.world.audit.map((entry) => entry.event)).toEqual(
      adminKey ? ['rotation.intent', 'rotation.completed', 'credential.revoked'] : ['rotation.intent', 'rotation.completed'],
    )
    expect(clean.world.secret?.value).not.toBe(clean.world.credentials[0]?.value)
    table.push(`${label.padEnd(32)} #--  ${'(no fault)'.padEnd(24)} ${'ok'.padEnd(8)} ${'invariants hold'}`)
  })

  test.each(cases)('effect #$index $effect (phase $phase) → $outcome, then normal runs', ({ index, effect, phase, outcome }) => {
    const result = scenario(provider, { adminKey, fault: { at: index, outcome } })
    table.push(
      `${label.padEnd(32)} #${String(index).padStart(2, '0')}  ${`${effect} @${phase}`.padEnd(24)} ${outcome.padEnd(8)} ${result.violations.length === 0 ? 'invariants hold' : `VIOLATED: ${result.violations.join('; ')}`}`,
    )
    expect(result.violations).toEqual([])
  })
})

afterAll(() => {
  console.log(['', 'rotation engine: fault table (provider, effect index, effect @ phase, outcome, result)', ...table, `${table.length} cases`].join('\n'))
})

describe('commands', () => {
  test('status and dry-run perform nothing and say what would happen', () => {
    const world = new EngineWorld('dc-pat', T0)
    expect(runEngine(world, 'status').effects).toEqual([])
    const dry = runEngine(world, 'auto', { policy: { dryRun: true } })
    expect(dry.effects).toEqual([])
    expect(dry.machine.run.notes.join('\n')).toMatch(/dry-run: would rotate the credential \(the credential is due: it is 40 days old/)
    expect(world.stateText).toBeUndefined()
    expect(world.credentials).toHaveLength(1)
  })

  test('auto verifies a credential that is not due', () => {
    const world = new EngineWorld('dc-pat', T0)
    world.credentials[0]!.createdAt = new Date(T0.getTime() - 2 * DAY).toISOString()
    const result = runEngine(world, 'auto')
    expect(result.effects.map((effect) => effect.type)).toEqual(['save', 'verify'])
    expect(result.machine.run.notes).toContain('the current credential works')
  })

  test('auto rotates a young credential that expires within the margin', () => {
    const world = new EngineWorld('dc-pat', T0)
    world.credentials[0]!.createdAt = new Date(T0.getTime() - 2 * DAY).toISOString()
    world.credentials[0]!.expiresAt = new Date(T0.getTime() + 5 * DAY).toISOString()
    const result = runEngine(world, 'auto')
    expect(result.machine.run.rotated).toBe(true)
    expect(world.audit[0]?.outcome).toMatch(/expires in 5 days/)
  })

  test('verify fails the run when Jira refuses the current credential, and changes nothing', () => {
    const world = new EngineWorld('dc-pat', T0)
    world.credentials[0]!.alive = false
    const result = runEngine(world, 'verify')
    expect(result.machine.run.failed).toBe(true)
    expect(result.effects.map((effect) => effect.type)).toEqual(['save', 'verify'])
    expect(world.credentials).toHaveLength(1)
  })

  test('finish ends the grace at once; rotate during a grace keeps the older credential until its own grace ends', () => {
    const world = new EngineWorld('dc-pat', T0)
    runEngine(world, 'rotate')
    const first = world.byValue(world.secret?.value)!
    world.advanceClock(HOUR)
    runEngine(world, 'rotate')
    const original = world.credentials[0]!
    expect(original.alive).toBe(true)
    expect(first.alive).toBe(true)
    world.advanceClock(23.5 * HOUR)
    runEngine(world, 'auto')
    expect(original.alive).toBe(false)
    expect(first.alive).toBe(true)
    runEngine(world, 'finish')
    expect(first.alive).toBe(false)
    expect(violationsWhenSettled(world, { manualRevocation: false })).toEqual([])
  })

  test('an unwritable audit trail means no rotation', () => {
    const world = new EngineWorld('dc-pat', T0)
    const counter = new EffectCounter()
    const result = runEngine(world, 'rotate', { counter, fault: { at: 1, outcome: 'failure' } })
    expect(counter.performed[1]?.effect).toBe('audit')
    expect(result.machine.run.problems.join('\n')).toMatch(/no audit trail, no rotation/)
    expect(world.credentials).toHaveLength(1)
    expect(world.history.some((entry) => entry.what.startsWith('mint'))).toBe(false)
  })

  test("another repository's minted PATs of the same Jira user are never this target's orphans", () => {
    const world = new EngineWorld('dc-pat', T0)
    const foreign = world.issue({ minted: true, name: mintedCredentialName('20260301T000000Z-0a0b0c') })
    runEngine(world, 'rotate')
    runEngine(world, 'finish')
    runEngine(world, 'auto')
    expect(foreign.alive).toBe(true)
    expect(world.secret?.value).not.toBe(foreign.value)
    expect(world.audit.filter((entry) => entry.event === 'credential.revoked').map((entry) => entry.fingerprint)).not.toContain(foreign.fingerprint)
  })

  test('an automatic rotation does not replace a credential it could not identify (it could never revoke it)', () => {
    const world = new EngineWorld('dc-pat', T0)
    const step = startRotationRun(emptyRotationState({ provider: 'dc-pat', secret: 'JIRA_TOKEN', scope: 'repo' }), 'rotate', POLICY, {
      provider: 'dc-pat',
      minting: 'automatic',
      rotationId: '20260302T060000Z-abcdef',
      current: { fingerprint: world.credentials[0]!.fingerprint },
      staged: undefined,
      secretUpdatedAt: undefined,
      minted: [],
    }, T0)
    expect(step.effects.map((effect) => effect.type)).toEqual(['save'])
    const next = advance(step.machine, { type: 'saved' }, T0)
    expect(next.effects).toEqual([])
    expect(next.machine.run.failed).toBe(true)
    expect(next.machine.run.problems.join('\n')).toMatch(/could not be identified in Jira.*not rotating this run/)
  })

  test('assisted rotate without a staged credential asks the admins once per run', () => {
    const world = new EngineWorld('cloud-api-token', T0)
    const result = runEngine(world, 'rotate')
    expect(result.effects.map((effect) => effect.type)).toEqual(['save', 'request-credential', 'save'])
    expect(world.request?.open).toBe(true)
  })

  test('a refused staged credential is revoked, the staging secret deleted, and the current one kept', () => {
    const world = new EngineWorld('cloud-api-token', T0)
    const staged = world.stageNext()
    staged.alive = false
    const current = world.secret?.value
    const result = runEngine(world, 'auto')
    expect(result.machine.run.failed).toBe(true)
    expect(world.secret?.value).toBe(current)
    expect(world.staging).toBeUndefined()
    expect(world.audit.map((entry) => entry.event)).toEqual(['rotation.intent', 'rotation.failed', 'credential.revoked'])
  })
})

describe('the state variable', () => {
  const target = { provider: 'dc-pat' as const, secret: 'JIRA_TOKEN', scope: 'repo' }

  test('round-trips and refuses a different target', () => {
    const state = { ...emptyRotationState(target), current: { fingerprint: 'abcdef012345', id: '17', name: 'CI token', createdAt: T0.toISOString() } }
    expect(readRotationState(serializeRotationState(state), target)).toEqual({ ok: true, state })
    const other = readRotationState(serializeRotationState(state), { ...target, secret: 'OTHER' })
    expect(other.ok).toBe(false)
  })

  test.each([
    ['a value field', { value: 'x' }],
    ['a token as the id', { id: 'NjE3MzY4OTk2NTc0OkzgqTqHfHkQK1AvYzRz9jxT2ClK' }],
    ['a token in the name', { name: 'token ATATT3xFfGF0aB1cD2eF3gH4iJ5kL6mN7oP8' }],
    ['a base64 Basic header in the name', { name: Buffer.from('me@example.com:ATATT3xFfGF0aB1cD2').toString('base64') }],
    ['a fingerprint that is not one', { fingerprint: 'not-a-fingerprint' }],
  ])('refuses %s in a credential record', (_name, change) => {
    const state = { ...emptyRotationState(target), current: { fingerprint: 'abcdef012345', ...change } }
    expect(() => serializeRotationState(state as never)).toThrow(/refusing to save an invalid rotation state/)
    expect(readRotationState(JSON.stringify(state), target).ok).toBe(false)
  })

  test.each([
    ['not JSON', '{', /not JSON/],
    ['another version', '{"v":2}', /version 2/],
    ['an unknown key', JSON.stringify({ ...emptyRotationState(target), secretValue: 'x' }), /not a valid rotation state/],
  ])('a variable that is %s is a clear error', (_name, text, message) => {
    const reading = readRotationState(text, target)
    expect(reading.ok).toBe(false)
    if (!reading.ok) expect(reading.problem).toMatch(message)
  })

  test('a run started on a fresh state records the credential it holds, never its value', () => {
    const world = new EngineWorld('dc-pat', T0)
    const step = startRotationRun(emptyRotationState(target), 'status', POLICY, {
      provider: 'dc-pat',
      minting: 'automatic',
      rotationId: '20260302T060000Z-abcdef',
      current: observedOf(world.credentials[0]!),
      staged: undefined,
      secretUpdatedAt: undefined,
      minted: [],
    }, T0)
    expect(step.machine.saved.current?.fingerprint).toBe(world.credentials[0]!.fingerprint)
    expect(serializeRotationState(step.machine.saved)).not.toContain(world.credentials[0]!.value)
  })
})
