/**
 * What every request passes before its route: authentication (401 for an
 * unknown or expired credential), the primary rate limit (403 when spent),
 * then the secondary content-creation limit (403 with retry-after); and the
 * headers GitHub puts on every answer.
 */
import { randomBytes } from 'node:crypto'
import type { RequestLogEntry, SandboxRequest, SandboxResponse } from '../http/sandbox-server.ts'
import { rateLimitExceededMessage, type RateLimitBucket, type TokenStore } from './auth.ts'
import { errorBody, REST_DOCS } from './http.ts'
import { bucketJson } from './routes/rate-limit.ts'
import { SECONDARY_RATE_LIMIT_DOCS, SECONDARY_RATE_LIMIT_PREFIX, type SecondaryRateLimiter } from './secondary-rate-limit.ts'

/** Refuses unknown tokens (401), spent limits (403) and bursts over the secondary limit (403), counting the request against both. */
export function admitRequest(tokens: TokenStore, limiter: SecondaryRateLimiter, request: SandboxRequest, now: Date): SandboxResponse | undefined {
  const authentication = tokens.authenticate(request)
  if (authentication.outcome === 'refused') {
    return { status: 401, body: errorBody(401, authentication.message, REST_DOCS), headers: githubHeaders(tokens.anonymousRate, now) }
  }
  const { caller } = authentication
  // Asking for the rate limit does not count against it.
  if (request.path === '/rate_limit') return undefined
  if (caller.rate.used >= caller.rate.limit) {
    return {
      status: 403,
      body: errorBody(403, rateLimitExceededMessage(caller), 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api'),
      headers: githubHeaders(caller.rate, now),
    }
  }
  caller.rate.used += 1
  const callerKey = caller.app ? `app:${caller.app.id}` : caller.token ? `${caller.token.kind}:${caller.token.installationId ?? caller.token.actor.id}` : 'anonymous'
  const secondary = limiter.admit(callerKey, request.method, request.path, now.getTime())
  if (secondary) {
    return {
      status: 403,
      body: errorBody(403, secondary.message, SECONDARY_RATE_LIMIT_DOCS),
      headers: { ...githubHeaders(caller.rate, now), 'retry-after': String(secondary.retryAfterSeconds) },
    }
  }
  return undefined
}

export function githubHeaders(rate: RateLimitBucket, now: Date): Record<string, string> {
  const counters = bucketJson(rate)
  return {
    // The sandbox's clock: @octokit/auth-app corrects its JWT times by this header when they are refused.
    date: now.toUTCString(),
    'x-github-api-version-selected': '2022-11-28',
    'x-github-media-type': 'github.v3; format=json',
    'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
    'x-ratelimit-limit': String(counters.limit),
    'x-ratelimit-remaining': String(counters.remaining),
    'x-ratelimit-reset': String(counters.reset),
    'x-ratelimit-used': String(counters.used),
    'x-ratelimit-resource': 'core',
  }
}

export function isSecondaryRateLimitHit(entry: RequestLogEntry): boolean {
  const message = (entry.responseBody as { message?: unknown } | undefined)?.message
  return entry.status === 403 && typeof message === 'string' && message.startsWith(SECONDARY_RATE_LIMIT_PREFIX)
}
