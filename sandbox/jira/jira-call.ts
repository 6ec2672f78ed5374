/**
 * What every Jira route shares: the sandbox's parts, who is calling, how the
 * answer is written (API version, site or gateway links), the refusal of bad
 * credentials and the rate limits, applied before the route's own work.
 */
import type { HttpMethod, RouteHandler, Router, SandboxRequest, SandboxResponse } from '../http/sandbox-server.ts'
import { describePrincipal, isGatewayPath, userOf, type Personality, type Principal } from './jira-authentication.ts'
import type { CredentialStore } from './jira-credentials.ts'
import { notAuthenticatedCloud, notAuthenticatedDataCenter, refusal } from './jira-errors.ts'
import type { View } from './jira-representation.ts'
import type { JiraState, JiraUser } from './jira-state.ts'
import type { RateLimiter } from './rate-limits.ts'

export interface JiraContext {
  personality: Personality
  state: JiraState
  credentials: CredentialStore
  limiter: RateLimiter
  cloudId: string
  /** Cloud: the Atlassian organization that manages the site's users (for the admin API). */
  orgId: string
  siteUrl(): string
  gatewayUrl(): string
  searchLagMs: number
  cloudUnknownKeys: 'ignore' | 'reject'
  /** Set by the kernel's authenticate hook, read by the routes. */
  principals: WeakMap<SandboxRequest, Principal>
}

export interface JiraCall {
  request: SandboxRequest
  principal: Principal
  user: JiraUser | undefined
  view: View
}

export type JiraHandler = (call: JiraCall) => SandboxResponse | Promise<SandboxResponse>

/** The Cloud gateway serves the site's REST API under this prefix. */
export const GATEWAY_PREFIX = '/ex/jira/{cloudId}'

/**
 * Registers a REST route for each API version given (`{v}` in the template;
 * Data Center has v2 only), on Cloud also behind the gateway prefix, with the
 * shared checks in front.
 */
export function addJiraRoute(
  router: Router,
  context: JiraContext,
  method: HttpMethod,
  template: string,
  handler: JiraHandler,
  versions: Array<'2' | '3'> = ['2', '3'],
): void {
  const cloud = context.personality === 'cloud'
  const paths = template.includes('{v}') ? (cloud ? versions : ['2']).map((version) => template.replace('{v}', version)) : [template]
  for (const prefix of cloud ? ['', GATEWAY_PREFIX] : ['']) {
    for (const path of paths) router.add(method, prefix + path, guard(context, handler))
  }
}

function guard(context: JiraContext, handler: JiraHandler): RouteHandler {
  return (request) => {
    const principal = context.principals.get(request) ?? { kind: 'anonymous' }
    if (request.params.cloudId !== undefined && request.params.cloudId !== context.cloudId) {
      return refusal(404, [`No site with cloud id '${request.params.cloudId}' is reachable with this credential.`])
    }
    if (principal.kind === 'refused') {
      return context.personality === 'cloud' ? notAuthenticatedCloud() : notAuthenticatedDataCenter('AUTHENTICATED_FAILED')
    }
    if (context.personality === 'cloud') {
      const limited = context.limiter.check({ principal: describePrincipal(principal), writtenIssue: writtenIssue(context, request) })
      if (limited) return limited
    }
    const view: View = {
      baseUrl: isGatewayPath(request.path) ? context.gatewayUrl() : context.siteUrl(),
      apiVersion: /\/rest\/api\/3\//.test(request.path) ? '3' : '2',
      personality: context.personality,
      user: userOf(principal),
    }
    return handler({ request, principal, user: view.user, view })
  }
}

/** Per-issue write budgets count by issue id, whichever of id or key the path names. */
function writtenIssue(context: JiraContext, request: SandboxRequest): string | undefined {
  const idOrKey = request.params.issueIdOrKey
  if (request.method === 'GET' || idOrKey === undefined) return undefined
  return context.state.issue(idOrKey)?.id ?? idOrKey
}

/** Answers 401 the way each Jira does when an operation needs a user and the caller is anonymous. */
export function requireUser(call: JiraCall, personality: Personality): SandboxResponse | undefined {
  if (call.user) return undefined
  return personality === 'cloud' ? notAuthenticatedCloud() : notAuthenticatedDataCenter(undefined)
}

/** Query parameter or JSON body member, whichever the request carries (GET and POST search share it). */
export function parameter(call: JiraCall, name: string): unknown {
  const body = call.request.body
  if (call.request.method !== 'GET' && typeof body === 'object' && body !== null && name in body) {
    return (body as Record<string, unknown>)[name]
  }
  const values = call.request.query.getAll(name)
  if (values.length === 0) return undefined
  return values.length === 1 ? values[0] : values
}

export function integerParameter(call: JiraCall, name: string, fallback: number): number | undefined {
  const value = parameter(call, name)
  if (value === undefined || value === '') return fallback
  const number = Number(value)
  return Number.isInteger(number) && number >= 0 ? number : undefined
}
