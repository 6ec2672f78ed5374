/**
 * What to do next, read off the machine: audit entries first, then saving,
 * then cleaning up (orphans, due revocations, the previous credential at
 * the end of its grace), then the rotation in progress phase by phase,
 * then the command's own work. Steps that need no I/O (a phase change) are
 * taken here and the loop goes on; the first step that needs the outside
 * world is returned as the one effect.
 */
import type { RotationEffect } from './rotation-events.ts'
import type { RotationMachine, RotationStep } from './rotation-machine.ts'
import { failRotation } from './rotation-steps.ts'

const MAX_INTERNAL_STEPS = 50

export function planNext(machine: RotationMachine, now: Date): RotationStep {
  for (let step = 0; step < MAX_INTERNAL_STEPS; step += 1) {
    const effect = nextEffect(machine, now)
    if (effect === 'continue') continue
    return { machine, effects: effect ? [effect] : [] }
  }
  throw new Error('rotation engine: no progress after 50 internal steps (a bug: please report it)')
}

function nextEffect(machine: RotationMachine, now: Date): RotationEffect | 'continue' | undefined {
  const { saved, run } = machine
  if (run.halted) return undefined
  const audit = run.audits[0]
  if (audit) return { type: 'audit', entry: audit.entry }
  if (run.dirty) return savingOrWhatNeedsNoSave(machine, now)
  if (run.command === 'verify') return verifyCurrent(machine)
  const cleanup = cleanupEffect(machine, now)
  if (cleanup) return cleanup
  const rotation = rotationEffect(machine, now)
  if (rotation) return rotation
  if (run.rotated && run.observed.minting === 'assisted' && !run.requestClosed) {
    return { type: 'close-request', issue: saved.request?.issue, rotationId: saved.last?.rotationId ?? run.observed.rotationId }
  }
  if (run.discardStaging && !run.stagingDeleted && run.observed.staged) return { type: 'delete-staging' }
  return mainEffect(machine, now)
}

/**
 * Saves are content-creating GitHub requests, and GitHub limits those: three steps go on before saving, because
 * what they change is recorded by the next save and an interruption between is already recovered from.
 * - Verifying a pending credential is a read: it is saved with the verdict. A run stopped before that leaves a
 *   credential named after a rotation id the state holds (saved at intent), which the next run revokes as an orphan.
 * - Once the secret is written, the rotation completes in the same save: a run stopped before it finds the new value
 *   in the secret (or its updated_at moved) and completes the rotation again.
 * - Once the previous credential is revoked, the rotation closes in the same save (a state change only).
 */
function savingOrWhatNeedsNoSave(machine: RotationMachine, now: Date): RotationEffect | 'continue' {
  const { saved, run } = machine
  const rotation = saved.rotation
  if (rotation?.phase === 'mint' && run.pendingHeld && !run.storeUncertain) return { type: 'verify', subject: 'pending' }
  if (rotation?.phase === 'set' && saved.current && (rotation.minting === 'automatic' || run.stagingDeleted)) {
    completeRotation(machine, now)
    return 'continue'
  }
  if (rotation?.phase === 'finish' && !saved.previous) {
    closeFinishedRotation(machine, now)
    return 'continue'
  }
  return { type: 'save' }
}

function cleanupEffect(machine: RotationMachine, now: Date): RotationEffect | undefined {
  const { saved, run } = machine
  const request = saved.request?.issue
  const orphan = run.orphans[0]
  if (orphan) return { type: 'revoke', credential: orphan, reason: 'orphan of an interrupted rotation', request }
  const finishing = run.command === 'finish'
  const due = saved.revocations.find(
    (revocation) => !run.tried.includes(revocation.credential.fingerprint) && (finishing || Date.parse(revocation.dueAt) <= now.getTime()),
  )
  if (due) return { type: 'revoke', credential: due.credential, reason: due.reason, request }
  const previous = saved.previous
  if (previous && !run.tried.includes(previous.credential.fingerprint) && (finishing || Date.parse(previous.graceEndsAt) <= now.getTime())) {
    return { type: 'revoke', credential: previous.credential, reason: 'grace-ended', request }
  }
  return undefined
}

function rotationEffect(machine: RotationMachine, now: Date): RotationEffect | 'continue' | undefined {
  const { saved, run } = machine
  const rotation = saved.rotation
  if (!rotation) return undefined
  switch (rotation.phase) {
    case 'intent':
      if (rotation.minting === 'automatic') return { type: 'mint', rotationId: rotation.id, expirationDays: run.policy.expirationDays }
      if (!run.observed.staged) {
        failRotation(machine, now, 'intent', 'the staged credential (next-credential) is empty', { revokePending: false })
        return 'continue'
      }
      rotation.pending = { ...run.observed.staged }
      rotation.phase = 'mint'
      run.pendingHeld = true
      run.dirty = true
      return 'continue'
    case 'mint':
      if (run.pendingHeld) return { type: 'verify', subject: 'pending' }
      return resumeWithoutValue(machine, now)
    case 'test':
      if (run.pendingHeld && !run.storeUncertain) return { type: 'store' }
      return { type: 'check-store', since: rotation.secretUpdatedAtBefore }
    case 'set':
      if (rotation.minting === 'assisted' && !run.stagingDeleted) {
        const staged = run.observed.staged
        // A resumed run may find a newer credential staged since: that one is the next rotation's, not ours to delete.
        if (!staged || staged.fingerprint === saved.current?.fingerprint || run.pendingHeld || run.rotated) return { type: 'delete-staging' }
        run.stagingDeleted = true
        run.notes.push(`the staging secret holds ${staged.fingerprint}, newer than the promoted one: kept for the next rotation`)
        return 'continue'
      }
      completeRotation(machine, now)
      return 'continue'
    case 'finish':
      if (saved.previous) return undefined
      closeFinishedRotation(machine, now)
      return 'continue'
  }
}

/** The previous credential is gone: the rotation is over. */
function closeFinishedRotation(machine: RotationMachine, now: Date): void {
  const { saved, run } = machine
  if (!saved.rotation) return
  saved.last = { rotationId: saved.rotation.id, outcome: 'completed', at: now.toISOString(), phase: 'finish' }
  saved.rotation = undefined
  run.dirty = true
}

/** A run that stopped after minting never kept the value: revoke that credential and mint again. */
function resumeWithoutValue(machine: RotationMachine, now: Date): 'continue' {
  const { saved, run } = machine
  const rotation = saved.rotation
  if (!rotation?.pending) return 'continue'
  if (rotation.minting === 'assisted') {
    failRotation(machine, now, 'mint', 'the staged credential (next-credential) changed or is gone', { revokePending: false })
    return 'continue'
  }
  saved.revocations.push({ credential: rotation.pending, dueAt: now.toISOString(), reason: 'failed-pending', rotationId: rotation.id })
  rotation.pending = undefined
  rotation.phase = 'intent'
  run.dirty = true
  run.notes.push(`rotation ${rotation.id} resumes: the credential minted before the interruption is revoked and a new one minted`)
  return 'continue'
}

function completeRotation(machine: RotationMachine, now: Date): void {
  const { saved, run } = machine
  const rotation = saved.rotation
  if (!rotation || !saved.current) return
  const previous = saved.previous
  run.audits.push({
    gate: false,
    entry: {
      time: now.toISOString(),
      event: 'rotation.completed',
      fingerprint: saved.current.fingerprint,
      outcome: previous
        ? `rotated: ${saved.current.fingerprint} replaces ${previous.credential.fingerprint}, which stays valid until ${previous.graceEndsAt}`
        : `stored ${saved.current.fingerprint}`,
      rotationId: rotation.id,
      phase: 'set',
    },
  })
  rotation.phase = 'finish'
  run.rotated = true
  run.dirty = true
  run.notes.push(`rotation ${rotation.id} stored ${saved.current.fingerprint}${previous ? `; ${previous.credential.fingerprint} is revoked after ${previous.graceEndsAt}` : ''}`)
}

function mainEffect(machine: RotationMachine, now: Date): RotationEffect | 'continue' | undefined {
  const { saved, run } = machine
  if (run.mainDone) return undefined
  switch (run.main) {
    case 'none':
      run.mainDone = true
      return 'continue'
    case 'verify':
      return verifyCurrent(machine)
    case 'request':
      return { type: 'request-credential', reason: run.mainReason, current: saved.current, issue: saved.request?.issue }
    case 'rotate':
      if (run.observed.minting === 'automatic' && saved.current && saved.current.id === undefined) {
        // What cannot be identified cannot be revoked after its grace: better not to replace it yet.
        run.mainDone = true
        run.failed = true
        run.problems.push(`the current credential ${saved.current.fingerprint} could not be identified in Jira, so it could not be revoked after the rotation; not rotating this run (the next run tries again)`)
        return 'continue'
      }
      run.audits.push({
        gate: true,
        entry: {
          time: now.toISOString(),
          event: 'rotation.intent',
          ...(saved.current ? { fingerprint: saved.current.fingerprint } : {}),
          outcome: `rotation ${run.observed.rotationId} begins: ${run.mainReason}`,
          rotationId: run.observed.rotationId,
          phase: 'intent',
        },
      })
      return 'continue'
  }
}

function verifyCurrent(machine: RotationMachine): RotationEffect | undefined {
  const { run } = machine
  if (run.mainDone) return undefined
  if (!run.observed.current) {
    run.mainDone = true
    run.failed = true
    run.problems.push('no current credential to verify: give current-credential (the secret the action uses)')
    return undefined
  }
  return { type: 'verify', subject: 'current' }
}
