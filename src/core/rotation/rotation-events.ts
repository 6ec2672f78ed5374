/**
 * The engine's vocabulary. A run starts with a `start` event carrying what
 * the job observed; each effect the engine returns is one external action,
 * and its outcome is the next event. One effect at a time, so nothing
 * happens that the saved state does not foresee.
 */
import type { AuditEntry } from '../audit-entry.ts'
import type { RotationProviderName, StoredCredential } from './rotation-state.ts'

export const ROTATION_COMMANDS = ['auto', 'rotate', 'verify', 'status', 'finish'] as const
export type RotationCommand = (typeof ROTATION_COMMANDS)[number]

export type Minting = 'automatic' | 'assisted'

export interface RotationPolicy {
  /** How long the previous credential stays valid after the new one is stored. */
  graceMs: number
  /** Lifetime asked of minted credentials. */
  expirationDays: number
  /** `auto` rotates a credential older than this. */
  periodMs: number
  /** `auto` rotates a credential that expires within this. */
  expiryMarginMs: number
  dryRun: boolean
}

/** A credential as the job saw it: at least its fingerprint. */
export type ObservedCredential = Omit<StoredCredential, 'firstSeenAt'>

export interface Observations {
  provider: RotationProviderName
  minting: Minting
  /** Used if this run begins a rotation. */
  rotationId: string
  /** The credential the run holds (current-credential input). */
  current: ObservedCredential | undefined
  /** Assisted providers: the value an admin staged (next-credential input). */
  staged: ObservedCredential | undefined
  /** The secret's updated_at now, undefined when it does not exist yet. */
  secretUpdatedAt: string | undefined
  /** What the provider lists as minted by rotations (names carrying rotation ids). */
  minted: ObservedCredential[]
}

export type PendingSubject = 'pending' | 'current'

export interface VerificationResult {
  ok: boolean
  identity?: string
  /** Names of the checks that failed, for the audit detail. */
  failed: string[]
}

/** Audit entries without the host's part (actor, run, workflow, ref, repository). */
export type AuditDraft = Pick<AuditEntry, 'time' | 'event' | 'fingerprint' | 'outcome' | 'detail' | 'rotationId' | 'phase'>

export type RevocationOutcome = 'revoked' | 'already-gone' | 'manual'

export type RotationEvent =
  | { type: 'start'; command: RotationCommand; policy: RotationPolicy; observed: Observations }
  | { type: 'audited' }
  | { type: 'audit-failed'; reason: string }
  | { type: 'saved' }
  | { type: 'save-failed'; reason: string }
  | { type: 'minted'; credential: ObservedCredential }
  | { type: 'mint-failed'; reason: string }
  | { type: 'verified'; subject: PendingSubject; result: VerificationResult }
  /** Jira could not be asked (5xx, timeout): says nothing about the credential. */
  | { type: 'verify-failed'; subject: PendingSubject; reason: string }
  | { type: 'stored'; updatedAt: string }
  | { type: 'store-failed'; reason: string }
  /** After a failed or interrupted write: whether the secret's updated_at moved past the one saved before it. */
  | { type: 'store-checked'; moved: boolean; updatedAt?: string }
  | { type: 'store-check-failed'; reason: string }
  | { type: 'staging-deleted' }
  | { type: 'staging-delete-failed'; reason: string }
  | { type: 'revoked'; fingerprint: string; outcome: RevocationOutcome }
  | { type: 'revoke-failed'; fingerprint: string; reason: string }
  | { type: 'requested'; issue?: number }
  | { type: 'request-failed'; reason: string }
  | { type: 'request-closed' }
  | { type: 'request-close-failed'; reason: string }

export type RotationEffect =
  | { type: 'audit'; entry: AuditDraft }
  | { type: 'save' }
  | { type: 'mint'; rotationId: string; expirationDays: number }
  /** The job holds the value: the minted or staged one for `pending`, the current-credential input for `current`. */
  | { type: 'verify'; subject: PendingSubject }
  /** Write the pending value into the secret. */
  | { type: 'store' }
  | { type: 'check-store'; since: string | undefined }
  | { type: 'delete-staging' }
  /** When the provider cannot revoke by API, the job posts the reminder and answers `manual`. */
  | { type: 'revoke'; credential: ObservedCredential; reason: string; request: number | undefined }
  /** Assisted: open or update the one issue asking admins to stage the next credential. */
  | { type: 'request-credential'; reason: string; current: ObservedCredential | undefined; issue: number | undefined }
  | { type: 'close-request'; issue: number | undefined; rotationId: string }
