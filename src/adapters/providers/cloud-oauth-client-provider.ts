/**
 * `cloud-oauth-client`: a service account's OAuth 2.0 client secret (the
 * client id is configuration). Access tokens last an hour by design; the
 * secret is the long-lived credential, rotated by an admin in Atlassian
 * Administration and staged for the rotation to verify and promote.
 */
import { fingerprintOf } from '../../core/fingerprint.ts'
import type { CredentialProvider, CredentialRecord, MintedCredential, RevokeOutcome, Verification } from '../../ports/rotation.ts'
import { MintingNotAvailable } from './minting-not-available.ts'
import type { ProviderSettings } from './provider-settings.ts'
import { verifyCredential } from './verify-credential.ts'

const SERVICE_ACCOUNTS = 'admin.atlassian.com (Directory > Service accounts)'

export class CloudOAuthClientProvider implements CredentialProvider {
  readonly name = 'cloud-oauth-client'
  readonly minting = 'assisted'
  readonly #settings: ProviderSettings
  readonly #clientId: string

  constructor(settings: ProviderSettings, clientId: string) {
    this.#settings = settings
    this.#clientId = clientId
  }

  /** No public API tells a secret's age: the rotation state keeps when each secret was first seen. */
  describe(value: string): Promise<CredentialRecord> {
    return Promise.resolve({ fingerprint: fingerprintOf(value) })
  }

  mint(): Promise<MintedCredential> {
    return Promise.reject(
      new MintingNotAvailable(
        `A service account's OAuth client secret is created by an admin in ${SERVICE_ACCOUNTS}, not through an API. Rotate the secret of client ${this.#clientId} there and stage the new secret as the next-credential secret; the rotation then verifies and promotes it.`,
      ),
    )
  }

  /** Exchanges the secret for an access token (client credentials grant), then runs the checks with that token. */
  verify(value: string): Promise<Verification> {
    return verifyCredential(this.#settings, { kind: 'oauth-client', clientId: this.#clientId, clientSecret: value })
  }

  revoke(record: CredentialRecord): Promise<RevokeOutcome> {
    return Promise.resolve({
      revoked: false,
      reason: 'manual',
      instructions: `OAuth client secrets cannot be revoked through an API. If the secret with fingerprint ${record.fingerprint} still works (rotating it in the console usually ends it), an admin ends it in ${SERVICE_ACCOUNTS} for client ${this.#clientId}.`,
    })
  }

  listMinted(): Promise<CredentialRecord[]> {
    return Promise.resolve([])
  }
}
