/**
 * How GitHub routes are declared and guarded. Each route file exports a list
 * of `GitHubRoute`s (the spec's path template, its documentation URL and the
 * permissions that grant it); `registerRoutes` wraps each with GitHub's order
 * of checks: repository visible (else 404), permission held (else 403, or 401
 * when anonymous), then the handler, whose `GitHubHttpError`s become answers.
 */
import type { HttpMethod, Router, SandboxRequest, SandboxResponse } from '../http/sandbox-server.ts'
import { canSee, grants, notAccessibleMessage, type Caller, type TokenStore } from './auth.ts'
import { fail, GitHubHttpError, integerParam, notFound, REST_DOCS } from './http.ts'
import type { Actor, AuthorAssociation, GitHubState, IssueRecord, PermissionLevel, RepositoryRecord } from './state.ts'

export type PermissionRequirement = readonly [permission: string, level: PermissionLevel]

export interface GitHubWorld {
  state: GitHubState
  tokens: TokenStore
}

export interface GitHubRoute {
  method: HttpMethod
  /** The path template exactly as the official REST description spells it. */
  path: string
  /** The operation's documentation URL, which GitHub puts in its error bodies. */
  docs: string
  /** Any one of these grants the route; checked before the handler. Omitted: anyone who can see the repository. */
  accepts?: readonly PermissionRequirement[]
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
  /** The calling account; anonymous callers get 401. */
  readonly actor: Actor
  param(name: string): string
  /** Whether the caller holds the permission at that level (or higher). */
  has(permission: string, level: PermissionLevel): boolean
  /** Throws GitHub's 403 (or 401 when anonymous) unless one of the requirements holds. */
  requireAny(requirements: readonly PermissionRequirement[]): void
}

const REPOSITORY_PREFIX = '/repos/{owner}/{repo}'

export function registerRoutes(router: Router, world: GitHubWorld, routes: readonly GitHubRoute[]): void {
  for (const route of routes) {
    router.add(route.method, route.path, (request) => answer(world, route, request))
  }
}

function answer(world: GitHubWorld, route: GitHubRoute, request: SandboxRequest): SandboxResponse {
  try {
    const authentication = world.tokens.authenticate(request)
    if (authentication.outcome === 'refused') throw fail(401, 'Bad credentials', REST_DOCS)
    const context = createContext(world, route, request, authentication.caller)
    if (route.accepts) context.requireAny(route.accepts)
    return route.handle(context)
  } catch (error) {
    if (error instanceof GitHubHttpError) return error.response
    throw error
  }
}

function createContext(world: GitHubWorld, route: GitHubRoute, request: SandboxRequest, caller: Caller): RouteContext {
  let repository: RepositoryRecord | undefined
  if (route.path.startsWith(REPOSITORY_PREFIX)) {
    repository = world.state.findRepository(request.params.owner ?? '', request.params.repo ?? '')
    if (!repository || !canSee(caller, repository)) throw notFound(route.docs)
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
    get actor(): Actor {
      if (!caller.token) throw fail(401, 'Requires authentication', route.docs)
      return caller.token.actor
    },
    param(name) {
      return request.params[name] ?? ''
    },
    has(permission, level) {
      return repository !== undefined && grants(caller, repository, permission, level)
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
  return context.has('contents', 'write') ? 'COLLABORATOR' : 'NONE'
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, body, headers }
}
