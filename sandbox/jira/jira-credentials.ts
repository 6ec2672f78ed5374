/**
 * Every credential the sandbox Jira accepts: Cloud API tokens (classic and
 * scoped), Data Center personal access tokens, service-account OAuth clients
 * and the access tokens they exchange for. Secrets are random per call.
 */
import { randomSecret } from '../http/sandbox-server.ts'
import type { JiraUser } from './jira-state.ts'

export type CredentialKind = 'api-token' | 'pat' | 'oauth-client' | 'access-token'

export interface Credential {
  kind: CredentialKind
  secret: string
  user: JiraUser
  createdAt: number
  expiresAt: number | undefined
  revoked: boolean
  /** API tokens with scopes work only through the api.atlassian.com gateway. */
  scoped: boolean
}

/** A Data Center personal access token as its REST API lists it (never with the raw token). */
export interface PersonalAccessToken {
  id: number
  name: string
  user: JiraUser
  createdAt: number
  expiresAt: number | undefined
  lastAccessedAt: number | undefined
}

export const ACCESS_TOKEN_LIFETIME_SECONDS = 3600

export class CredentialStore {
  readonly #bySecret = new Map<string, Credential>()
  readonly #pats = new Map<number, PersonalAccessToken & { secret: string }>()
  readonly #clients = new Map<string, Credential>()
  readonly #now: () => number
  #nextPatId = 1

  constructor(now: () => number) {
    this.#now = now
  }

  issueApiToken(user: JiraUser, options: { expiresAt?: Date; scoped?: boolean } = {}): string {
    return this.#add('api-token', randomSecret('ATATT3x', 40), user, options.expiresAt?.getTime(), options.scoped ?? false).secret
  }

  issuePat(user: JiraUser, options: { expiresAt?: Date; name?: string } = {}): { id: number; token: string } {
    const credential = this.#add('pat', randomSecret('', 44), user, options.expiresAt?.getTime(), false)
    const id = this.#nextPatId++
    this.#pats.set(id, {
      id,
      name: options.name ?? `token-${id}`,
      user,
      createdAt: credential.createdAt,
      expiresAt: credential.expiresAt,
      lastAccessedAt: undefined,
      secret: credential.secret,
    })
    return { id, token: credential.secret }
  }

  /** The user's personal access tokens, for the PAT REST endpoints. */
  listPats(user: JiraUser): PersonalAccessToken[] {
    return [...this.#pats.values()]
      .filter((pat) => pat.user === user && !this.#bySecret.get(pat.secret)?.revoked)
      .map(({ secret: _secret, ...pat }) => pat)
  }

  revokePat(id: number): boolean {
    const pat = this.#pats.get(id)
    const credential = pat && this.#bySecret.get(pat.secret)
    if (!credential || credential.revoked) return false
    credential.revoked = true
    return true
  }

  issueOAuthClient(user: JiraUser): { clientId: string; clientSecret: string } {
    const clientId = randomSecret('', 32)
    const credential = this.#add('oauth-client', randomSecret('ATOA', 64), user, undefined, true)
    this.#clients.set(clientId, credential)
    return { clientId, clientSecret: credential.secret }
  }

  /** The client credentials grant: a 60-minute access token, or undefined when the client is unknown or revoked. */
  exchangeClientCredentials(clientId: string, clientSecret: string): string | undefined {
    const client = this.#clients.get(clientId)
    if (!client || client.secret !== clientSecret || !this.#isLive(client)) return undefined
    const expiresAt = this.#now() + ACCESS_TOKEN_LIFETIME_SECONDS * 1000
    return this.#add('access-token', randomSecret('eyJ', 120), client.user, expiresAt, true).secret
  }

  revoke(secret: string): void {
    const credential = this.#bySecret.get(secret)
    if (!credential) throw new Error('revoke: the sandbox never issued that secret')
    credential.revoked = true
  }

  /** A live credential of one of the kinds, or why there is none. */
  find(secret: string, kinds: readonly CredentialKind[]): { credential: Credential } | { refusal: 'unknown' | 'revoked' | 'expired' } {
    const credential = this.#bySecret.get(secret)
    if (!credential || !kinds.includes(credential.kind)) return { refusal: 'unknown' }
    if (credential.revoked) return { refusal: 'revoked' }
    if (!this.#isLive(credential)) return { refusal: 'expired' }
    if (credential.kind === 'pat') this.#touchPat(secret)
    return { credential }
  }

  #isLive(credential: Credential): boolean {
    return !credential.revoked && (credential.expiresAt === undefined || credential.expiresAt > this.#now())
  }

  #touchPat(secret: string): void {
    for (const pat of this.#pats.values()) if (pat.secret === secret) pat.lastAccessedAt = this.#now()
  }

  #add(kind: CredentialKind, secret: string, user: JiraUser, expiresAt: number | undefined, scoped: boolean): Credential {
    const credential: Credential = { kind, secret, user, createdAt: this.#now(), expiresAt, revoked: false, scoped }
    this.#bySecret.set(secret, credential)
    return credential
  }
}
