/**
 * A stateful Jira on loopback, Cloud or Data Center, faithful to the official
 * contracts (test/contract/specs) and to what real Jira answers where the specs
 * are silent. Tests and the demo drive it over HTTP and inspect it directly.
 */
import { randomUUID } from 'node:crypto'
import { Router, startSandboxServer, type Fault, type RequestLogEntry } from '../http/sandbox-server.ts'
import { plainText } from './adf.ts'
import { describeAdminCaller, isAdminApiPath } from './admin-api-routes.ts'
import { authenticate, describePrincipal, type Personality, type Principal } from './jira-authentication.ts'
import type { JiraContext } from './jira-call.ts'
import { CredentialStore, type ApiToken, type CredentialState, type PersonalAccessToken } from './jira-credentials.ts'
import { defaultSeed, type JiraSeed, type ProjectPermission, type SeedUser } from './jira-seed.ts'
import { JiraState, type JiraIssue, type JiraUser } from './jira-state.ts'
import { statusById } from './jira-workflows.ts'
import { CLOUD_DEFAULT_RATE_LIMITS, RateLimiter, type JiraRateLimits } from './rate-limits.ts'
import { registerCloudRoutes } from './routes-cloud.ts'
import { registerDataCenterRoutes } from './routes-data-center.ts'

export { defaultSeed }
export type { JiraSeed, ProjectPermission, SeedUser, JiraUser, JiraRateLimits, Personality }
export type { RateWindow } from './rate-limits.ts'
export type { CredentialState }
export type { SeedProject } from './jira-seed.ts'

export interface JiraSandboxOptions {
  /** Default 'cloud'. */
  personality?: Personality
  latencyMs?: number
  /** How long a write stays invisible to search (Cloud search/jql is eventually consistent), default 0. */
  searchLagMs?: number
  seed?: JiraSeed
  /** Cloud search/jql ignores keys that do not exist (see issue-search.ts); 'reject' answers the legacy 400 instead. */
  cloudUnknownKeys?: 'ignore' | 'reject'
  /** Cloud's per-issue write limits apply by default; pass {} to lift them. */
  rateLimits?: JiraRateLimits
  /**
   * Data Center: whether a Bearer PAT may call /rest/pat/latest/tokens (default
   * true). The contract notes leave it unverified; false answers 403 to a PAT
   * there, as a Jira that allows basic auth only would.
   */
  patEndpointsAcceptPat?: boolean
}

/** A personal access token as the sandbox holds it, for assertions (no value). */
export interface SandboxPat {
  id: number
  name: string
  createdAt: Date
  expiresAt: Date | undefined
  lastAccessedAt: Date | undefined
}

/** A Cloud API token as the sandbox holds it, for assertions (no value). */
export interface SandboxApiToken {
  id: string
  label: string
  createdAt: Date
  expiresAt: Date
  lastAccessedAt: Date | undefined
}

export interface SandboxIssueView {
  key: string
  summary: string
  status: string
  resolution: string | null
  fixVersions: string[]
  comments: Array<{ author: string; text: string; raw: unknown }>
}

export interface JiraSandbox {
  /** Site base URL, http://127.0.0.1:PORT. */
  readonly url: string
  /** Cloud only: `${url}/ex/jira/${cloudId}` (the scoped-token and OAuth gateway). */
  readonly gatewayUrl: string
  readonly cloudId: string
  /** Cloud: the organization whose admin API lists and revokes API tokens (at `${url}/admin/api-access/v1/orgs/${orgId}/...`). */
  readonly orgId: string
  readonly personality: Personality
  readonly log: RequestLogEntry[]
  inject(fault: Fault): void
  clearFaults(): void
  setLatency(ms: number): void
  /** Rate limits: e.g. { perIssueWrite: { limit: 20, windowMs: 2000 } } or { global: { limit, windowMs, retryAfterSeconds } }. */
  setRateLimit(limits: JiraRateLimits): void
  addUser(user: SeedUser): JiraUser
  /** A seeded or added user by name ('demo', 'viewer'). */
  user(name: string): JiraUser
  /**
   * Fresh random secrets each call. Cloud Basic `email:token`; scoped tokens work only at gatewayUrl.
   * Expires after a year unless told otherwise; the label is what the admin API lists.
   */
  issueApiToken(user: JiraUser, options?: { expiresAt?: Date; scoped?: boolean; label?: string }): string
  /** The user's API tokens that exist (deleted ones gone), as the admin API sees them. */
  apiTokens(user: JiraUser): SandboxApiToken[]
  /** Cloud: an organization admin API key (Bearer) for the admin API; `revoke` revokes it too. */
  issueAdminKey(): string
  /** Data Center Bearer token. */
  issuePat(user: JiraUser, options?: { expiresAt?: Date; name?: string }): { id: number; token: string }
  /** The user's personal access tokens that exist (revoked ones gone), as /rest/pat/latest/tokens lists them. */
  pats(user: JiraUser): SandboxPat[]
  /** Cloud service account, client credentials grant at `${url}/oauth/token`. */
  issueOAuthClient(user: JiraUser): { clientId: string; clientSecret: string }
  /** When the client was created and when its current secret was, so a secret's age can be shown. */
  oauthClient(clientId: string): { clientId: string; createdAt: Date; secretCreatedAt: Date }
  /** An admin rotating the client's secret in the console: a new secret, the old one refused at once. */
  rotateOAuthClientSecret(clientId: string): string
  revoke(secret: string): void
  /** Whether the sandbox accepts a secret now: 'live', 'revoked', 'expired' or 'unknown'. */
  credentialState(secret: string): CredentialState
  issue(key: string): SandboxIssueView
  createIssue(input: { project: string; summary: string; status?: string }): SandboxIssueView
  close(): Promise<void>
}

export async function startJiraSandbox(options: JiraSandboxOptions = {}): Promise<JiraSandbox> {
  const personality = options.personality ?? 'cloud'
  const state = new JiraState(options.seed ?? defaultSeed())
  const now = () => state.now()
  const credentials = new CredentialStore(now)
  const cloudId = randomUUID()
  const orgId = randomUUID()
  let siteUrl = ''
  const context: JiraContext = {
    personality,
    state,
    credentials,
    limiter: new RateLimiter(options.rateLimits ?? (personality === 'cloud' ? CLOUD_DEFAULT_RATE_LIMITS : {}), now),
    cloudId,
    orgId,
    siteUrl: () => siteUrl,
    gatewayUrl: () => `${siteUrl}/ex/jira/${cloudId}`,
    searchLagMs: options.searchLagMs ?? 0,
    cloudUnknownKeys: options.cloudUnknownKeys ?? 'ignore',
    principals: new WeakMap(),
  }
  const router = new Router()
  if (personality === 'cloud') registerCloudRoutes(router, context)
  else registerDataCenterRoutes(router, context, { patEndpointsAcceptPat: options.patEndpointsAcceptPat ?? true })

  const server = await startSandboxServer({
    name: `Jira ${personality}`,
    router,
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    authenticate: (request) => {
      // The Atlassian identity endpoints check their own credentials (see atlassian-identity-routes.ts).
      if (request.path.startsWith('/oauth/') || request.path.startsWith('/_edge/')) return undefined
      if (personality === 'cloud' && isAdminApiPath(request.path)) return describeAdminCaller(context, request)
      const principal: Principal = authenticate(context, request)
      context.principals.set(request, principal)
      return describePrincipal(principal)
    },
  })
  siteUrl = server.url

  const requirePersonality = (wanted: Personality, what: string): void => {
    if (personality !== wanted) throw new Error(`${what} exists only on a ${wanted} sandbox; this one is ${personality}.`)
  }
  const view = (issue: JiraIssue): SandboxIssueView => ({
    key: issue.key,
    summary: issue.state.summary,
    status: statusById(issue.state.statusId).name,
    resolution: issue.state.resolution,
    fixVersions: [...issue.state.fixVersions],
    comments: issue.state.comments.map((comment) => ({ author: comment.author.name, text: plainText(comment.body), raw: comment.body })),
  })

  return {
    url: server.url,
    gatewayUrl: context.gatewayUrl(),
    cloudId,
    orgId,
    personality,
    log: server.log,
    inject: (fault) => server.inject(fault),
    clearFaults: () => server.clearFaults(),
    setLatency: (ms) => server.setLatency(ms),
    setRateLimit: (limits) => context.limiter.set(limits),
    addUser: (user) => state.addUser(user),
    user(name) {
      const user = state.users.get(name)
      if (!user) throw new Error(`no user '${name}' in the Jira sandbox (have: ${[...state.users.keys()].join(', ')})`)
      return user
    },
    issueApiToken(user, tokenOptions) {
      requirePersonality('cloud', 'An API token')
      return credentials.issueApiToken(user, tokenOptions)
    },
    apiTokens: (user) => credentials.listApiTokens(user).map(apiTokenView),
    issueAdminKey() {
      requirePersonality('cloud', 'An organization admin API key')
      return credentials.issueAdminKey()
    },
    issuePat(user, patOptions) {
      requirePersonality('data-center', 'A personal access token')
      return credentials.issuePat(user, patOptions)
    },
    pats: (user) => credentials.listPats(user).map(patView),
    issueOAuthClient(user) {
      requirePersonality('cloud', 'An OAuth client')
      return credentials.issueOAuthClient(user)
    },
    oauthClient(clientId) {
      const client = credentials.oauthClient(clientId)
      if (!client) throw new Error('no OAuth client with that client id in the Jira sandbox')
      return { clientId, createdAt: new Date(client.createdAt), secretCreatedAt: new Date(client.secretCreatedAt) }
    },
    rotateOAuthClientSecret: (clientId) => credentials.rotateOAuthClientSecret(clientId),
    revoke: (secret) => credentials.revoke(secret),
    credentialState: (secret) => credentials.stateOf(secret),
    issue(key) {
      const issue = state.issue(key)
      if (!issue) throw new Error(`no issue '${key}' in the Jira sandbox`)
      return view(issue)
    },
    createIssue: (input) => view(state.createIssue(input.project, input.summary, input.status)),
    close: () => server.close(),
  }
}

const optionalDate = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms))

function patView(pat: PersonalAccessToken): SandboxPat {
  return { id: pat.id, name: pat.name, createdAt: new Date(pat.createdAt), expiresAt: optionalDate(pat.expiresAt), lastAccessedAt: optionalDate(pat.lastAccessedAt) }
}

function apiTokenView(token: ApiToken): SandboxApiToken {
  return { id: token.id, label: token.label, createdAt: new Date(token.createdAt), expiresAt: new Date(token.expiresAt), lastAccessedAt: optionalDate(token.lastAccessedAt) }
}
