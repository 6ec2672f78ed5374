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
 * - the state is saved before the next external action;
 * - a pending credential is in the state before it is verified or stored,
 *   and in the revocation list before it is revoked.
 */
import type { AuditDraft, Observations, ObservedCredential, RotationCommand, RotationEffect, RotationEvent, RotationPolicy } from './rotation-events.ts'
import { rotationDueReason } from './rotation-due.ts'
import { planNext } from './rotation-plan.ts'
import { isRotationPhase, rotationIdInName, type RotationState, type StoredCredential } from './rotation-state.ts'
import { dryRunIntentions } from './rotation-intentions.ts'

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

const REASON_LENGTH = 300

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

function begin(machine: RotationMachine, now: Date): void {
  const { saved, run } = machine
  const { observed, command } = run
  if (saved.unwrittenAudits?.length) {
    run.audits.push(...saved.unwrittenAudits.map((entry) => ({ gate: false, entry })))
    saved.unwrittenAudits = undefined
    run.dirty = true
  }
  if (saved.rotation?.pending && observed.current?.fingerprint === saved.rotation.pending.fingerprint && saved.rotation.phase !== 'finish') {
    // The run holds the pending credential: the write happened before the last run stopped.
    run.notes.push(`the secret already holds the pending credential ${saved.rotation.pending.fingerprint}: resuming after the write`)
    promotePending(machine, now)
  } else {
    adoptObservedCurrent(machine, now)
  }
  const rotation = saved.rotation
  if (rotation?.minting === 'assisted' && rotation.pending && observed.staged?.fingerprint === rotation.pending.fingerprint) run.pendingHeld = true
  if (observed.minted.length > 0 && saved.current?.id === undefined) {
    // Without the current credential's id, a listed credential cannot be told apart from it: revoke nothing.
    run.notes.push('the current credential could not be identified in Jira; looking for orphans is left to a later run')
  } else {
    run.orphans = orphansAmong(saved, observed.minted)
  }
  const decided = mainWork(machine, now)
  run.main = decided.main
  run.mainReason = decided.reason
  if (command === 'status') run.halted = true
  if (run.policy.dryRun) {
    run.notes.push(...dryRunIntentions(machine, now))
    run.halted = true
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

function adoptObservedCurrent(machine: RotationMachine, now: Date): void {
  const { saved, run } = machine
  const observed = run.observed.current
  if (!observed) return
  if (saved.current?.fingerprint === observed.fingerprint) {
    saved.current = { ...saved.current, ...observed }
    return
  }
  if (saved.previous?.credential.fingerprint === observed.fingerprint) {
    run.notes.push(`this run holds the previous credential ${observed.fingerprint}; the secret holds ${saved.current?.fingerprint ?? 'a newer one'}`)
    return
  }
  if (saved.current) {
    run.notes.push(`the secret holds ${observed.fingerprint}, not the tracked ${saved.current.fingerprint}: someone replaced it; tracking ${observed.fingerprint} from now on`)
  }
  saved.current = { ...observed, firstSeenAt: now.toISOString() }
  run.dirty = true
}

/** Credentials a rotation minted that the state does not know: a run stopped between mint and save. */
function orphansAmong(saved: RotationState, minted: readonly ObservedCredential[]): ObservedCredential[] {
  const known = [
    saved.current,
    saved.previous?.credential,
    saved.rotation?.pending,
    ...saved.revocations.map((revocation) => revocation.credential),
  ].filter((credential): credential is StoredCredential => credential !== undefined)
  const isKnown = (credential: ObservedCredential) =>
    known.some((record) => record.fingerprint === credential.fingerprint || (record.id !== undefined && record.id === credential.id))
  // A rotation that produced a live credential we keep is never the source of an orphan.
  const keptRotations = new Set([saved.current?.name, saved.previous?.credential.name].map(rotationIdInName).filter((id) => id !== undefined))
  return minted.filter((credential) => {
    const rotationId = rotationIdInName(credential.name)
    return rotationId !== undefined && !keptRotations.has(rotationId) && !isKnown(credential)
  })
}

function mainWork(machine: RotationMachine, now: Date): { main: MainWork; reason: string } {
  const { saved, run } = machine
  const { command, observed, policy } = run
  const inProgress = saved.rotation !== undefined && saved.rotation.phase !== 'finish'
  const hasNewStaged = observed.staged !== undefined && observed.staged.fingerprint !== saved.current?.fingerprint
  switch (command) {
    case 'status':
    case 'finish':
      return { main: 'none', reason: '' }
    case 'verify':
      return { main: 'verify', reason: 'verify requested' }
    case 'rotate':
      if (inProgress) return { main: 'none', reason: `rotation ${saved.rotation?.id} is in progress: resuming it` }
      if (observed.minting === 'assisted' && !hasNewStaged) return { main: 'request', reason: 'a rotation was requested' }
      return { main: 'rotate', reason: 'rotate requested' }
    case 'auto': {
      if (inProgress) return { main: 'none', reason: `rotation ${saved.rotation?.id} is in progress: resuming it` }
      if (observed.minting === 'assisted' && hasNewStaged) return { main: 'rotate', reason: 'an admin staged the next credential' }
      const due = rotationDueReason(saved.current, policy, now)
      if (due === undefined) return { main: 'verify', reason: 'not due' }
      return { main: observed.minting === 'automatic' ? 'rotate' : 'request', reason: `the credential is due: ${due}` }
    }
  }
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

/** The secret now holds the pending credential: it becomes current, the old one enters its grace. */
function promotePending(machine: RotationMachine, now: Date): void {
  const { saved, run } = machine
  const rotation = saved.rotation
  if (!rotation?.pending) return
  const graceEndsAt = new Date(now.getTime() + run.policy.graceMs).toISOString()
  if (saved.current && saved.current.fingerprint !== rotation.pending.fingerprint) {
    saved.previous = { credential: saved.current, graceEndsAt, rotationId: rotation.id }
  }
  saved.current = { ...rotation.pending, firstSeenAt: now.toISOString() }
  rotation.pending = undefined
  rotation.phase = 'set'
  run.pendingHeld = false
  run.storeUncertain = false
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

export function failRotation(machine: RotationMachine, now: Date, phase: 'intent' | 'mint' | 'test' | 'set', reason: string, options: { revokePending: boolean }): void {
  const { saved, run } = machine
  const rotation = saved.rotation
  if (!rotation) return fail(run, reason)
  const pending = rotation.pending
  if (pending && options.revokePending) queueRevocation(saved, pending, 'failed-pending', now, rotation.id)
  run.audits.push({
    gate: false,
    entry: {
      time: now.toISOString(),
      event: 'rotation.failed',
      ...fingerprintOf(pending ?? saved.current),
      outcome: clip(`failed at ${phase}: ${reason}`),
      detail: saved.current ? `the stored credential ${saved.current.fingerprint} is untouched` : 'no credential was stored',
      rotationId: rotation.id,
      phase,
    },
  })
  saved.last = { rotationId: rotation.id, outcome: 'failed', at: now.toISOString(), phase, detail: clip(reason) }
  saved.rotation = undefined
  run.pendingHeld = false
  run.storeUncertain = false
  run.dirty = true
  fail(run, `rotation ${rotation.id} failed at ${phase}: ${reason}`)
}

function queueRevocation(saved: RotationState, credential: StoredCredential, reason: 'failed-pending' | 'orphan', now: Date, rotationId?: string): void {
  if (saved.revocations.some((revocation) => revocation.credential.fingerprint === credential.fingerprint)) return
  saved.revocations.push({ credential, dueAt: now.toISOString(), reason, ...(rotationId ? { rotationId } : {}) })
}

function credentialRevoked(machine: RotationMachine, fingerprint: string, outcome: 'revoked' | 'already-gone' | 'manual', now: Date): void {
  const { saved, run } = machine
  run.tried.push(fingerprint)
  const orphan = run.orphans.find((credential) => credential.fingerprint === fingerprint)
  run.orphans = run.orphans.filter((credential) => credential.fingerprint !== fingerprint)
  const revocation = saved.revocations.find((entry) => entry.credential.fingerprint === fingerprint)
  saved.revocations = saved.revocations.filter((entry) => entry.credential.fingerprint !== fingerprint)
  const wasPrevious = saved.previous?.credential.fingerprint === fingerprint
  if (wasPrevious) saved.previous = undefined
  run.dirty = true
  const why = orphan ? 'an orphan of an interrupted rotation' : wasPrevious ? 'its grace period ended' : describeRevocationReason(revocation?.reason)
  const rotationId = revocation?.rotationId ?? rotationIdInName(orphan?.name)
  if (outcome === 'manual') {
    run.notes.push(`${fingerprint} cannot be revoked by API: the admins were reminded to revoke it (${why})`)
    return
  }
  run.audits.push({
    gate: false,
    entry: {
      time: now.toISOString(),
      event: 'credential.revoked',
      fingerprint,
      outcome: outcome === 'revoked' ? `revoked: ${why}` : `already gone: ${why}`,
      ...(rotationId ? { rotationId } : {}),
    },
  })
  run.notes.push(`revoked ${fingerprint} (${why})`)
}

function revocationFailed(machine: RotationMachine, fingerprint: string, reason: string, now: Date): void {
  const { saved, run } = machine
  run.tried.push(fingerprint)
  const orphan = run.orphans.find((credential) => credential.fingerprint === fingerprint)
  if (orphan) {
    run.orphans = run.orphans.filter((credential) => credential.fingerprint !== fingerprint)
    queueRevocation(saved, orphan, 'orphan', now, rotationIdInName(orphan.name))
    run.dirty = true
  }
  fail(run, `revoking ${fingerprint} failed (${clip(reason)}); it stays on the list and the next run retries`)
}

function describeRevocationReason(reason: string | undefined): string {
  switch (reason) {
    case 'failed-pending':
      return 'the rotation that minted it did not complete'
    case 'orphan':
      return 'an orphan of an interrupted rotation'
    case 'superseded':
      return 'its grace period ended after a newer rotation'
    default:
      return 'its grace period ended'
  }
}

function noteCurrentVerification(run: RotationRun, ok: boolean, identity: string | undefined, failed: readonly string[]): void {
  run.mainDone = true
  if (ok) {
    run.notes.push(`the current credential works${identity ? ` (as ${identity})` : ''}`)
    return
  }
  fail(run, `Jira refuses the current credential or it lacks what the transitions need (${failed.join('; ') || 'refused'}); rotate it or fix its permissions`)
}

function fail(run: RotationRun, problem: string): void {
  run.failed = true
  run.problems.push(problem)
}

function fingerprintOf(credential: StoredCredential | undefined): { fingerprint?: string } {
  return credential ? { fingerprint: credential.fingerprint } : {}
}

/** One short line, with anything shaped like a token cut out: reasons end up in the state and the audit trail. */
export function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').replace(/[A-Za-z0-9+/=_]{20,}/g, '[…]').trim()
  return line.length > REASON_LENGTH ? `${line.slice(0, REASON_LENGTH - 1)}…` : line
}

export type { RotationCommand, RotationPolicy }
