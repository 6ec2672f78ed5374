/**
 * `cloud-api-token`: Jira Cloud user API tokens, rotated with a person's
 * help. No API creates them (a person does, at id.atlassian.com); with an
 * organization admin API key the provider reads a token's created and expiry
 * times and revokes it, and without one it says who must revoke what, where.
 */
import { fingerprintOf } from '../../core/fingerprint.ts'
import type { CredentialProvider, CredentialRecord, MintedCredential, RevokeOutcome, Verification } from '../../ports/rotation.ts'
import { connectJira } from '../jira/connect-jira.ts'
import type { AtlassianAdminApi } from './atlassian-admin-api.ts'
import { MintingNotAvailable } from './minting-not-available.ts'
import type { ProviderSettings } from './provider-settings.ts'
import { identifyUsedToken, isoTimestamp } from './used-token-match.ts'
import { verifyCredential } from './verify-credential.ts'

export const API_TOKENS_PAGE = 'https://id.atlassian.com/manage-profile/security/api-tokens'

export class CloudApiTokenProvider implements CredentialProvider {
  readonly name = 'cloud-api-token'
  readonly minting = 'assisted'
  readonly #settings: ProviderSettings
  readonly #email: string
  readonly #admin: AtlassianAdminApi | undefined

  constructor(settings: ProviderSettings, email: string, admin: AtlassianAdminApi | undefined) {
    this.#settings = settings
    this.#email = email
    this.#admin = admin
  }

  async describe(value: string): Promise<CredentialRecord> {
    const fingerprint = fingerprintOf(value)
    if (!this.#admin) return { fingerprint }
    const admin = this.#admin
    const jira = await connectJira({ url: this.#settings.jiraUrl, auth: { kind: 'api-token', email: this.#email, apiToken: value }, ...this.#timeouts() })
    const useThenList = async () => {
      const owner = await jira.whoAmI()
      return (await admin.userTokens(owner.accountId)).map((token) => ({ ...token, lastUsedAt: isoTimestamp(token.lastAccess) }))
    }
    const match = await identifyUsedToken(useThenList)
    if (!match) return { fingerprint }
    const createdAt = isoTimestamp(match.createdAt)
    const expiresAt = isoTimestamp(match.expiry)
    return { fingerprint, id: match.id, ...(match.label ? { name: match.label } : {}), ...(createdAt ? { createdAt } : {}), ...(expiresAt ? { expiresAt } : {}) }
  }

  mint(): Promise<MintedCredential> {
    return Promise.reject(
      new MintingNotAvailable(
        `Jira Cloud API tokens cannot be created through any API. A person signed in as ${this.#email} creates one at ${API_TOKENS_PAGE} and stages it as the next-credential secret; the rotation then verifies and promotes it.`,
      ),
    )
  }

  verify(value: string): Promise<Verification> {
    return verifyCredential(this.#settings, { kind: 'api-token', email: this.#email, apiToken: value })
  }

  async revoke(record: CredentialRecord): Promise<RevokeOutcome> {
    if (!this.#admin || record.id === undefined) return { revoked: false, reason: 'manual', instructions: this.#instructions(record) }
    const token = await this.#admin.findOrgToken(record.id)
    if (!token) return { revoked: false, reason: 'already-gone' }
    return (await this.#admin.deleteUserToken(token.user.id, record.id)) ? { revoked: true } : { revoked: false, reason: 'already-gone' }
  }

  /** Nothing is minted by this provider, so nothing can be orphaned by it. */
  listMinted(): Promise<CredentialRecord[]> {
    return Promise.resolve([])
  }

  #instructions(record: CredentialRecord): string {
    const which = [record.name ? `labelled '${record.name}'` : undefined, record.createdAt ? `created ${record.createdAt}` : undefined].filter(Boolean).join(', ')
    return (
      `Revoke the Jira API token with fingerprint ${record.fingerprint}${which ? ` (${which})` : ''}: its owner at ${API_TOKENS_PAGE} (signed in as ${this.#email}), ` +
      'or an organization admin in admin.atlassian.com under Insights > API token activity. Configure an organization admin API key to have rotation revoke it.'
    )
  }

  #timeouts() {
    return { ...(this.#settings.timeoutMs !== undefined ? { timeoutMs: this.#settings.timeoutMs } : {}), ...(this.#settings.retry ? { retry: this.#settings.retry } : {}) }
  }
}
