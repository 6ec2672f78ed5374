/**
 * How GitHub routes are declared and guarded. Each route file exports a list
 * of `GitHubRoute`s (the spec's path template, its documentation URL and the
 * permissions that grant it); `registerRoutes` wraps each with GitHub's order
 * of checks: repository or organization visible (else 404), permission held
 * (else 403, or 401 when anonymous), then the handler, whose
 * `GitHubHttpError`s become answers. Routes marked `auth: 'app'` take only a
 * GitHub App's JWT. Every route also answers under `/api/v3` (the GitHub
 * Enterprise prefix Probot uses with GHE_HOST).
 */
import type { HttpMethod, Router, SandboxRequest, SandboxResponse } from '../http/sandbox-server.ts'
import type { EnvironmentRecord, OrganizationRecord } from './actions-records.ts'
import { JWT_UNDECODABLE, type AppRecord, type AppRegistry } from './apps.ts'
import { canSee, grants, grantsOnOrganization, notAccessibleMessage, type Caller, type TokenStore } from './auth.ts'
import { fail, GitHubHttpError, integerParam, notFound } from './http.ts'
import type { Actor, AuthorAssociation, GitHubState, IssueRecord, PermissionLevel, RepositoryRecord } from './state.ts'
import type { WebhookSender } from './webhooks.ts'
import type { WorkflowRunner } from './workflow-runner.ts'

export type PermissionRequirement = readonly [permission: string, level: PermissionLevel]

export interface GitHubWorld {
  state: GitHubState
  tokens: TokenStore
  apps: AppRegistry
  webhooks: WebhookSender
  runner: WorkflowRunner
}

export interface GitHubRoute {
  method: HttpMethod
  /** The path template exactly as the official REST description spells it. */
  path: string
  /** The operation's documentation URL, which GitHub puts in its error bodies. */
  docs: string
  /** Any one of these grants the route; checked before the handler. Omitted: anyone who can see the repository. */
  accepts?: readonly PermissionRequirement[]
  /** `app`: only a GitHub App's JWT is accepted (GET /app, installation lookups and access tokens). */
  auth?: 'app'
  /** The last `{param}` may span several segments (git refs such as `heads/feature/x`, sent unencoded by some clients). */
  greedyTail?: boolean
  handle(context: RouteContext): SandboxResponse
}

export interface RouteContext {
  readonly request: SandboxRequest
  readonly world: GitHubWorld
  readonly state: GitHubState
  readonly caller: Caller
  readonly docs: string
  /** The repository of a `/repos/{owner}/{repo}/...` route. */
  readonly repository: RepositoryRecord
  /** The organization of an `/orgs/{org}/...` route. */
  readonly organization: OrganizationRecord
  /** The app of an `auth: 'app'` route. */
  readonly app: AppRecord
  /** The calling account; anonymous callers get 401. */
  readonly actor: Actor
  param(name: string): string
  /** Whether the caller holds the permission at that level (or higher). */
  has(permission: string, level: PermissionLevel): boolean
  /** Throws GitHub's 403 (or 401 when anonymous) unless one of the requirements holds. */
  requireAny(requirements: readonly PermissionRequirement[]): void
}

const REPOSITORY_PREFIX = '/repos/{owner}/{repo}'
const ORGANIZATION_PREFIX = '/orgs/{org}'
/** GitHub Enterprise Server serves the REST API under this prefix; Probot uses it whenever GHE_HOST is set. */
export const ENTERPRISE_PREFIX = '/api/v3'
const GREEDY_DEPTH = 8

export function registerRoutes(router: Router, world: GitHubWorld, routes: readonly GitHubRoute[]): void {
  for (const route of routes) {
    for (const prefix of ['', ENTERPRISE_PREFIX]) {
      router.add(route.method, `${prefix}${route.path}`, (request) => answer(world, route, request))
      if (route.greedyTail) registerGreedyVariants(router, world, route, prefix)
    }
  }
}

/** `/x/{ref}` also as `/x/{ref}/{ref_2}`, ... whose segments the handler sees joined back into `ref`. */
function registerGreedyVariants(router: Router, world: GitHubWorld, route: GitHubRoute, prefix: string): void {
  const tail = /\{([^}]+)\}$/.exec(route.path)?.[1]
  if (!tail) throw new Error(`route ${route.path} has no trailing parameter`)
  for (let depth = 2; depth <= GREEDY_DEPTH; depth += 1) {
    const extra = Array.from({ length: depth - 1 }, (_, index) => `{${tail}_${index + 2}}`)
    router.add(route.method, `${prefix}${route.path}/${extra.join('/')}`, (request) => {
      const parts = [request.params[tail] ?? '', ...extra.map((segment) => request.params[segment.slice(1, -1)] ?? '')]
      return answer(world, route, { ...request, params: { ...request.params, [tail]: parts.join('/') } })
    })
  }
}

function answer(world: GitHubWorld, route: GitHubRoute, request: SandboxRequest): SandboxResponse {
  try {
    const authentication = world.tokens.authenticate(request)
    if (authentication.outcome === 'refused') throw fail(401, authentication.message, route.docs)
    const context = createContext(world, route, request, authentication.caller)
    if (route.accepts) context.requireAny(route.accepts)
    return route.handle(context)
  } catch (error) {
    if (error instanceof GitHubHttpError) return error.response
    throw error
  }
}

function createContext(world: GitHubWorld, route: GitHubRoute, request: SandboxRequest, caller: Caller): RouteContext {
  if (route.auth === 'app' && !caller.app) {
    throw fail(401, caller.token ? JWT_UNDECODABLE : 'Requires authentication', route.docs)
  }
  let repository: RepositoryRecord | undefined
  if (route.path.startsWith(REPOSITORY_PREFIX)) {
    repository = world.state.findRepository(request.params.owner ?? '', request.params.repo ?? '')
    // An app's JWT sees no repository content; its routes decide visibility through the installation.
    if (!repository || (route.auth !== 'app' && !canSee(caller, repository))) throw notFound(route.docs)
  }
  let organization: OrganizationRecord | undefined
  if (route.path.startsWith(ORGANIZATION_PREFIX)) {
    organization = world.state.organizations.get((request.params.org ?? '').toLowerCase())
    if (!organization) throw notFound(route.docs)
  }
  const context: RouteContext = {
    request,
    world,
    state: world.state,
    caller,
    docs: route.docs,
    get repository(): RepositoryRecord {
      if (!repository) throw new Error(`route ${route.path} has no repository`)
      return repository
    },
    get organization(): OrganizationRecord {
      if (!organization) throw new Error(`route ${route.path} has no organization`)
      return organization
    },
    get app(): AppRecord {
      if (!caller.app) throw new Error(`route ${route.path} is not an app route`)
      return caller.app
    },
    get actor(): Actor {
      if (!caller.token) throw fail(401, 'Requires authentication', route.docs)
      return caller.token.actor
    },
    param(name) {
      return request.params[name] ?? ''
    },
    has(permission, level) {
      if (repository) return grants(caller, repository, permission, level)
      if (organization) return grantsOnOrganization(caller, organization.actor.login, permission, level)
      return false
    },
    requireAny(requirements) {
      if (requirements.some(([permission, level]) => context.has(permission, level))) return
      if (!caller.token) throw fail(401, 'Requires authentication', route.docs)
      throw fail(403, notAccessibleMessage(caller), route.docs, {
        'x-accepted-github-permissions': requirements.map(([permission, level]) => `${permission}=${level}`).join('; '),
      })
    },
  }
  return context
}

/** The issue (or pull request) named by the `{issue_number}` segment, or 404. */
export function issueParam(context: RouteContext, name = 'issue_number'): IssueRecord {
  const number = integerParam(context.param(name))
  const issue = number === undefined ? undefined : context.repository.issues.get(number)
  if (!issue) throw notFound(context.docs)
  return issue
}

/** The environment named by `{environment_name}` (case-insensitive), or 404 as GitHub answers for an unknown one. */
export function environmentParam(context: RouteContext): EnvironmentRecord {
  const environment = context.repository.environments.get(context.param('environment_name').toLowerCase())
  if (!environment) throw notFound(context.docs)
  return environment
}

/** Issue permissions; pull requests are issues too, so `pull_requests` grants them as well. */
export function requireOnIssue(context: RouteContext, issue: IssueRecord, level: PermissionLevel): void {
  context.requireAny(issue.pullRequest ? [['issues', level], ['pull_requests', level]] : [['issues', level]])
}

export function issuesOrPulls(level: PermissionLevel): readonly PermissionRequirement[] {
  return [['issues', level], ['pull_requests', level]]
}

/** How the calling account relates to the repository, as GitHub stamps it on what they write. */
export function authorAssociation(context: RouteContext): AuthorAssociation {
  const token = context.caller.token
  if (!token || token.actor.type === 'Bot') return 'NONE'
  if (token.actor.login.toLowerCase() === context.repository.owner.login.toLowerCase()) return 'OWNER'
  if (context.repository.collaborators.has(token.actor.login.toLowerCase())) return 'COLLABORATOR'
  return context.has('contents', 'write') ? 'COLLABORATOR' : 'NONE'
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, body, headers }
}
