/** What a revocation's outcome does to the state and the audit trail. */
import type { RotationMachine } from './rotation-machine.ts'
import { rotationIdInName } from './rotation-state.ts'
import { clip, fail, queueRevocation } from './rotation-steps.ts'

export function credentialRevoked(machine: RotationMachine, fingerprint: string, outcome: 'revoked' | 'already-gone' | 'manual', now: Date): void {
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

export function revocationFailed(machine: RotationMachine, fingerprint: string, reason: string, now: Date): void {
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
