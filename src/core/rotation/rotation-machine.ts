/**
 * The rotation as a state machine: advance(machine, event, now) gives the
 * next machine and the one effect the job must perform, whose outcome is
 * the next event. The saved part is what JIRA_WARDEN_STATE keeps; the run
 * part lives for one run. Pure: the job brings the clock, the ids and the
 * outcomes.
 *
 * Ordering rules that make every run crash-safe:
 * - audit entries are written before the state that records their step is
 *   saved (at-least-once auditing; rotation.intent before any change);
 * - the state is saved before the next external change (verifying a
 *   pending credential is a read; see rotation-plan.ts);
 * - a pending credential is in the state before it is stored, and in the
 *   revocation list before it is revoked.
 */
import type { AuditDraft, Observations, ObservedCredential, RotationCommand, RotationEffect, RotationEvent, RotationPolicy } from './rotation-events.ts'
import { planNext } from './rotation-plan.ts'
import { credentialRevoked, revocationFailed } from './rotation-revocations.ts'
import { begin } from './rotation-start.ts'
import { isRotationPhase, type RotationState } from './rotation-state.ts'
import { clip, fail, failRotation, promotePending, queueRevocation } from './rotation-steps.ts'

export type MainWork = 'rotate' | 'request' | 'verify' | 'none'

export interface QueuedAudit {
  entry: AuditDraft
  /** An intent gates the rotation it announces: if it cannot be written, the rotation does not begin. */
  gate: boolean
}

export interface RotationRun {
  command: RotationCommand
  policy: RotationPolicy
  observed: Observations
  audits: QueuedAudit[]
  dirty: boolean
  orphans: ObservedCredential[]
  /** Fingerprints whose revocation this run attempted: tried once per run. */
  tried: string[]
  main: MainWork
  mainReason: string
  mainDone: boolean
  /** The job holds the pending credential's value (minted or staged in this run). */
  pendingHeld: boolean
  /** A write failed or timed out: whether it happened must be checked before anything else. */
  storeUncertain: boolean
  stagingDeleted: boolean
  /** A staged credential was refused: delete the staging secret so it is not tried again. */
  discardStaging: boolean
  requestClosed: boolean
  rotated: boolean
  halted: boolean
  failed: boolean
  notes: string[]
  problems: string[]
}

export interface RotationMachine {
  saved: RotationState
  run: RotationRun
}

export interface RotationStep {
  machine: RotationMachine
  effects: RotationEffect[]
}

/** The first step of a run: adopt what was observed, decide the command's work, and return the first effect. */
export function startRotationRun(saved: RotationState, command: RotationCommand, policy: RotationPolicy, observed: Observations, now: Date): RotationStep {
  return advance({ saved, run: initialRun(command, policy, observed) }, { type: 'start', command, policy, observed }, now)
}

export function advance(machine: RotationMachine, event: RotationEvent, now: Date): RotationStep {
  const next = structuredClone(machine)
  apply(next, event, now)
  return planNext(next, now)
}

function initialRun(command: RotationCommand, policy: RotationPolicy, observed: Observations): RotationRun {
  return {
    command,
    policy,
    observed,
    audits: [],
    dirty: false,
    orphans: [],
    tried: [],
    main: 'none',
    mainReason: '',
    mainDone: false,
    pendingHeld: false,
    storeUncertain: false,
    stagingDeleted: false,
    discardStaging: false,
    requestClosed: false,
    rotated: false,
    halted: false,
    failed: false,
    notes: [],
    problems: [],
  }
}

function apply(machine: RotationMachine, event: RotationEvent, now: Date): void {
  const { saved, run } = machine
  switch (event.type) {
    case 'start':
      return begin(machine, now)
    case 'audited': {
      const audit = run.audits.shift()
      if (audit?.gate) openRotation(machine, now)
      return
    }
    case 'audit-failed': {
      const audit = run.audits.shift()
      if (audit?.gate) {
        run.mainDone = true
        return fail(run, `no audit trail, no rotation: the rotation.intent entry could not be written (${clip(event.reason)})`)
      }
      if (audit) keepForNextRun(machine, audit.entry)
      return fail(run, `an audit entry (${audit?.entry.event}) could not be written (${clip(event.reason)}); the next run writes it`)
    }
    case 'saved':
      run.dirty = false
      return
    case 'save-failed':
      run.halted = true
      return fail(run, `the rotation state could not be saved (${clip(event.reason)}); stopped so nothing happens that the state does not record. The next run resumes.`)
    case 'minted': {
      const rotation = saved.rotation
      if (!rotation) return
      rotation.pending = { ...event.credential }
      rotation.phase = 'mint'
      run.pendingHeld = true
      run.dirty = true
      return
    }
    case 'mint-failed':
      return failRotation(machine, now, 'mint', `minting failed: ${clip(event.reason)}`, { revokePending: false })
    case 'verified':
      if (event.subject === 'current') return noteCurrentVerification(run, event.result.ok, event.result.identity, event.result.failed)
      if (event.result.ok) {
        if (saved.rotation) saved.rotation.phase = 'test'
        run.dirty = true
        return
      }
      run.discardStaging = saved.rotation?.minting === 'assisted'
      return failRotation(machine, now, 'test', `Jira refused the new credential (${event.result.failed.join('; ') || 'not accepted'})`, { revokePending: true })
    case 'verify-failed':
      if (event.subject === 'current') {
        run.mainDone = true
        return fail(run, `the current credential could not be verified: ${clip(event.reason)}`)
      }
      // A staged credential is an admin's work: keep it for the next run. A minted one is cheap to mint again.
      return failRotation(machine, now, 'test', `the new credential could not be verified: ${clip(event.reason)}`, {
        revokePending: saved.rotation?.minting === 'automatic',
      })
    case 'stored':
      return promotePending(machine, now)
    case 'store-failed':
      run.storeUncertain = true
      run.problems.push(`writing the secret failed (${clip(event.reason)}); checking whether it was written anyway`)
      return
    case 'store-checked':
      if (event.moved) return promotePending(machine, now)
      return storeDidNotHappen(machine, now)
    case 'store-check-failed':
      run.halted = true
      return fail(run, `cannot tell whether the secret was written (${clip(event.reason)}); the pending credential is kept, and the next run checks again`)
    case 'staging-deleted':
      run.stagingDeleted = true
      return
    case 'staging-delete-failed':
      run.stagingDeleted = true
      run.problems.push(`the staging secret could not be deleted (${clip(event.reason)}); delete it by hand or let the next run retry`)
      return
    case 'revoked':
      return credentialRevoked(machine, event.fingerprint, event.outcome, now)
    case 'revoke-failed':
      return revocationFailed(machine, event.fingerprint, event.reason, now)
    case 'requested':
      saved.request = { openedAt: saved.request?.openedAt ?? now.toISOString(), reason: clip(run.mainReason), ...(event.issue ? { issue: event.issue } : {}) }
      run.mainDone = true
      run.dirty = true
      run.notes.push(`asked the admins for the next credential${event.issue ? ` in #${event.issue}` : ''}: ${run.mainReason}`)
      return
    case 'request-failed':
      run.mainDone = true
      return fail(run, `the request for a new credential could not be opened: ${clip(event.reason)}`)
    case 'request-closed':
      saved.request = undefined
      run.requestClosed = true
      run.dirty = true
      return
    case 'request-close-failed':
      run.requestClosed = true
      run.problems.push(`the request issue could not be closed (${clip(event.reason)}); close it by hand`)
      return
  }
}

/** Only the events a rotation writes can wait in the state; the entry is already free of values. */
function keepForNextRun(machine: RotationMachine, entry: AuditDraft): void {
  const { saved, run } = machine
  if (entry.event !== 'rotation.intent' && entry.event !== 'rotation.completed' && entry.event !== 'rotation.failed' && entry.event !== 'credential.revoked') return
  const { phase, event, ...rest } = entry
  saved.unwrittenAudits = [...(saved.unwrittenAudits ?? []), { ...rest, event, ...(isRotationPhase(phase) ? { phase } : {}) }].slice(-50)
  run.dirty = true
}

/** After the intent is on the audit trail: the rotation exists, and its phase is saved before the first change. */
function openRotation(machine: RotationMachine, now: Date): void {
  const { saved, run } = machine
  if (saved.previous) {
    // A rotation during the last one's grace: the older credential keeps its grace, then goes.
    saved.revocations.push({ credential: saved.previous.credential, dueAt: saved.previous.graceEndsAt, reason: 'superseded', ...(saved.previous.rotationId ? { rotationId: saved.previous.rotationId } : {}) })
    saved.previous = undefined
  }
  saved.rotation = {
    id: run.observed.rotationId,
    phase: 'intent',
    minting: run.observed.minting,
    startedAt: now.toISOString(),
    ...(run.observed.secretUpdatedAt ? { secretUpdatedAtBefore: run.observed.secretUpdatedAt } : {}),
  }
  run.mainDone = true
  run.dirty = true
}

function storeDidNotHappen(machine: RotationMachine, now: Date): void {
  const { saved, run } = machine
  const rotation = saved.rotation
  if (!rotation?.pending) return
  if (run.pendingHeld) {
    return failRotation(machine, now, 'set', 'the secret could not be written', { revokePending: rotation.minting === 'automatic' })
  }
  if (rotation.minting === 'automatic') {
    // Resumed without the value (it is never kept): revoke the unused credential and mint again.
    queueRevocation(saved, rotation.pending, 'failed-pending', now, rotation.id)
    rotation.pending = undefined
    rotation.phase = 'intent'
    run.storeUncertain = false
    run.dirty = true
    run.notes.push(`rotation ${rotation.id} resumes: the secret was not written, so the unused credential is revoked and a new one minted`)
    return
  }
  failRotation(machine, now, 'set', 'the staged credential is no longer there to store', { revokePending: false })
}

function noteCurrentVerification(run: RotationRun, ok: boolean, identity: string | undefined, failed: readonly string[]): void {
  run.mainDone = true
  if (ok) {
    run.notes.push(`the current credential works${identity ? ` (as ${identity})` : ''}`)
    return
  }
  fail(run, `Jira refuses the current credential or it lacks what the transitions need (${failed.join('; ') || 'refused'}); rotate it or fix its permissions`)
}

export type { RotationCommand, RotationPolicy }
