/** The small state changes several events share: promote the pending credential, fail the rotation, queue a revocation. */
import type { RotationMachine, RotationRun } from './rotation-machine.ts'
import type { RotationState, StoredCredential } from './rotation-state.ts'

const REASON_LENGTH = 300

/** The secret now holds the pending credential: it becomes current, the old one enters its grace. */
export function promotePending(machine: RotationMachine, now: Date): void {
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
      ...fingerprintField(pending ?? saved.current),
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

export function queueRevocation(saved: RotationState, credential: StoredCredential, reason: 'failed-pending' | 'orphan', now: Date, rotationId?: string): void {
  if (saved.revocations.some((revocation) => revocation.credential.fingerprint === credential.fingerprint)) return
  saved.revocations.push({ credential, dueAt: now.toISOString(), reason, ...(rotationId ? { rotationId } : {}) })
}

export function fail(run: RotationRun, problem: string): void {
  run.failed = true
  run.problems.push(problem)
}

function fingerprintField(credential: StoredCredential | undefined): { fingerprint?: string } {
  return credential ? { fingerprint: credential.fingerprint } : {}
}

/** One short line, with anything shaped like a token cut out: reasons end up in the state and the audit trail. */
export function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').replace(/[A-Za-z0-9+/=_]{20,}/g, '[…]').trim()
  return line.length > REASON_LENGTH ? `${line.slice(0, REASON_LENGTH - 1)}…` : line
}
