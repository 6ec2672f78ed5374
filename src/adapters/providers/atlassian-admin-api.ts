/**
 * The Atlassian organization admin APIs that read and revoke users' API
 * tokens, with an organization admin API key (Bearer). Paths follow
 * Atlassian's reference (no spec file covers them):
 * GET /admin/api-access/v1/orgs/{orgId}/api-tokens (cursor-paged, with each token's owner),
 * GET and DELETE /users/{account_id}/manage/api-tokens[/{tokenId}].
 */
import { z } from 'zod'
import { AuthenticationError, ConfigurationError, JiraAnswerError, PermissionError, TransientError } from '../../core/errors.ts'

const orgTokenPage = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      label: z.string().optional(),
      createdAt: z.string().optional(),
      expiresAt: z.string().optional(),
      user: z.object({ id: z.string() }),
    }),
  ),
  links: z.object({ next: z.string().optional() }).optional(),
})
const userTokens = z.array(
  z.object({ id: z.string(), label: z.string().optional(), createdAt: z.string().optional(), expiry: z.string().optional(), lastAccess: z.string().optional() }),
)

export type UserApiToken = z.output<typeof userTokens>[number]
export type OrgApiToken = z.output<typeof orgTokenPage>['data'][number]

export interface AtlassianAdminApi {
  userTokens(accountId: string): Promise<UserApiToken[]>
  /** Every token of the organization, page by page until the one matching. */
  findOrgToken(tokenId: string): Promise<OrgApiToken | undefined>
  /** False when the token does not exist (already deleted). */
  deleteUserToken(accountId: string, tokenId: string): Promise<boolean>
}

const MAX_PAGES = 1000

export function atlassianAdminApi(base: URL, orgId: string, adminKey: string, timeoutMs: number): AtlassianAdminApi {
  async function send(method: 'GET' | 'DELETE', path: string): Promise<Response> {
    const url = new URL(path, base)
    let response: Response
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${adminKey}`, accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch {
      throw new TransientError(`Could not reach the Atlassian admin API at ${url.origin} (${method} ${url.pathname}).`)
    }
    if (response.status === 401) {
      throw new AuthenticationError(
        'The Atlassian admin API refused the organization admin API key (401): it is wrong, expired or revoked. Create one in admin.atlassian.com (Settings > API keys) and update the admin key secret.',
      )
    }
    if (response.status === 403) {
      throw new PermissionError(`The organization admin API key may not ${method === 'GET' ? 'read' : 'revoke'} API tokens (403): give the key the token scopes or use an organization admin's key.`)
    }
    if (response.status === 429 || response.status >= 500) throw new TransientError(`The Atlassian admin API failed (${response.status} on ${method} ${url.pathname}).`)
    return response
  }

  async function read<T>(path: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const response = await send('GET', path)
    if (response.status === 404) return undefined
    const parsed = schema.safeParse(await response.json().catch(() => undefined))
    if (!response.ok || !parsed.success) throw new JiraAnswerError(`The Atlassian admin API answered ${response.status} to GET ${path.split('?')[0]} with something unexpected.`)
    return parsed.data
  }

  return {
    async userTokens(accountId) {
      return (await read(`/users/${encodeURIComponent(accountId)}/manage/api-tokens`, userTokens)) ?? []
    },
    async findOrgToken(tokenId) {
      let cursor: string | undefined
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const path = `/admin/api-access/v1/orgs/${encodeURIComponent(orgId)}/api-tokens${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`
        const answer = await read(path, orgTokenPage)
        if (!answer) throw new ConfigurationError(`The Atlassian admin API knows no organization '${orgId}' for this admin key (404): check the organization id.`)
        const found = answer.data.find((token) => token.id === tokenId)
        if (found || !answer.links?.next) return found
        cursor = answer.links.next
      }
      return undefined
    },
    async deleteUserToken(accountId, tokenId) {
      const response = await send('DELETE', `/users/${encodeURIComponent(accountId)}/manage/api-tokens/${encodeURIComponent(tokenId)}`)
      if (response.status === 404) return false
      if (!response.ok) throw new JiraAnswerError(`The Atlassian admin API answered ${response.status} to deleting an API token.`)
      return true
    },
  }
}
