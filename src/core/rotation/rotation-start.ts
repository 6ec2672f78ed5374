/** The start of a run: adopt the credential the run holds, find orphans, and decide the command's own work. */
import type { ObservedCredential } from './rotation-events.ts'
import { rotationDueReason } from './rotation-due.ts'
import { dryRunIntentions } from './rotation-intentions.ts'
import type { MainWork, RotationMachine } from './rotation-machine.ts'
import { rotationIdInName, type RotationState, type StoredCredential } from './rotation-state.ts'
import { promotePending } from './rotation-steps.ts'

export function begin(machine: RotationMachine, now: Date): void {
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
/**
 * Orphans are PATs this target minted and never recorded: their names carry a
 * rotation id this state knows (saved at intent, before any mint). Several
 * repositories may rotate PATs of one Jira user, so another target's minted
 * PATs are never this target's orphans, however unknown they are here.
 */
function orphansAmong(saved: RotationState, minted: readonly ObservedCredential[]): ObservedCredential[] {
  const known = [
    saved.current,
    saved.previous?.credential,
    saved.rotation?.pending,
    ...saved.revocations.map((revocation) => revocation.credential),
  ].filter((credential): credential is StoredCredential => credential !== undefined)
  const isKnown = (credential: ObservedCredential) =>
    known.some((record) => record.fingerprint === credential.fingerprint || (record.id !== undefined && record.id === credential.id))
  const ownRotations = new Set(
    [saved.rotation?.id, saved.last?.rotationId, saved.previous?.rotationId, ...saved.revocations.map((revocation) => revocation.rotationId)].filter(
      (id) => id !== undefined,
    ),
  )
  // A rotation that produced a live credential we keep is never the source of an orphan.
  const keptRotations = new Set([saved.current?.name, saved.previous?.credential.name].map(rotationIdInName).filter((id) => id !== undefined))
  return minted.filter((credential) => {
    const rotationId = rotationIdInName(credential.name)
    return rotationId !== undefined && ownRotations.has(rotationId) && !keptRotations.has(rotationId) && !isKnown(credential)
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
