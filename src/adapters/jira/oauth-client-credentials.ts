/**
 * Atlassian service-account OAuth 2.0 client credentials: one exchange per
 * run gives a 60-minute Bearer token for the api.atlassian.com gateway.
 * (jira.js handles 3LO refresh tokens, not this grant, so the one POST lives here.)
 */
import { z } from 'zod'
import { AuthenticationError, JiraAnswerError, TransientError } from '../../core/errors.ts'

const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().optional() })

export async function exchangeClientCredentials(
  tokenUrl: string,
  clientId: string,
  clientSecret: string,
  timeoutMs: number,
): Promise<string> {
  let response: Response
  try {
    response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch {
    throw new TransientError(`Could not reach the OAuth token endpoint ${new URL(tokenUrl).origin}.`)
  }
  if (response.status === 400 || response.status === 401 || response.status === 403) {
    throw new AuthenticationError(
      `The OAuth token endpoint refused jira-client-id/jira-client-secret (${response.status}). The client secret is wrong, expired or revoked: rotate it (\`/warden rotate\`) or update the secret.`,
    )
  }
  if (response.status >= 500 || response.status === 429) {
    throw new TransientError(`The OAuth token endpoint failed (${response.status}).`)
  }
  const parsed = tokenAnswer.safeParse(await response.json().catch(() => undefined))
  if (!response.ok || !parsed.success) {
    throw new JiraAnswerError(`The OAuth token endpoint answered ${response.status} without an access token.`)
  }
  return parsed.data.access_token
}

const tenantAnswer = z.object({ cloudId: z.string().min(1) })

/** The cloudId is served unauthenticated by every Cloud site. */
export async function lookUpCloudId(siteUrl: URL, timeoutMs: number): Promise<string> {
  const response = await fetch(new URL('/_edge/tenant_info', siteUrl), {
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
  }).catch(() => {
    throw new TransientError(`Could not reach ${siteUrl.origin} to look up its cloud id.`)
  })
  const parsed = tenantAnswer.safeParse(await response.json().catch(() => undefined))
  if (!parsed.success) {
    throw new JiraAnswerError(
      `${siteUrl.origin}/_edge/tenant_info did not name a cloud id. Is jira-url a Jira Cloud site? You can also give the gateway URL https://api.atlassian.com/ex/jira/{cloudId}.`,
    )
  }
  return parsed.data.cloudId
}
