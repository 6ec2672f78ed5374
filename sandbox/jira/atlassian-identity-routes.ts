/**
 * The Atlassian endpoints around a Cloud site that are not Jira's REST API:
 * the unauthenticated tenant info (`/_edge/tenant_info`), the service-account
 * token endpoint (auth.atlassian.com `/oauth/token`, client credentials, JSON
 * or form) and the sites an access token reaches (api.atlassian.com
 * `/oauth/token/accessible-resources`). The sandbox serves all three itself.
 */
import type { Router, SandboxRequest, SandboxResponse } from '../http/sandbox-server.ts'
import { ACCESS_TOKEN_LIFETIME_SECONDS } from './jira-credentials.ts'
import type { JiraContext } from './jira-call.ts'

/** Granular scopes a service account's access token carries for what jira-warden does. */
const SCOPES = ['read:jira-user', 'read:jira-work', 'write:jira-work']

export function registerAtlassianIdentityRoutes(router: Router, context: JiraContext): void {
  router.add('GET', '/_edge/tenant_info', () => ({ status: 200, body: { cloudId: context.cloudId } }))

  router.add('POST', '/oauth/token', (request) => {
    const grant = tokenRequest(request)
    if (grant.grant_type !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', `Grant type '${grant.grant_type ?? ''}' is not supported here; use client_credentials.`)
    }
    const accessToken = context.credentials.exchangeClientCredentials(grant.client_id ?? '', grant.client_secret ?? '')
    if (!accessToken) return oauthError(401, 'access_denied', 'Unauthorized')
    return {
      status: 200,
      headers: { 'cache-control': 'no-store' },
      body: { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_LIFETIME_SECONDS, scope: SCOPES.join(' ') },
    }
  })

  router.add('GET', '/oauth/token/accessible-resources', (request) => {
    const [scheme, token] = (request.headers.authorization ?? '').split(/\s+/, 2)
    const found = scheme?.toLowerCase() === 'bearer' ? context.credentials.find(token ?? '', ['access-token']) : undefined
    if (!found || 'refusal' in found) return { status: 401, body: { code: 401, message: 'Unauthorized' } }
    return {
      status: 200,
      body: [{ id: context.cloudId, url: context.siteUrl(), name: 'sandbox', scopes: SCOPES, avatarUrl: `${context.siteUrl()}/avatar.png` }],
    }
  })
}

function tokenRequest(request: SandboxRequest): Record<string, string | undefined> {
  if (typeof request.body === 'object' && request.body !== null) return request.body as Record<string, string | undefined>
  return Object.fromEntries(new URLSearchParams(request.rawBody))
}

function oauthError(status: number, error: string, description: string): SandboxResponse {
  return { status, body: { error, error_description: description } }
}
