/**
 * What a rotation remembers between runs, kept as JSON in the repository
 * variable JIRA_WARDEN_STATE: which credential is current, which one is in
 * its grace period, the rotation in progress and its phase, and what is
 * still to be revoked. Never a credential's value: every string is short
 * and shaped (ids, fingerprints, times), and any run of characters that
 * could be a token is refused.
 */
import { z } from 'zod'

export const ROTATION_PHASES = ['intent', 'mint', 'test', 'set', 'finish'] as const
export type RotationPhase = (typeof ROTATION_PHASES)[number]

export function isRotationPhase(text: string | undefined): text is RotationPhase {
  return (ROTATION_PHASES as readonly string[]).includes(text ?? '')
}

export const PROVIDER_NAMES = ['dc-pat', 'cloud-api-token', 'cloud-oauth-client'] as const
export type RotationProviderName = (typeof PROVIDER_NAMES)[number]

export const STATE_VERSION = 1

/** `20261203T071229Z-a1b2c3`: when it began, and a random suffix. */
export const ROTATION_ID = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/

/** Base64, base64url, hex or alphanumeric runs this long are what tokens look like; nothing stored needs one. */
const TOKEN_LIKE_RUN = /[A-Za-z0-9+/=_]{20,}/

const time = z.iso.datetime({ offset: true })
const fingerprint = z.string().regex(/^[0-9a-f]{12}$/, 'a fingerprint is 12 lowercase hex digits')
const shortText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((text) => !TOKEN_LIKE_RUN.test(text), 'looks like a credential value: the state never holds one')
const rotationId = z.string().regex(ROTATION_ID, 'a rotation id looks like 20261203T071229Z-a1b2c3')

export const credentialRecordSchema = z.strictObject({
  id: shortText(64).optional(),
  fingerprint,
  name: shortText(120).optional(),
  createdAt: time.optional(),
  expiresAt: time.optional(),
  /** When the engine first saw it, for the age of credentials whose creation Jira does not tell. */
  firstSeenAt: time.optional(),
})

export type StoredCredential = z.output<typeof credentialRecordSchema>

const activeRotationSchema = z.strictObject({
  id: rotationId,
  phase: z.enum(ROTATION_PHASES),
  minting: z.enum(['automatic', 'assisted']),
  startedAt: time,
  /** The credential being introduced: minted, or staged by an admin. */
  pending: credentialRecordSchema.optional(),
  /** The secret's updated_at before the write, so a resumed run can tell whether the write happened. */
  secretUpdatedAtBefore: time.optional(),
})

export type ActiveRotation = z.output<typeof activeRotationSchema>

const revocationSchema = z.strictObject({
  credential: credentialRecordSchema,
  dueAt: time,
  reason: z.enum(['grace-ended', 'failed-pending', 'orphan', 'superseded']),
  rotationId: rotationId.optional(),
})

export type PendingRevocation = z.output<typeof revocationSchema>

/** An audit entry that could not be written when its step happened: the next run writes it first. */
const unwrittenAuditSchema = z.strictObject({
  time,
  event: z.enum(['rotation.intent', 'rotation.completed', 'rotation.failed', 'credential.revoked']),
  fingerprint: fingerprint.optional(),
  outcome: shortText(2_000),
  detail: shortText(2_000).optional(),
  rotationId: rotationId.optional(),
  phase: z.enum(ROTATION_PHASES).optional(),
})

export const rotationStateSchema = z.strictObject({
  v: z.literal(STATE_VERSION),
  provider: z.enum(PROVIDER_NAMES),
  /** The GitHub secret the action reads, and its scope (repo, org, environment:NAME). */
  secret: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/),
  scope: z.string().regex(/^(repo|org|environment:[^\s]{1,255})$/),
  current: credentialRecordSchema.optional(),
  previous: z.strictObject({ credential: credentialRecordSchema, graceEndsAt: time, rotationId: rotationId.optional() }).optional(),
  rotation: activeRotationSchema.optional(),
  revocations: z.array(revocationSchema).max(100),
  /** Assisted providers: the open request asking admins for the next credential. */
  request: z.strictObject({ openedAt: time, reason: shortText(300), issue: z.number().int().positive().optional() }).optional(),
  unwrittenAudits: z.array(unwrittenAuditSchema).max(50).optional(),
  last: z
    .strictObject({
      rotationId,
      outcome: z.enum(['completed', 'failed']),
      at: time,
      phase: z.enum(ROTATION_PHASES).optional(),
      detail: shortText(300).optional(),
    })
    .optional(),
})

export type RotationState = z.output<typeof rotationStateSchema>

export interface RotationTarget {
  provider: RotationProviderName
  secret: string
  scope: string
}

export function emptyRotationState(target: RotationTarget): RotationState {
  return { v: STATE_VERSION, provider: target.provider, secret: target.secret, scope: target.scope, revocations: [] }
}

export type StateReading = { ok: true; state: RotationState } | { ok: false; problem: string }

/** The variable's text as state; an absent variable is a fresh state for the target. */
export function readRotationState(text: string | undefined, target: RotationTarget): StateReading {
  if (text === undefined || text.trim() === '') return { ok: true, state: emptyRotationState(target) }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return { ok: false, problem: 'JIRA_WARDEN_STATE is not JSON: fix or delete the variable (see docs/rotation.md, "Runbook").' }
  }
  const version = (raw as { v?: unknown } | null)?.v
  if (version !== STATE_VERSION) {
    return { ok: false, problem: `JIRA_WARDEN_STATE has version ${String(version)}; this release reads version ${STATE_VERSION}. Use the matching release of the rotate action.` }
  }
  const parsed = rotationStateSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return { ok: false, problem: `JIRA_WARDEN_STATE is not a valid rotation state (${issue?.path.join('.') || 'root'}: ${issue?.message}). Fix or delete the variable (see docs/rotation.md, "Runbook").` }
  }
  const state = parsed.data
  if (state.provider !== target.provider || state.secret !== target.secret || state.scope !== target.scope) {
    return { ok: false, problem: `JIRA_WARDEN_STATE tracks ${state.provider} in secret ${state.secret} (${state.scope}), not ${target.provider} in ${target.secret} (${target.scope}). Give one state per target, or delete the variable to start over.` }
  }
  return { ok: true, state }
}

/** Validated JSON text: throws when the state could not be read back, so nothing unshaped is ever saved. */
export function serializeRotationState(state: RotationState): string {
  const parsed = rotationStateSchema.safeParse(state)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`refusing to save an invalid rotation state (${issue?.path.join('.') || 'root'}: ${issue?.message})`)
  }
  return JSON.stringify(parsed.data)
}

export function mintedCredentialName(id: string): string {
  return `jira-warden:${id}`
}

/** The rotation id a minted credential's name carries, if any. */
export function rotationIdInName(name: string | undefined): string | undefined {
  const match = /jira-warden:(\d{8}T\d{6}Z-[0-9a-f]{6})/.exec(name ?? '')
  return match?.[1]
}

/** A fresh rotation id from a time and six random hex digits (the caller supplies the randomness). */
export function rotationIdAt(now: Date, randomHex: string): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
  return `${stamp}-${randomHex.toLowerCase().padEnd(6, '0').slice(0, 6)}`
}
