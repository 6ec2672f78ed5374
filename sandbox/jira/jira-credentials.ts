/**
 * Every credential the sandbox Jira accepts: Cloud API tokens (classic and
 * scoped), Data Center personal access tokens, service-account OAuth clients
 * and the access tokens they exchange for, and the organization admin API
 * keys that list and revoke API tokens. Secrets are random per call.
 */
import { randomUUID } from 'node:crypto'
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

/** A Cloud user API token as the organization admin API lists it (never with its value). */
export interface ApiToken {
  id: string
  label: string
  user: JiraUser
  createdAt: number
  expiresAt: number
  lastAccessedAt: number | undefined
}

/** A service account's OAuth client: the secret can be rotated (as an admin does in the console), the client id stays. */
export interface OAuthClient {
  clientId: string
  user: JiraUser
  createdAt: number
  secretCreatedAt: number
}

export type CredentialState = 'live' | 'revoked' | 'expired' | 'unknown'

export const ACCESS_TOKEN_LIFETIME_SECONDS = 3600
/** Cloud API tokens expire after at most a year; a year is also the default (specs/README.md). */
export const API_TOKEN_DEFAULT_LIFETIME_MS = 365 * 24 * 3600 * 1000

export class CredentialStore {
  readonly #bySecret = new Map<string, Credential>()
  readonly #pats = new Map<number, PersonalAccessToken & { secret: string }>()
  readonly #apiTokens = new Map<string, ApiToken & { secret: string }>()
  readonly #clients = new Map<string, Credential>()
  readonly #clientRecords = new Map<string, OAuthClient>()
  readonly #adminKeys = new Map<string, { revoked: boolean }>()
  readonly #now: () => number
  #nextPatId = 1

  constructor(now: () => number) {
    this.#now = now
  }

  issueApiToken(user: JiraUser, options: { expiresAt?: Date; scoped?: boolean; label?: string } = {}): string {
    const expiresAt = options.expiresAt?.getTime() ?? this.#now() + API_TOKEN_DEFAULT_LIFETIME_MS
    const credential = this.#add('api-token', randomSecret('ATATT3x', 40), user, expiresAt, options.scoped ?? false)
    const id = randomUUID()
    const label = options.label ?? `token ${this.#apiTokens.size + 1}`
    this.#apiTokens.set(id, { id, label, user, createdAt: credential.createdAt, expiresAt, lastAccessedAt: undefined, secret: credential.secret })
    return credential.secret
  }

  /** API tokens that exist (expired ones too, until deleted), optionally of one user: what the admin API lists. */
  listApiTokens(user?: JiraUser): ApiToken[] {
    return [...this.#apiTokens.values()]
      .filter((token) => (user === undefined || token.user === user) && !this.#bySecret.get(token.secret)?.revoked)
      .map(({ secret: _secret, ...token }) => token)
  }

  /** Deleting an API token, as the admin API does (permanently). */
  revokeApiToken(id: string): boolean {
    const token = this.#apiTokens.get(id)
    const credential = token && this.#bySecret.get(token.secret)
    if (!credential || credential.revoked) return false
    credential.revoked = true
    return true
  }

  issueAdminKey(): string {
    const key = randomSecret('ATCTT3x', 40)
    this.#adminKeys.set(key, { revoked: false })
    return key
  }

  isLiveAdminKey(key: string): boolean {
    return this.#adminKeys.get(key)?.revoked === false
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
    this.#clientRecords.set(clientId, { clientId, user, createdAt: credential.createdAt, secretCreatedAt: credential.createdAt })
    return { clientId, clientSecret: credential.secret }
  }

  oauthClient(clientId: string): OAuthClient | undefined {
    const record = this.#clientRecords.get(clientId)
    return record && { ...record }
  }

  /** A new secret for the same client id; the old secret stops working at once. */
  rotateOAuthClientSecret(clientId: string): string {
    const previous = this.#clients.get(clientId)
    const record = this.#clientRecords.get(clientId)
    if (!previous || !record) throw new Error('rotateOAuthClientSecret: the sandbox never issued that client id')
    previous.revoked = true
    const credential = this.#add('oauth-client', randomSecret('ATOA', 64), previous.user, undefined, true)
    this.#clients.set(clientId, credential)
    record.secretCreatedAt = credential.createdAt
    return credential.secret
  }

  /** The client credentials grant: a 60-minute access token, or undefined when the client is unknown or revoked. */
  exchangeClientCredentials(clientId: string, clientSecret: string): string | undefined {
    const client = this.#clients.get(clientId)
    if (!client || client.secret !== clientSecret || !this.#isLive(client)) return undefined
    const expiresAt = this.#now() + ACCESS_TOKEN_LIFETIME_SECONDS * 1000
    return this.#add('access-token', randomSecret('eyJ', 120), client.user, expiresAt, true).secret
  }

  revoke(secret: string): void {
    const adminKey = this.#adminKeys.get(secret)
    if (adminKey) {
      adminKey.revoked = true
      return
    }
    const credential = this.#bySecret.get(secret)
    if (!credential) throw new Error('revoke: the sandbox never issued that secret')
    credential.revoked = true
  }

  /** Whether the sandbox would accept a secret now, and if not, why. */
  stateOf(secret: string): CredentialState {
    const adminKey = this.#adminKeys.get(secret)
    if (adminKey) return adminKey.revoked ? 'revoked' : 'live'
    const credential = this.#bySecret.get(secret)
    if (!credential) return 'unknown'
    if (credential.revoked) return 'revoked'
    return this.#isLive(credential) ? 'live' : 'expired'
  }

  /** A live credential of one of the kinds, or why there is none. */
  find(secret: string, kinds: readonly CredentialKind[]): { credential: Credential } | { refusal: 'unknown' | 'revoked' | 'expired' } {
    const credential = this.#bySecret.get(secret)
    if (!credential || !kinds.includes(credential.kind)) return { refusal: 'unknown' }
    if (credential.revoked) return { refusal: 'revoked' }
    if (!this.#isLive(credential)) return { refusal: 'expired' }
    if (credential.kind === 'pat') this.#touchPat(secret)
    if (credential.kind === 'api-token') this.#touchApiToken(secret)
    return { credential }
  }

  #isLive(credential: Credential): boolean {
    return !credential.revoked && (credential.expiresAt === undefined || credential.expiresAt > this.#now())
  }

  #touchPat(secret: string): void {
    for (const pat of this.#pats.values()) if (pat.secret === secret) pat.lastAccessedAt = this.#now()
  }

  #touchApiToken(secret: string): void {
    for (const token of this.#apiTokens.values()) if (token.secret === secret) token.lastAccessedAt = this.#now()
  }

  #add(kind: CredentialKind, secret: string, user: JiraUser, expiresAt: number | undefined, scoped: boolean): Credential {
    const credential: Credential = { kind, secret, user, createdAt: this.#now(), expiresAt, revoked: false, scoped }
    this.#bySecret.set(secret, credential)
    return credential
  }
}
