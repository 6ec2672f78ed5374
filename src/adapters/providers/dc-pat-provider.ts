/**
 * `dc-pat`: Jira Data Center personal access tokens, rotated without a
 * person. The PAT the run holds mints its successor (named
 * `jira-warden:<rotationId>`), lists and revokes; verification asks /myself
 * first, since Data Center answers an unknown PAT as anonymous with 200s.
 */
import { AuthenticationError } from '../../core/errors.ts'
import { fingerprintOf } from '../../core/fingerprint.ts'
import type { CredentialProvider, CredentialRecord, MintedCredential, RevokeOutcome, Verification } from '../../ports/rotation.ts'
import { patTokensApi, type ListedPat } from './pat-tokens-api.ts'
import type { ProviderSettings } from './provider-settings.ts'
import { identifyUsedToken, isoTimestamp, unseenCredentialFingerprint } from './used-token-match.ts'
import { verifyCredential } from './verify-credential.ts'

export const MINTED_NAME_PREFIX = 'jira-warden:'

export class DcPatProvider implements CredentialProvider {
  readonly name = 'dc-pat'
  readonly minting = 'automatic'
  readonly #settings: ProviderSettings
  readonly #currentCredential: string

  constructor(settings: ProviderSettings, currentCredential: string) {
    this.#settings = settings
    this.#currentCredential = currentCredential
  }

  async describe(value: string): Promise<CredentialRecord> {
    const api = patTokensApi(this.#settings, value)
    // Listing with the value itself both uses it and shows its owner's tokens.
    const useThenList = async () =>
      (await api.list().catch((error: unknown) => {
        if (!(error instanceof AuthenticationError)) throw error
        throw new AuthenticationError(`Jira treated the personal access token ${fingerprintOf(value)} as anonymous: it is expired, revoked or wrong.`)
      })).map((pat) => ({ ...pat, id: String(pat.id), lastUsedAt: isoTimestamp(pat.lastAccessedAt) }))
    const match = await identifyUsedToken(useThenList)
    return { fingerprint: fingerprintOf(value), ...(match ? recordFields(match) : {}) }
  }

  async mint(request: { rotationId: string; expirationDays: number }): Promise<MintedCredential> {
    const created = await patTokensApi(this.#settings, this.#currentCredential).create(`${MINTED_NAME_PREFIX}${request.rotationId}`, request.expirationDays)
    return { record: { fingerprint: fingerprintOf(created.rawToken), ...recordFields(created) }, value: created.rawToken }
  }

  verify(value: string): Promise<Verification> {
    return verifyCredential(this.#settings, { kind: 'pat', token: value })
  }

  async revoke(record: CredentialRecord): Promise<RevokeOutcome> {
    if (record.id === undefined) {
      return {
        revoked: false,
        reason: 'manual',
        instructions: `Jira could not tell which of its owner's personal access tokens has fingerprint ${record.fingerprint}${record.name ? ` (named '${record.name}')` : ''}. Its owner revokes it in Jira under Profile > Personal Access Tokens (${this.#settings.jiraUrl.href.replace(/\/$/, '')}/secure/ViewProfile.jspa).`,
      }
    }
    const removed = await patTokensApi(this.#settings, this.#currentCredential).remove(record.id)
    return removed ? { revoked: true } : { revoked: false, reason: 'already-gone' }
  }

  async listMinted(): Promise<CredentialRecord[]> {
    const listed = await patTokensApi(this.#settings, this.#currentCredential).list()
    return listed
      .filter((pat) => pat.name.startsWith(MINTED_NAME_PREFIX))
      .map((pat) => ({ fingerprint: unseenCredentialFingerprint(this.name, String(pat.id)), ...recordFields(pat) }))
  }
}

function recordFields(pat: Pick<ListedPat, 'name' | 'createdAt' | 'expiringAt'> & { id: number | string }): Omit<CredentialRecord, 'fingerprint'> {
  const createdAt = isoTimestamp(pat.createdAt)
  const expiresAt = isoTimestamp(pat.expiringAt)
  return { id: String(pat.id), name: pat.name, ...(createdAt ? { createdAt } : {}), ...(expiresAt ? { expiresAt } : {}) }
}
