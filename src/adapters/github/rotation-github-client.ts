/**
 * The Octokit the rotation uses: retried on 5xx, timeouts and dropped
 * connections (every rotation write is idempotent: PUT secret, PATCH
 * variable, DELETE), throttled as GitHub asks, and paused rather than
 * failed by a secondary rate limit. A separate client from the action's,
 * which stays lean.
 */
import { getOctokit } from '@actions/github'
import { defaults as actionsDefaults } from '@actions/github/lib/utils'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import type { GitHubClient } from './github-client.ts'

export interface RotationClientOptions {
  /** Per request; a request that takes longer is abandoned and retried. Default 30 s. */
  timeoutMs?: number
  /** Attempts after the first for 5xx and network failures. Default 3. */
  retries?: number
  /** Base of the quadratic back-off between retries (1 s, 4 s, 9 s by default). */
  retryBaseMs?: number
  /** GitHub asks for a second between content-creating requests (three for those that notify); a loopback sandbox needs none. */
  spaceWrites?: boolean
  /** The most a run waits for rate limits, in all, before giving up. Default 15 minutes. */
  maxRateLimitWaitMs?: number
  onWait?: (message: string) => void
}

const MINUTE = 60_000

export function createRotationGitHubClient(token: string, apiUrl: string, options: RotationClientOptions = {}): GitHubClient {
  const timeoutMs = options.timeoutMs ?? 30_000
  const maxWaitMs = options.maxRateLimitWaitMs ?? 15 * MINUTE
  // The budget is for the whole run: a limit that never lifts ends it, a slow one only slows it.
  let waitedMs = 0
  const wait = (kind: string, retryAfterSeconds: number): boolean => {
    if (waitedMs + retryAfterSeconds * 1000 > maxWaitMs) return false
    waitedMs += retryAfterSeconds * 1000
    options.onWait?.(`GitHub ${kind}: pausing ${retryAfterSeconds} s before going on`)
    return true
  }
  return getOctokit(
    token,
    {
      baseUrl: apiUrl,
      // Keep the runner's proxy-aware fetch and agent; only add the deadline.
      request: { ...actionsDefaults.request, fetch: fetchWithTimeout((actionsDefaults.request?.fetch as typeof fetch | undefined) ?? fetch, timeoutMs) },
      retry: { retries: options.retries ?? 3, retryAfterBaseValue: options.retryBaseMs ?? 1000 },
      throttle: {
        onRateLimit: (retryAfter: number) => wait('rate limit', retryAfter),
        // A secondary limit means "slow down", not "stop": the whole run waits, then goes on.
        onSecondaryRateLimit: (retryAfter: number) => wait('secondary rate limit', retryAfter),
        ...(options.spaceWrites === false ? { write: immediateGroup(), notifications: immediateGroup() } : {}),
      },
    } as Parameters<typeof getOctokit>[1],
    retry,
    throttling,
  ) as GitHubClient
}

function fetchWithTimeout(base: typeof fetch, timeoutMs: number): typeof fetch {
  return (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs)
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline
    return base(input, { ...init, signal })
  }
}

/** Stands in for the throttling plugin's write group (Bottleneck) when no spacing is wanted. */
function immediateGroup(): unknown {
  return { key: () => ({ schedule: async (_options: unknown, task: (...args: unknown[]) => unknown, ...args: unknown[]) => task(...args) }) }
}
