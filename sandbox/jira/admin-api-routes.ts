/**
 * The Atlassian organization admin APIs around a Cloud site that list and
 * revoke users' API tokens, authenticated by an organization admin API key
 * (Bearer). No spec file covers them (test/contract/specs has none), so paths and
 * shapes follow Atlassian's official reference pages:
 * - developer.atlassian.com/cloud/admin/api-access/rest/api-group-api-token/
 *   GET https://api.atlassian.com/admin/api-access/v1/orgs/{orgId}/api-tokens
 *   → { data: [{ id, label, status, createdAt, expiresAt, lastActiveAt, user: { id, orgId, name, email } }], links: { self, next, prev } }
 * - developer.atlassian.com/cloud/admin/user-management/rest/api-group-api-tokens/
 *   GET    https://api.atlassian.com/users/{account_id}/manage/api-tokens → [{ id, label, createdAt, lastAccess, expiry }]
 *   DELETE https://api.atlassian.com/users/{account_id}/manage/api-tokens/{tokenId} → 204
 * The sandbox serves them on its own origin, like the other api.atlassian.com
 * routes. Unverified details: the status enum (only ALLOWED is documented,
 * and a revoked token is deleted, so it is the only one served), the cursor
 * (served as an opaque string in links.next, passed back as ?cursor=), and
 * the error body ({ code, message }, as api.atlassian.com answers elsewhere).
 */
import type { Router, SandboxRequest, SandboxResponse } from '../http/sandbox-server.ts'
import type { JiraContext } from './jira-call.ts'
import type { ApiToken } from './jira-credentials.ts'
import type { JiraUser } from './jira-state.ts'

export const ADMIN_API_TOKENS_PATH = '/admin/api-access/v1/orgs/{orgId}/api-tokens'
export const USER_API_TOKENS_PATH = '/users/{accountId}/manage/api-tokens'
const DEFAULT_PAGE_SIZE = 50
const MAX_PAGE_SIZE = 100

/** Paths these routes serve: they check the admin key themselves, not Jira's credentials. */
export function isAdminApiPath(path: string): boolean {
  return path.startsWith('/admin/') || /^\/users\/[^/]+\/manage\//.test(path)
}

/** How the request log names an admin API caller. */
export function describeAdminCaller(context: JiraContext, request: SandboxRequest): string {
  return adminKeyOf(context, request) ? 'org admin key' : 'refused (org admin key missing, unknown or revoked)'
}

export function registerAdminApiRoutes(router: Router, context: JiraContext): void {
  router.add('GET', ADMIN_API_TOKENS_PATH, (request) => {
    const refused = checkAdmin(context, request)
    if (refused) return refused
    if (request.params.orgId !== context.orgId) return adminError(404, 'Organization not found')
    const pageSize = Number(request.query.get('pageSize') ?? DEFAULT_PAGE_SIZE)
    const start = Number(request.query.get('cursor') ?? 0)
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE || !Number.isInteger(start) || start < 0) {
      return adminError(400, `pageSize is 1 to ${MAX_PAGE_SIZE} and cursor is one this API gave`)
    }
    const query = (request.query.get('q') ?? '').toLowerCase()
    const tokens = context.credentials
      .listApiTokens()
      .filter((token) => !query || [token.user.displayName, token.user.email, token.label].some((text) => text.toLowerCase().includes(query)))
    const page = tokens.slice(start, start + pageSize)
    const self = `${context.siteUrl()}${request.path}`
    return {
      status: 200,
      body: {
        data: page.map((token) => orgTokenJson(context, token)),
        links: { self, ...(start + pageSize < tokens.length ? { next: String(start + pageSize) } : {}) },
      },
    }
  })

  router.add('GET', USER_API_TOKENS_PATH, (request) => {
    const found = managedUser(context, request)
    if ('refused' in found) return found.refused
    return { status: 200, body: context.credentials.listApiTokens(found.user).map(userTokenJson) }
  })

  router.add('DELETE', `${USER_API_TOKENS_PATH}/{tokenId}`, (request) => {
    const found = managedUser(context, request)
    if ('refused' in found) return found.refused
    const tokenId = request.params.tokenId ?? ''
    const owned = context.credentials.listApiTokens(found.user).some((token) => token.id === tokenId)
    if (!owned || !context.credentials.revokeApiToken(tokenId)) return adminError(404, 'API token not found')
    return { status: 204 }
  })
}

function managedUser(context: JiraContext, request: SandboxRequest): { user: JiraUser } | { refused: SandboxResponse } {
  const refused = checkAdmin(context, request)
  if (refused) return { refused }
  const user = [...context.state.users.values()].find((candidate) => candidate.accountId === request.params.accountId)
  return user ? { user } : { refused: adminError(404, 'User not found') }
}

function adminKeyOf(context: JiraContext, request: SandboxRequest): boolean {
  const [scheme = '', key = ''] = (request.headers.authorization ?? '').trim().split(/\s+/, 2)
  return scheme.toLowerCase() === 'bearer' && context.credentials.isLiveAdminKey(key)
}

function checkAdmin(context: JiraContext, request: SandboxRequest): SandboxResponse | undefined {
  return adminKeyOf(context, request) ? undefined : adminError(401, 'Unauthorized')
}

function adminError(status: number, message: string): SandboxResponse {
  return { status, body: { code: status, message } }
}

const isoDate = (ms: number) => new Date(ms).toISOString()

function orgTokenJson(context: JiraContext, token: ApiToken): Record<string, unknown> {
  return {
    id: token.id,
    label: token.label,
    status: 'ALLOWED',
    createdAt: isoDate(token.createdAt),
    expiresAt: isoDate(token.expiresAt),
    ...(token.lastAccessedAt !== undefined ? { lastActiveAt: isoDate(token.lastAccessedAt) } : {}),
    user: { id: token.user.accountId, orgId: context.orgId, name: token.user.displayName, email: token.user.email },
  }
}

function userTokenJson(token: ApiToken): Record<string, unknown> {
  return {
    id: token.id,
    label: token.label,
    createdAt: isoDate(token.createdAt),
    expiry: isoDate(token.expiresAt),
    ...(token.lastAccessedAt !== undefined ? { lastAccess: isoDate(token.lastAccessedAt) } : {}),
  }
}
