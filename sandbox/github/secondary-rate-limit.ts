/**
 * GitHub's secondary rate limit on content-creating requests (documented:
 * no more than 80 per minute and 500 per hour per account), off unless
 * configured. A request over the limit gets 403 with `retry-after` and the
 * documented message, which @octokit/plugin-throttling recognises ("secondary
 * rate") and waits on.
 */
import { randomBytes } from 'node:crypto'
import type { Fault, HttpMethod } from '../http/sandbox-server.ts'

export interface SecondaryRateLimitSetting {
  /** Content-creating requests allowed per rolling minute, per caller. */
  perMinute?: number
  /** Per rolling hour, per caller. */
  perHour?: number
  /** Sent as `retry-after`; default: seconds until the oldest counted request leaves its window. */
  retryAfterSeconds?: number
}

/** The limits GitHub documents for content creation. */
export const GITHUB_SECONDARY_LIMITS: SecondaryRateLimitSetting = { perMinute: 80, perHour: 500 }
export const SECONDARY_RATE_LIMIT_DOCS = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits'
export const SECONDARY_RATE_LIMIT_PREFIX = 'You have exceeded a secondary rate limit.'

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000
const CONTENT_CREATING: readonly HttpMethod[] = ['POST', 'PATCH', 'PUT', 'DELETE']

export class SecondaryRateLimiter {
  #setting: SecondaryRateLimitSetting | undefined
  readonly #history = new Map<string, number[]>()

  configure(setting: SecondaryRateLimitSetting | undefined): void {
    this.#setting = setting
    this.#history.clear()
  }

  /** Counts an admitted request; answers the retry-after seconds when it is over the limit. */
  admit(callerKey: string, method: HttpMethod, path: string, nowMs: number): { retryAfterSeconds: number; message: string } | undefined {
    const setting = this.#setting
    // Minting an installation token creates no content; an app must always be able to get one.
    if (!setting || !CONTENT_CREATING.includes(method) || /\/access_tokens$/.test(path)) return undefined
    const history = (this.#history.get(callerKey) ?? []).filter((at) => at > nowMs - HOUR_MS)
    this.#history.set(callerKey, history)
    const lastMinute = history.filter((at) => at > nowMs - MINUTE_MS)
    const overMinute = setting.perMinute !== undefined && lastMinute.length >= setting.perMinute
    const overHour = setting.perHour !== undefined && history.length >= setting.perHour
    if (overMinute || overHour) {
      const oldest = overMinute ? (lastMinute[0] ?? nowMs) + MINUTE_MS : (history[0] ?? nowMs) + HOUR_MS
      const retryAfterSeconds = setting.retryAfterSeconds ?? Math.max(1, Math.ceil((oldest - nowMs) / 1000))
      return { retryAfterSeconds, message: secondaryRateLimitMessage() }
    }
    history.push(nowMs)
    return undefined
  }
}

export function secondaryRateLimitMessage(): string {
  const requestId = `${randomBytes(4).toString('hex').toUpperCase()}:${randomBytes(4).toString('hex').toUpperCase()}`
  return `${SECONDARY_RATE_LIMIT_PREFIX} Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`
}

/**
 * A fault answering exactly like a secondary-limit refusal, for tests that
 * want it on a given request (`inject(secondaryRateLimitFault({ method: 'PUT', path: /secrets/ }))`)
 * rather than after a count; counted by `secondaryRateLimitHits()` too.
 */
export function secondaryRateLimitFault(options: Omit<Fault, 'kind' | 'status' | 'headers' | 'body'> & { retryAfterSeconds?: number } = {}): Fault {
  const { retryAfterSeconds = 1, ...where } = options
  return {
    ...where,
    kind: 'status',
    status: 403,
    headers: { 'retry-after': String(retryAfterSeconds), 'content-type': 'application/json; charset=utf-8' },
    body: { message: secondaryRateLimitMessage(), documentation_url: SECONDARY_RATE_LIMIT_DOCS, status: '403' },
  }
}
