/**
 * Who is calling and what they may do: tokens shaped like a workflow's
 * GITHUB_TOKEN, a GitHub App installation token or a fine-grained personal
 * token, each with repository-level permissions on a set of repositories,
 * and the primary rate limit each of them spends.
 */
import { randomSecret, type SandboxRequest } from '../http/sandbox-server.ts'
import { looksLikeJwt, type AppRecord, type AppRegistry } from './apps.ts'
import { fullNameOf, type Actor, type GitHubState, type PermissionLevel, type RepositoryRecord } from './state.ts'

export type TokenKind = 'github-actions' | 'installation' | 'user'

export interface IssueTokenOptions {
  /** Full names (`acme/shop`) the token covers; `*` covers every repository. */
  repositories: string[]
  /** Repository permissions, as in a workflow's `permissions:` or an app installation (`issues`, `pull_requests`, `contents`, ...). */
  permissions: Record<string, PermissionLevel>
  kind?: TokenKind
  /** For `user` tokens the account's login; for `installation` tokens the bot login or the app slug. */
  login?: string
  /** For `installation` tokens: the app slug (the bot is `<slug>[bot]`). Default `jira-warden`. */
  appSlug?: string
  /** Lifetime; installation tokens and GITHUB_TOKENs live one hour on GitHub. Default: one hour for those, none for user tokens. */
  expiresInSeconds?: number
  /** For `installation` tokens made through POST /app/installations/{id}/access_tokens: that installation. */
  installationId?: number
  /** The account whose repositories `*` means (an installation's account). Default: every account. */
  account?: string
}

export interface RateLimitBucket {
  limit: number
  used: number
  /** Epoch seconds when the window resets. */
  reset: number
}

export interface TokenRecord {
  value: string
  kind: TokenKind
  actor: Actor
  repositories: Set<string> | 'all'
  permissions: Map<string, PermissionLevel>
  expiresAt: Date | undefined
  installationId: number | undefined
  /** Lower-cased login of the account `all` is limited to. */
  account: string | undefined
  rate: RateLimitBucket
}

export interface Caller {
  /** Undefined for anonymous requests. */
  token: TokenRecord | undefined
  /** Set when the request carries a valid JWT of a GitHub App (then `token` is undefined). */
  app?: AppRecord
  rate: RateLimitBucket
}

export type Authentication =
  | { outcome: 'anonymous'; caller: Caller }
  | { outcome: 'authenticated'; caller: Caller }
  | { outcome: 'refused'; message: string }

/** Repository permissions a workflow's GITHUB_TOKEN can never hold: GitHub offers no such `permissions:` key. */
const NOT_FOR_GITHUB_TOKEN = ['secrets', 'actions_variables', 'environments', 'organization_secrets', 'administration']

const RANK: Record<PermissionLevel, number> = { read: 1, write: 2, admin: 3 }
const RATE_WINDOW_SECONDS = 3600
/** GitHub's primary limits per hour: GITHUB_TOKEN 1,000 per repository, installations and users 5,000, anonymous 60. */
const RATE_LIMITS: Record<TokenKind | 'anonymous', number> = { 'github-actions': 1000, installation: 5000, user: 5000, anonymous: 60 }

export class TokenStore {
  readonly #tokens = new Map<string, TokenRecord>()
  readonly #state: GitHubState
  readonly anonymousRate: RateLimitBucket
  readonly #apps: AppRegistry
  #installationIds = 40000000

  constructor(state: GitHubState, apps: AppRegistry) {
    this.#state = state
    this.#apps = apps
    this.anonymousRate = this.#newBucket('anonymous')
  }

  issue(options: IssueTokenOptions): string {
    const kind = options.kind ?? 'github-actions'
    for (const name of options.repositories) if (name !== '*') this.#state.repository(name)
    const forbidden = kind === 'github-actions' ? Object.keys(options.permissions).filter((name) => NOT_FOR_GITHUB_TOKEN.includes(name)) : []
    if (forbidden.length > 0) {
      throw new Error(`GitHub sandbox: a workflow's GITHUB_TOKEN cannot hold ${forbidden.join(', ')}; issue an installation token (kind: 'installation') instead`)
    }
    const value = randomSecret(kind === 'user' ? 'github_pat_' : 'ghs_', 36)
    const lifetime = options.expiresInSeconds ?? (kind === 'user' ? undefined : 3600)
    this.#tokens.set(value, {
      value,
      kind,
      actor: this.#actorFor(kind, options),
      repositories: options.repositories.includes('*') ? 'all' : new Set(options.repositories.map((name) => name.toLowerCase())),
      permissions: new Map(Object.entries(options.permissions)),
      expiresAt: lifetime === undefined ? undefined : new Date(this.#state.now().getTime() + lifetime * 1000),
      installationId: kind === 'user' ? undefined : (options.installationId ?? (this.#installationIds += 1)),
      account: options.account?.toLowerCase(),
      rate: this.#newBucket(kind),
    })
    return value
  }

  find(value: string): TokenRecord | undefined {
    return this.#tokens.get(value)
  }

  /** Makes the token expire now, as if its hour had passed (the next request with it gets 401). */
  expire(value: string): void {
    const token = this.#tokens.get(value)
    if (!token) throw new Error('GitHub sandbox: expireToken for a token the sandbox did not issue')
    token.expiresAt = new Date(this.#state.now().getTime() - 1000)
  }

  /** A rate bucket for requests signed as an app. */
  newAppBucket(): RateLimitBucket {
    return this.#newBucket('installation')
  }

  /** Reads the Authorization header (`token X`, `Bearer X`, or Basic with the token as password). */
  authenticate(request: SandboxRequest): Authentication {
    const header = request.headers.authorization
    if (header === undefined || header === '') return { outcome: 'anonymous', caller: { token: undefined, rate: this.#fresh(this.anonymousRate) } }
    const credential = tokenIn(header) ?? ''
    if (looksLikeJwt(credential)) {
      const check = this.#apps.checkJwt(credential)
      if (check.outcome === 'refused') return check
      return { outcome: 'authenticated', caller: { token: undefined, app: check.app, rate: this.#fresh(check.app.rate) } }
    }
    const token = this.find(credential)
    if (!token || (token.expiresAt && token.expiresAt.getTime() <= this.#state.now().getTime())) return { outcome: 'refused', message: 'Bad credentials' }
    return { outcome: 'authenticated', caller: { token, rate: this.#fresh(token.rate) } }
  }

  #actorFor(kind: TokenKind, options: IssueTokenOptions): Actor {
    if (kind === 'github-actions') return this.#state.actor('github-actions[bot]', 'Bot')
    if (kind === 'installation') {
      const slug = options.appSlug ?? options.login?.replace(/\[bot\]$/, '') ?? 'jira-warden'
      return this.#state.actor(`${slug}[bot]`, 'Bot')
    }
    return this.#state.actor(options.login ?? 'octocat', 'User')
  }

  #newBucket(kind: TokenKind | 'anonymous'): RateLimitBucket {
    return { limit: RATE_LIMITS[kind], used: 0, reset: this.#epochSeconds() + RATE_WINDOW_SECONDS }
  }

  /** The bucket, its window restarted when the reset time has passed. */
  #fresh(bucket: RateLimitBucket): RateLimitBucket {
    if (this.#epochSeconds() >= bucket.reset) {
      bucket.used = 0
      bucket.reset = this.#epochSeconds() + RATE_WINDOW_SECONDS
    }
    return bucket
  }

  #epochSeconds(): number {
    return Math.floor(this.#state.now().getTime() / 1000)
  }
}

function tokenIn(header: string | string[]): string | undefined {
  const value = Array.isArray(header) ? header[0] : header
  const match = /^(token|bearer|basic)\s+(\S+)\s*$/i.exec(value ?? '')
  if (!match) return undefined
  const [, scheme = '', credential = ''] = match
  if (scheme.toLowerCase() !== 'basic') return credential
  const decoded = Buffer.from(credential, 'base64').toString('utf8')
  return decoded.slice(decoded.indexOf(':') + 1)
}

export function covers(token: TokenRecord, repository: RepositoryRecord): boolean {
  if (token.repositories !== 'all') return token.repositories.has(fullNameOf(repository).toLowerCase())
  return token.account === undefined || token.account === repository.owner.login.toLowerCase()
}

/** Whether the token acts for the organization: its installation's account, `*` without an account, or a repository of it. */
export function actsForOrganization(token: TokenRecord, organization: string): boolean {
  const login = organization.toLowerCase()
  if (token.account !== undefined) return token.account === login
  if (token.repositories === 'all') return true
  return [...token.repositories].some((name) => name.startsWith(`${login}/`))
}

export function grantsOnOrganization(caller: Caller, organization: string, permission: string, level: PermissionLevel): boolean {
  const token = caller.token
  if (!token || !actsForOrganization(token, organization)) return false
  const held = token.permissions.get(permission)
  return held !== undefined && RANK[held] >= RANK[level]
}

/** Whether the repository exists for this caller at all (others get 404, as GitHub hides private repositories). */
export function canSee(caller: Caller, repository: RepositoryRecord): boolean {
  return !repository.private || (caller.token !== undefined && covers(caller.token, repository))
}

/**
 * The caller's level of one repository permission. Every token may read
 * metadata of what it covers; public repositories are readable by anyone.
 */
export function levelOf(caller: Caller, repository: RepositoryRecord, permission: string): PermissionLevel | undefined {
  const token = caller.token
  if (token && covers(token, repository)) {
    return token.permissions.get(permission) ?? (permission === 'metadata' ? 'read' : undefined)
  }
  return repository.private ? undefined : 'read'
}

export function grants(caller: Caller, repository: RepositoryRecord, permission: string, level: PermissionLevel): boolean {
  const held = levelOf(caller, repository, permission)
  return held !== undefined && RANK[held] >= RANK[level]
}

/** What GitHub answers when a token lacks a permission. */
export function notAccessibleMessage(caller: Caller): string {
  return caller.token?.kind === 'user' ? 'Resource not accessible by personal access token' : 'Resource not accessible by integration'
}

export function rateLimitExceededMessage(caller: Caller): string {
  const token = caller.token
  if (!token) {
    return "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"
  }
  if (token.kind === 'user') return `API rate limit exceeded for user ID ${token.actor.id}.`
  return `API rate limit exceeded for installation ID ${token.installationId}.`
}
