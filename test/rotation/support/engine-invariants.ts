/** The rotation invariants (issue 3), checked over an EngineWorld after every run. */
import { readRotationState, rotationIdInName } from '../../../src/core/rotation/rotation-state.ts'
import type { EngineWorld } from './engine-world.ts'

/** What must hold after any run, however it ended. */
export function violationsAfterAnyRun(world: EngineWorld): string[] {
  const problems: string[] = []
  const stored = world.byValue(world.secret?.value)
  if (!stored?.alive) problems.push('the stored secret does not hold a credential Jira accepts')
  for (const text of world.savedTexts) {
    for (const credential of world.credentials) {
      if (text.includes(credential.value) || text.includes(Buffer.from(credential.value).toString('base64'))) {
        problems.push(`a saved state holds the value of ${credential.fingerprint}`)
      }
    }
  }
  const reading = readRotationState(world.stateText, { provider: world.provider, secret: 'JIRA_TOKEN', scope: 'repo' })
  if (!reading.ok) return [...problems, `state unreadable: ${reading.problem}`]
  const state = reading.state
  const recorded = new Set(
    [state.current, state.previous?.credential, state.rotation?.pending, ...state.revocations.map((entry) => entry.credential)]
      .filter((credential) => credential !== undefined)
      .map((credential) => credential.fingerprint),
  )
  const knownRotations = new Set([state.rotation?.id, state.last?.rotationId].filter((id) => id !== undefined))
  for (const credential of world.credentials) {
    if (!credential.alive || !credential.minted || credential === stored) continue
    const rotationId = rotationIdInName(credential.name)
    if (!recorded.has(credential.fingerprint) && !(rotationId && knownRotations.has(rotationId))) {
      problems.push(`minted credential ${credential.fingerprint} is alive with no record in the state`)
    }
  }
  if (state.previous && Date.parse(state.previous.graceEndsAt) > world.now.getTime()) {
    if (!world.byFingerprint(state.previous.credential.fingerprint)?.alive) problems.push('the previous credential was revoked before its grace ended')
  }
  for (const mint of world.history.filter((entry) => entry.what.startsWith('mint '))) {
    const credential = world.byFingerprint(mint.what.slice(5))
    const rotationId = rotationIdInName(credential?.name)
    const intent = world.audit.find((entry) => entry.event === 'rotation.intent' && entry.rotationId === rotationId)
    if (!intent || intent.seq > mint.seq) problems.push(`credential ${credential?.fingerprint} was minted without a rotation.intent before it`)
  }
  for (const store of world.history.filter((entry) => entry.what.startsWith('store '))) {
    const fingerprint = store.what.slice(6)
    const intent = world.audit.find((entry) => entry.event === 'rotation.intent' && entry.seq < store.seq)
    if (!intent) problems.push(`the secret was set to ${fingerprint} without a rotation.intent before it`)
  }
  return problems
}

/** What must hold once normal runs have followed, past every grace period. */
export function violationsWhenSettled(world: EngineWorld, options: { manualRevocation: boolean }): string[] {
  const problems = violationsAfterAnyRun(world)
  const stored = world.byValue(world.secret?.value)
  const reading = readRotationState(world.stateText, { provider: world.provider, secret: 'JIRA_TOKEN', scope: 'repo' })
  if (!reading.ok) return problems
  const state = reading.state
  if (state.rotation) problems.push(`rotation ${state.rotation.id} is still in phase ${state.rotation.phase}`)
  if (state.previous) problems.push('a previous credential is still in grace')
  if (state.revocations.length > 0) problems.push(`${state.revocations.length} revocation(s) still pending`)
  if (state.current?.fingerprint !== stored?.fingerprint) problems.push('the state does not name the stored credential as current')
  for (const credential of world.credentials) {
    if (credential === stored) continue
    if (credential.alive) {
      const reminded = world.request?.reminders.includes(credential.fingerprint) === true
      if (!(options.manualRevocation && reminded)) problems.push(`${credential.fingerprint} (${credential.minted ? 'minted' : 'given'}) is still alive`)
    } else if (!world.audit.some((entry) => entry.event === 'credential.revoked' && entry.fingerprint === credential.fingerprint)) {
      problems.push(`${credential.fingerprint} was revoked without a credential.revoked entry`)
    }
  }
  if (stored && stored.fingerprint !== world.credentials[0]?.fingerprint) {
    if (!world.audit.some((entry) => entry.event === 'rotation.completed' && entry.fingerprint === stored.fingerprint)) {
      problems.push(`the stored credential ${stored.fingerprint} has no rotation.completed entry`)
    }
  }
  for (const entry of world.audit) {
    for (const credential of world.credentials) {
      if (JSON.stringify(entry).includes(credential.value)) problems.push(`an audit entry holds the value of ${credential.fingerprint}`)
    }
  }
  return problems
}
