/**
 * A small, exact world for the engine's table tests: Jira credentials that
 * are alive or revoked, one secret and its staging secret, the state
 * variable (changed only by a `save` effect), the audit trail, and the
 * request issue. A driver runs the engine against it, performing each
 * effect, and can make one effect fail, time out (the effect happens but
 * its answer is lost) or crash the run (the effect happens, then nothing).
 */
import { randomBytes } from 'node:crypto'
import type { AuditDraft, Minting, ObservedCredential, RotationCommand, RotationEffect, RotationEvent, RotationPolicy } from '../../../src/core/rotation/rotation-events.ts'
import { advance, startRotationRun, type RotationMachine } from '../../../src/core/rotation/rotation-machine.ts'
import { mintedCredentialName, readRotationState, rotationIdAt, serializeRotationState, type RotationProviderName } from '../../../src/core/rotation/rotation-state.ts'
import { fingerprintOf } from '../../../src/core/fingerprint.ts'

export const HOUR = 3_600_000
export const DAY = 24 * HOUR

export interface WorldCredential {
  value: string
  fingerprint: string
  id: string
  name: string
  createdAt: string
  expiresAt?: string
  alive: boolean
  minted: boolean
}

export type FaultOutcome = 'ok' | 'failure' | 'timeout' | 'crash'

export interface WorldEvent {
  seq: number
  what: string
}

export class EngineWorld {
  readonly provider: RotationProviderName
  readonly minting: Minting
  readonly credentials: WorldCredential[] = []
  secret: { value: string; updatedAt: string } | undefined
  staging: string | undefined
  stateText: string | undefined
  readonly savedTexts: string[] = []
  readonly audit: Array<AuditDraft & { seq: number }> = []
  readonly history: WorldEvent[] = []
  request: { issue: number; open: boolean; reminders: string[] } | undefined
  /** Whether revoking an assisted credential works by API (an admin key is configured). */
  adminKey = true
  now: Date
  #seq = 0
  #nextId = 100

  constructor(provider: RotationProviderName, start: Date) {
    this.provider = provider
    this.minting = provider === 'dc-pat' ? 'automatic' : 'assisted'
    this.now = start
    const initial = this.issue({ createdAt: new Date(start.getTime() - 40 * DAY), minted: false, name: 'CI token' })
    this.secret = { value: initial.value, updatedAt: new Date(start.getTime() - 40 * DAY).toISOString() }
  }

  issue(options: { createdAt?: Date; minted: boolean; name: string }): WorldCredential {
    const value = `tok_${randomBytes(24).toString('base64url')}`
    const created = options.createdAt ?? this.now
    const credential: WorldCredential = {
      value,
      fingerprint: fingerprintOf(value),
      id: String(this.#nextId++),
      name: options.name,
      createdAt: created.toISOString(),
      expiresAt: new Date(created.getTime() + 365 * DAY).toISOString(),
      alive: true,
      minted: options.minted,
    }
    this.credentials.push(credential)
    return credential
  }

  /** An admin creates the next credential and stages it (assisted providers). */
  stageNext(): WorldCredential {
    const credential = this.issue({ minted: false, name: 'next token' })
    this.staging = credential.value
    return credential
  }

  byValue(value: string | undefined): WorldCredential | undefined {
    return this.credentials.find((credential) => credential.value === value)
  }

  byFingerprint(fingerprint: string): WorldCredential | undefined {
    return this.credentials.find((credential) => credential.fingerprint === fingerprint)
  }

  record(what: string): number {
    this.#seq += 1
    this.history.push({ seq: this.#seq, what })
    return this.#seq
  }

  advanceClock(ms: number): void {
    this.now = new Date(this.now.getTime() + ms)
  }
}

export function observedOf(credential: WorldCredential): ObservedCredential {
  return { id: credential.id, fingerprint: credential.fingerprint, name: credential.name, createdAt: credential.createdAt, ...(credential.expiresAt ? { expiresAt: credential.expiresAt } : {}) }
}

export const POLICY: RotationPolicy = { graceMs: DAY, expirationDays: 90, periodMs: 30 * DAY, expiryMarginMs: 14 * DAY, dryRun: false }

export interface Fault {
  /** Index of the effect (counted over the whole scenario, from 0) that misbehaves. */
  at: number
  outcome: Exclude<FaultOutcome, 'ok'>
}

export interface RunResult {
  machine: RotationMachine
  effects: RotationEffect[]
  crashed: boolean
}

/** Counts effects over a whole scenario, so a fault can target the nth one. */
export class EffectCounter {
  count = 0
  readonly performed: Array<{ index: number; effect: RotationEffect['type']; phase: string }> = []
}

export function runEngine(world: EngineWorld, command: RotationCommand, options: { fault?: Fault; counter?: EffectCounter; policy?: Partial<RotationPolicy> } = {}): RunResult {
  const policy = { ...POLICY, ...options.policy }
  const target = { provider: world.provider, secret: 'JIRA_TOKEN', scope: 'repo' }
  const reading = readRotationState(world.stateText, target)
  if (!reading.ok) throw new Error(reading.problem)
  const current = world.byValue(world.secret?.value)
  const staged = world.minting === 'assisted' ? world.byValue(world.staging) : undefined
  const rotationId = rotationIdAt(world.now, randomBytes(3).toString('hex'))
  const minted = world.credentials.filter((credential) => credential.minted && credential.alive).map(observedOf)
  let state = startRotationRun(
    reading.state,
    command,
    policy,
    {
      provider: world.provider,
      minting: world.minting,
      rotationId,
      current: current ? observedOf(current) : undefined,
      staged: staged ? observedOf(staged) : world.staging ? { fingerprint: fingerprintOf(world.staging) } : undefined,
      secretUpdatedAt: world.secret?.updatedAt,
      minted,
    },
    world.now,
  )
  // Assisted: the staged value is the pending one whenever the engine adopts it.
  const held: { pending?: string } = staged ? { pending: staged.value } : {}
  const effects: RotationEffect[] = []
  for (let guard = 0; guard < 200; guard += 1) {
    const effect = state.effects[0]
    if (!effect) return { machine: state.machine, effects, crashed: false }
    effects.push(effect)
    const index = options.counter ? options.counter.count++ : -1
    options.counter?.performed.push({ index, effect: effect.type, phase: state.machine.saved.rotation?.phase ?? '-' })
    const outcome: FaultOutcome = options.fault && options.fault.at === index ? options.fault.outcome : 'ok'
    const event = perform(world, state.machine, effect, outcome, held)
    if (outcome === 'crash') return { machine: state.machine, effects, crashed: true }
    world.advanceClock(1_000)
    state = advance(state.machine, event, world.now)
  }
  throw new Error('engine did not settle in 200 effects')
}

function perform(world: EngineWorld, machine: RotationMachine, effect: RotationEffect, outcome: FaultOutcome, held: { pending?: string }): RotationEvent {
  // failure: nothing happens. timeout: it happens, the answer is lost. crash: it happens, then the process dies.
  const happens = outcome !== 'failure'
  const answered = outcome === 'ok' || outcome === 'crash'
  const lost = 'injected timeout'
  switch (effect.type) {
    case 'audit':
      if (happens) world.audit.push({ ...effect.entry, seq: world.record(`audit ${effect.entry.event} ${effect.entry.fingerprint ?? ''}`) })
      return answered ? { type: 'audited' } : { type: 'audit-failed', reason: happens ? lost : 'GitHub answered 502' }
    case 'save':
      if (happens) {
        const text = serializeRotationState(machine.saved)
        world.stateText = text
        world.savedTexts.push(text)
        world.record('save')
      }
      return answered ? { type: 'saved' } : { type: 'save-failed', reason: happens ? lost : 'GitHub answered 502' }
    case 'mint': {
      if (!happens) return { type: 'mint-failed', reason: 'Jira answered 500' }
      const credential = world.issue({ minted: true, name: mintedCredentialName(effect.rotationId) })
      world.record(`mint ${credential.fingerprint}`)
      if (!answered) return { type: 'mint-failed', reason: lost }
      held.pending = credential.value
      return { type: 'minted', credential: observedOf(credential) }
    }
    case 'verify': {
      const value = effect.subject === 'pending' ? held.pending : world.secret?.value
      if (outcome === 'timeout') return { type: 'verify-failed', subject: effect.subject, reason: lost }
      const accepted = happens && world.byValue(value)?.alive === true
      return { type: 'verified', subject: effect.subject, result: { ok: accepted, failed: accepted ? [] : ['Jira refused the credential (401)'] } }
    }
    case 'store': {
      if (!held.pending) throw new Error('store without a pending value: the engine asked for a value the job does not hold')
      if (happens) {
        world.secret = { value: held.pending, updatedAt: new Date(world.now.getTime() + 1).toISOString() }
        world.record(`store ${fingerprintOf(held.pending)}`)
      }
      return answered ? { type: 'stored', updatedAt: world.secret?.updatedAt ?? '' } : { type: 'store-failed', reason: happens ? lost : 'GitHub answered 502' }
    }
    case 'check-store': {
      if (!happens) return { type: 'store-check-failed', reason: 'GitHub answered 502' }
      const moved = world.secret !== undefined && (effect.since === undefined || world.secret.updatedAt > effect.since)
      return { type: 'store-checked', moved, ...(world.secret ? { updatedAt: world.secret.updatedAt } : {}) }
    }
    case 'delete-staging':
      if (happens) {
        world.staging = undefined
        world.record('delete-staging')
      }
      return answered ? { type: 'staging-deleted' } : { type: 'staging-delete-failed', reason: happens ? lost : 'GitHub answered 502' }
    case 'revoke': {
      const credential = world.byFingerprint(effect.credential.fingerprint)
      if (!happens) return { type: 'revoke-failed', fingerprint: effect.credential.fingerprint, reason: 'Jira answered 500' }
      if (world.minting === 'assisted' && !world.adminKey) {
        world.request?.reminders.push(effect.credential.fingerprint)
        world.record(`remind ${effect.credential.fingerprint}`)
        return answered ? { type: 'revoked', fingerprint: effect.credential.fingerprint, outcome: 'manual' } : { type: 'revoke-failed', fingerprint: effect.credential.fingerprint, reason: lost }
      }
      const wasAlive = credential?.alive === true
      if (credential) credential.alive = false
      world.record(`revoke ${effect.credential.fingerprint}`)
      if (!answered) return { type: 'revoke-failed', fingerprint: effect.credential.fingerprint, reason: lost }
      return { type: 'revoked', fingerprint: effect.credential.fingerprint, outcome: wasAlive ? 'revoked' : 'already-gone' }
    }
    case 'request-credential':
      if (happens) {
        world.request = world.request?.open ? world.request : { issue: 7, open: true, reminders: [] }
        world.record('request')
      }
      return answered ? { type: 'requested', issue: 7 } : { type: 'request-failed', reason: happens ? lost : 'GitHub answered 502' }
    case 'close-request':
      if (happens && world.request) {
        world.request.open = false
        world.record('close-request')
      }
      return answered ? { type: 'request-closed' } : { type: 'request-close-failed', reason: happens ? lost : 'GitHub answered 502' }
  }
}
