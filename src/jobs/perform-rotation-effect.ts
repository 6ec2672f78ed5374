/**
 * Performs one effect the rotation engine asked for, against the ports, and
 * turns what happened into the engine's next event. Failures become events
 * too: the engine, not this file, decides what a failure means.
 */
import type { AuditEntry } from '../core/audit-entry.ts'
import { isWardenError } from '../core/errors.ts'
import { fingerprintOf } from '../core/fingerprint.ts'
import type { RotationEffect, RotationEvent } from '../core/rotation/rotation-events.ts'
import type { RotationMachine } from '../core/rotation/rotation-machine.ts'
import { serializeRotationState } from '../core/rotation/rotation-state.ts'
import type { AuditLog } from '../ports/audit-log.ts'
import type { CredentialRequests } from '../ports/credential-requests.ts'
import type { CredentialProvider, SecretStore, StateStore } from '../ports/rotation.ts'

export interface RotationPorts {
  provider: CredentialProvider
  secrets: SecretStore
  state: StateStore
  audit: AuditLog
  requests: CredentialRequests
}

/** The values this run holds: never in the state, the audit trail or any message. */
export interface HeldCredentials {
  current: string | undefined
  /** Minted in this run, or staged by an admin (next-credential). */
  pending: string | undefined
}

export interface EffectContext {
  ports: RotationPorts
  held: HeldCredentials
  secretName: string
  stagingSecretName: string
  /** The host's part of every audit entry: actor, run, workflow, ref, repository. */
  auditOrigin: Pick<AuditEntry, 'actor'> & Partial<Pick<AuditEntry, 'run' | 'workflow' | 'ref' | 'repository'>>
  /** Told each new credential value the moment it exists, so the host masks it. */
  maskSecret: (value: string) => void
  /** How to stage the next credential (markdown), for the assisted request. */
  stagingInstructions: string
}

export async function performRotationEffect(effect: RotationEffect, machine: RotationMachine, context: EffectContext): Promise<RotationEvent> {
  const { ports, held } = context
  switch (effect.type) {
    case 'audit': {
      const written = await ports.audit.append({ v: 1, ...context.auditOrigin, ...effect.entry })
      return written.written ? { type: 'audited' } : { type: 'audit-failed', reason: written.reason }
    }
    case 'save':
      return attempt(async () => {
        await ports.state.save(stateTextWithoutSecrets(machine, held))
        return { type: 'saved' }
      }, (reason) => ({ type: 'save-failed', reason }))
    case 'mint':
      return attempt(async () => {
        const minted = await ports.provider.mint({ rotationId: effect.rotationId, expirationDays: effect.expirationDays })
        context.maskSecret(minted.value)
        held.pending = minted.value
        return { type: 'minted', credential: { ...minted.record, fingerprint: fingerprintOf(minted.value) } }
      }, (reason) => ({ type: 'mint-failed', reason }))
    case 'verify': {
      const value = effect.subject === 'pending' ? held.pending : held.current
      if (value === undefined) return { type: 'verify-failed', subject: effect.subject, reason: `no ${effect.subject} credential value in this run` }
      return attempt(async () => {
        const verification = await ports.provider.verify(value)
        const failed = verification.checks.filter((check) => !check.ok).map((check) => `${check.name}: ${check.detail}`)
        return { type: 'verified', subject: effect.subject, result: { ok: verification.ok, failed, ...(verification.identity ? { identity: verification.identity } : {}) } }
      }, (reason) => ({ type: 'verify-failed', subject: effect.subject, reason }))
    }
    case 'store': {
      const value = held.pending
      if (value === undefined) return { type: 'store-failed', reason: 'no pending credential value in this run' }
      return attempt(async () => ({ type: 'stored', updatedAt: (await ports.secrets.write(context.secretName, value)).updatedAt }), (reason) => ({ type: 'store-failed', reason }))
    }
    case 'check-store':
      return attempt(async () => {
        const found = await ports.secrets.describe(context.secretName)
        const moved = found !== undefined && (effect.since === undefined || Date.parse(found.updatedAt) > Date.parse(effect.since))
        return { type: 'store-checked', moved, ...(found ? { updatedAt: found.updatedAt } : {}) }
      }, (reason) => ({ type: 'store-check-failed', reason }))
    case 'delete-staging':
      return attempt(async () => {
        await ports.secrets.remove(context.stagingSecretName)
        return { type: 'staging-deleted' }
      }, (reason) => ({ type: 'staging-delete-failed', reason }))
    case 'revoke':
      return attempt(async () => {
        const outcome = await ports.provider.revoke(effect.credential)
        if (outcome.revoked) return { type: 'revoked', fingerprint: effect.credential.fingerprint, outcome: 'revoked' }
        if (outcome.reason === 'already-gone') return { type: 'revoked', fingerprint: effect.credential.fingerprint, outcome: 'already-gone' }
        await ports.requests.remind(`Please revoke the previous Jira credential \`${effect.credential.fingerprint}\` (${effect.reason}): ${outcome.instructions}`)
        return { type: 'revoked', fingerprint: effect.credential.fingerprint, outcome: 'manual' }
      }, (reason) => ({ type: 'revoke-failed', fingerprint: effect.credential.fingerprint, reason }))
    case 'request-credential':
      return attempt(async () => ({ type: 'requested', issue: await ports.requests.open({ reason: effect.reason, instructions: context.stagingInstructions }) }), (reason) => ({
        type: 'request-failed',
        reason,
      }))
    case 'close-request':
      return attempt(async () => {
        await ports.requests.close(`Rotation ${effect.rotationId} promoted the staged credential \`${machine.saved.current?.fingerprint ?? '?'}\`; the staging secret was deleted.`)
        return { type: 'request-closed' }
      }, (reason) => ({ type: 'request-close-failed', reason }))
  }
}

async function attempt(work: () => Promise<RotationEvent>, failed: (reason: string) => RotationEvent): Promise<RotationEvent> {
  try {
    return await work()
  } catch (error) {
    return failed(reasonOf(error))
  }
}

/** Typed errors carry a message written for people and free of secrets; anything else is named by kind only. */
export function reasonOf(error: unknown): string {
  if (isWardenError(error)) return error.message
  return `unexpected ${error instanceof Error ? error.name : typeof error}`
}

/** The schema refuses value-shaped text; this refuses the values themselves, whatever their shape. */
function stateTextWithoutSecrets(machine: RotationMachine, held: HeldCredentials): string {
  const text = serializeRotationState(machine.saved)
  for (const value of [held.current, held.pending]) {
    if (value && value.length >= 8 && text.includes(value)) throw new Error('refusing to save a state that contains a credential value')
  }
  return text
}
