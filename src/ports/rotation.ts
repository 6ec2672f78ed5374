/**
 * The seams of credential rotation. The engine (src/core/rotation) decides;
 * these ports do: a provider mints, verifies and revokes Jira credentials,
 * the secret store holds the one value the action uses, the state store
 * keeps the rotation's progress (never a secret), and the lock keeps two
 * rotations of one target apart.
 */

export type ProviderName = 'dc-pat' | 'cloud-api-token' | 'cloud-oauth-client'

/** What may be known and stored about a credential: never its value. */
export interface CredentialRecord {
  /** The provider's id for it (a PAT id, an API token id); undefined when Jira gives none. */
  id?: string
  /** First 12 hex of SHA-256 of the value. */
  fingerprint: string
  /** The name it was minted with; carries the rotation id so an orphan can be found. */
  name?: string
  createdAt?: string
  expiresAt?: string
}

export interface MintedCredential {
  record: CredentialRecord
  /** Handed to the secret store and nowhere else. */
  value: string
}

export interface VerificationCheck {
  name: string
  ok: boolean
  detail: string
}

export interface Verification {
  /** True when Jira accepts the credential and every check that must pass did. */
  ok: boolean
  identity?: string
  checks: VerificationCheck[]
}

export type RevokeOutcome =
  | { revoked: true }
  | { revoked: false; reason: 'already-gone' }
  /** The provider cannot revoke by API: a person must, and the reminder says so. */
  | { revoked: false; reason: 'manual'; instructions: string }

export interface CredentialProvider {
  readonly name: ProviderName
  /** `automatic`: mint by API. `assisted`: an admin stages the next value, the engine promotes it. */
  readonly minting: 'automatic' | 'assisted'
  /** What Jira knows of a credential value (id, created, expiry), for state and the summary. */
  describe(value: string): Promise<CredentialRecord>
  /** Automatic providers only. The name must contain the rotation id. */
  mint(request: { rotationId: string; expirationDays: number }): Promise<MintedCredential>
  /** Real verification: identity, browse and transition in every project, target statuses reachable. */
  verify(value: string): Promise<Verification>
  revoke(record: CredentialRecord): Promise<RevokeOutcome>
  /** Credentials this provider minted for rotations (name carries `jira-warden:<rotationId>`), to find orphans. */
  listMinted(): Promise<CredentialRecord[]>
}

export type SecretScope =
  | { kind: 'repo' }
  | { kind: 'environment'; environment: string }
  /** Organization secret: the selected repositories are kept as they are. */
  | { kind: 'org' }

export interface SecretStore {
  /** Seal with the scope's public key (fetched per write), PUT, and confirm updated_at moved. */
  write(name: string, value: string): Promise<{ updatedAt: string }>
  /** Metadata only: GitHub never returns a secret's value. */
  describe(name: string): Promise<{ updatedAt: string } | undefined>
  remove(name: string): Promise<void>
}

/** The repository variable JIRA_WARDEN_STATE: JSON text the engine validates. */
export interface StateStore {
  load(): Promise<string | undefined>
  save(text: string): Promise<void>
}

export interface LockHolder {
  rotationId: string
  since: string
}

export type LockAttempt = { acquired: true } | { acquired: false; holder: LockHolder }

/** One rotation per target: an atomic create that fails when the lock exists, with a stale timeout. */
export interface RotationLock {
  acquire(holder: LockHolder): Promise<LockAttempt>
  release(holder: LockHolder): Promise<void>
}
