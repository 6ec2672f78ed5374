/**
 * The Octokit the rotation uses: retried on 5xx, timeouts and dropped
 * connections (every rotation write is idempotent: PUT secret, PATCH
 * variable, DELETE), throttled as GitHub asks, and paused rather than
 * failed by a secondary rate limit. Every content-creating request
 * (POST, PATCH, PUT, DELETE) goes through one pacer here (pacedFetch), so jobs sharing an
 * installation can keep within its secondary limits (docs/rotation.md,
 * "Rotating many repositories"). A separate client from the action's, which
 * stays lean.
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
  /**
   * The least time between two content-creating requests of this run as they are sent (retries included), counted from
   * the client's creation too, so that consecutive jobs of one matrix slot stay apart as well. 0: no spacing (a loopback
   * sandbox). When given, it governs every write; when absent, writes are 1 s apart (GitHub's advice) and those that
   * notify (comments, issues) 3 s, as Octokit's throttling does.
   */
  writeIntervalMs?: number
  /** The most a run waits for rate limits, in all, before giving up. Default 15 minutes. */
  maxRateLimitWaitMs?: number
  onWait?: (message: string) => void
}

const MINUTE = 60_000
/** GitHub's advice: at least a second between content-creating requests. */
export const DEFAULT_WRITE_INTERVAL_MS = 1_000

export function createRotationGitHubClient(token: string, apiUrl: string, options: RotationClientOptions = {}): GitHubClient {
  const timeoutMs = options.timeoutMs ?? 30_000
  const maxWaitMs = options.maxRateLimitWaitMs ?? 15 * MINUTE
  const writeIntervalMs = Math.max(0, options.writeIntervalMs ?? DEFAULT_WRITE_INTERVAL_MS)
  const runnerFetch = (actionsDefaults.request?.fetch as typeof fetch | undefined) ?? fetch
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
      // Keep the runner's proxy-aware fetch and agent; add the deadline and the write pacer.
      request: { ...actionsDefaults.request, fetch: pacedFetch(fetchWithTimeout(runnerFetch, timeoutMs), writeIntervalMs) },
      retry: { retries: options.retries ?? 3, retryAfterBaseValue: options.retryBaseMs ?? 1000 },
      throttle: {
        onRateLimit: (retryAfter: number) => wait('rate limit', retryAfter),
        // A secondary limit means "slow down", not "stop": the whole run waits, then goes on.
        onSecondaryRateLimit: (retryAfter: number) => wait('secondary rate limit', retryAfter),
        // The pacer below spaces writes as they are sent; the plugin's own write group would only add its fixed second.
        write: immediateGroup(),
        ...(options.writeIntervalMs !== undefined ? { notifications: immediateGroup() } : {}),
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

const CONTENT_CREATING = new Set(['POST', 'PATCH', 'PUT', 'DELETE'])

/**
 * The one place every content-creating request passes, as it is sent: after the throttling plugin's waits and on
 * every retry (a retried write is still a write GitHub counts). Each waits until `intervalMs` after the previous one
 * and after the pacer's creation: a job cannot see when the job before it in its matrix slot wrote last, and waiting
 * one interval before its own first write keeps the slot's pace across jobs.
 */
export function pacedFetch(base: typeof fetch, intervalMs: number): typeof fetch {
  if (intervalMs <= 0) return base
  let nextSendAt = Date.now() + intervalMs
  let turns: Promise<void> = Promise.resolve()
  const takeTurn = async (): Promise<void> => {
    const wait = nextSendAt - Date.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    nextSendAt = Date.now() + intervalMs
  }
  return async (input, init) => {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()
    if (CONTENT_CREATING.has(method)) {
      const turn = turns.then(takeTurn)
      turns = turn
      await turn
    }
    return base(input, init)
  }
}

/** Stands in for the throttling plugin's write group (Bottleneck) when no spacing is wanted. */
function immediateGroup(): unknown {
  return { key: () => ({ schedule: async (_options: unknown, task: (...args: unknown[]) => unknown, ...args: unknown[]) => task(...args) }) }
}
