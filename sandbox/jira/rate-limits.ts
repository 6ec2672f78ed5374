/**
 * Jira Cloud's rate limits as a client meets them: a 429 carrying Retry-After
 * (seconds), X-RateLimit-Reset (ISO 8601, yyyy-MM-ddTHH:mmZ), X-RateLimit-Limit,
 * X-RateLimit-Remaining and RateLimit-Reason (developer.atlassian.com
 * "Rate limiting", quoted in JRACLOUD-69262; reasons from the project's specs
 * README). Per-issue writes are capped near 20 per 2 s and 100 per 30 s.
 */
import type { SandboxResponse } from '../http/sandbox-server.ts'

export interface RateWindow {
  limit: number
  windowMs: number
}

export interface JiraRateLimits {
  /** Every request of the tenant (reason jira-quota-global-based). */
  global?: RateWindow & { retryAfterSeconds?: number }
  /** Requests of one principal (reason jira-burst-based). */
  burst?: RateWindow
  /** Writes to one issue (reason jira-per-issue-on-write). */
  perIssueWrite?: RateWindow | RateWindow[]
}

export const CLOUD_DEFAULT_RATE_LIMITS: JiraRateLimits = {
  perIssueWrite: [
    { limit: 20, windowMs: 2_000 },
    { limit: 100, windowMs: 30_000 },
  ],
}

type Reason = 'jira-quota-global-based' | 'jira-burst-based' | 'jira-per-issue-on-write'

export interface RateLimitedRequest {
  principal: string
  /** The issue a write goes to, when it is one. */
  writtenIssue: string | undefined
}

export class RateLimiter {
  #limits: JiraRateLimits
  readonly #seen = new Map<string, number[]>()
  readonly #now: () => number

  constructor(limits: JiraRateLimits, now: () => number) {
    this.#limits = limits
    this.#now = now
  }

  set(limits: JiraRateLimits): void {
    this.#limits = limits
    this.#seen.clear()
  }

  /** A 429 when a budget is spent; otherwise the request is counted against every budget it touches. */
  check(request: RateLimitedRequest): SandboxResponse | undefined {
    const now = this.#now()
    const budgets: Array<{ bucket: string; window: RateWindow; reason: Reason; retryAfterSeconds?: number }> = []
    const { global, burst, perIssueWrite } = this.#limits
    if (global) budgets.push({ bucket: 'global', window: global, reason: 'jira-quota-global-based', ...(global.retryAfterSeconds ? { retryAfterSeconds: global.retryAfterSeconds } : {}) })
    if (burst) budgets.push({ bucket: `burst:${request.principal}`, window: burst, reason: 'jira-burst-based' })
    if (perIssueWrite && request.writtenIssue) {
      const windows = Array.isArray(perIssueWrite) ? perIssueWrite : [perIssueWrite]
      windows.forEach((window, index) => budgets.push({ bucket: `issue:${request.writtenIssue}:${index}`, window, reason: 'jira-per-issue-on-write' }))
    }
    for (const budget of budgets) {
      const recent = this.#recent(budget.bucket, budget.window, now)
      if (recent.length >= budget.window.limit) {
        const waitMs = (recent[0] ?? now) + budget.window.windowMs - now
        return tooManyRequests(budget.reason, budget.window.limit, budget.retryAfterSeconds ?? Math.max(1, Math.ceil(waitMs / 1000)), now)
      }
    }
    for (const budget of budgets) this.#recent(budget.bucket, budget.window, now).push(now)
    return undefined
  }

  #recent(bucket: string, window: RateWindow, now: number): number[] {
    const times = (this.#seen.get(bucket) ?? []).filter((at) => at > now - window.windowMs)
    this.#seen.set(bucket, times)
    return times
  }
}

function tooManyRequests(reason: Reason, limit: number, retryAfterSeconds: number, now: number): SandboxResponse {
  const reset = new Date(now + retryAfterSeconds * 1000).toISOString().slice(0, 16) + 'Z'
  return {
    status: 429,
    headers: {
      'retry-after': String(retryAfterSeconds),
      'x-ratelimit-reset': reset,
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': '0',
      'ratelimit-reason': reason,
    },
    // Unverified body: Atlassian documents the headers, not a 429 body; an ErrorCollection is what Jira's REST layer writes.
    body: { errorMessages: ['Rate limit exceeded.'], errors: {} },
  }
}
