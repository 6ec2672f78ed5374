/**
 * A stateful Jira on loopback, Cloud or Data Center, faithful to the official
 * contracts (../shared/specs) and to what real Jira answers where the specs
 * are silent. Tests and the demo drive it over HTTP and inspect it directly.
 */
import { randomUUID } from 'node:crypto'
import { Router, startSandboxServer, type Fault, type RequestLogEntry } from '../http/sandbox-server.ts'
import { plainText } from './adf.ts'
import { authenticate, describePrincipal, type Personality, type Principal } from './jira-authentication.ts'
import type { JiraContext } from './jira-call.ts'
import { CredentialStore } from './jira-credentials.ts'
import { defaultSeed, type JiraSeed, type ProjectPermission, type SeedUser } from './jira-seed.ts'
import { JiraState, type JiraIssue, type JiraUser } from './jira-state.ts'
import { statusById } from './jira-workflows.ts'
import { CLOUD_DEFAULT_RATE_LIMITS, RateLimiter, type JiraRateLimits } from './rate-limits.ts'
import { registerCloudRoutes } from './routes-cloud.ts'
import { registerDataCenterRoutes } from './routes-data-center.ts'

export { defaultSeed }
export type { JiraSeed, ProjectPermission, SeedUser, JiraUser, JiraRateLimits, Personality }
export type { RateWindow } from './rate-limits.ts'
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
  /** Fresh random secrets each call. Cloud Basic `email:token`; scoped tokens work only at gatewayUrl. */
  issueApiToken(user: JiraUser, options?: { expiresAt?: Date; scoped?: boolean }): string
  /** Data Center Bearer token. */
  issuePat(user: JiraUser, options?: { expiresAt?: Date; name?: string }): { id: number; token: string }
  /** Cloud service account, client credentials grant at `${url}/oauth/token`. */
  issueOAuthClient(user: JiraUser): { clientId: string; clientSecret: string }
  revoke(secret: string): void
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
  let siteUrl = ''
  const context: JiraContext = {
    personality,
    state,
    credentials,
    limiter: new RateLimiter(options.rateLimits ?? (personality === 'cloud' ? CLOUD_DEFAULT_RATE_LIMITS : {}), now),
    cloudId,
    siteUrl: () => siteUrl,
    gatewayUrl: () => `${siteUrl}/ex/jira/${cloudId}`,
    searchLagMs: options.searchLagMs ?? 0,
    cloudUnknownKeys: options.cloudUnknownKeys ?? 'ignore',
    principals: new WeakMap(),
  }
  const router = new Router()
  if (personality === 'cloud') registerCloudRoutes(router, context)
  else registerDataCenterRoutes(router, context)

  const server = await startSandboxServer({
    name: `Jira ${personality}`,
    router,
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    authenticate: (request) => {
      // The Atlassian identity endpoints check their own credentials (see atlassian-identity-routes.ts).
      if (request.path.startsWith('/oauth/') || request.path.startsWith('/_edge/')) return undefined
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
    issuePat(user, patOptions) {
      requirePersonality('data-center', 'A personal access token')
      return credentials.issuePat(user, patOptions)
    },
    issueOAuthClient(user) {
      requirePersonality('cloud', 'An OAuth client')
      return credentials.issueOAuthClient(user)
    },
    revoke: (secret) => credentials.revoke(secret),
    issue(key) {
      const issue = state.issue(key)
      if (!issue) throw new Error(`no issue '${key}' in the Jira sandbox`)
      return view(issue)
    },
    createIssue: (input) => view(state.createIssue(input.project, input.summary, input.status)),
    close: () => server.close(),
  }
}
