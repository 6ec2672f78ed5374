/** GET /rate_limit: the caller's primary rate limit; asking does not spend it. */
import type { RateLimitBucket } from '../auth.ts'
import { json, type GitHubRoute } from '../route-kit.ts'

export const rateLimitRoutes: GitHubRoute[] = [
  {
    method: 'GET',
    path: '/rate_limit',
    docs: 'https://docs.github.com/rest/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user',
    handle(context) {
      const core = bucketJson(context.caller.rate)
      const untouched = (limit: number) => ({ limit, used: 0, remaining: limit, reset: core.reset })
      return json(200, {
        resources: {
          core,
          search: untouched(30),
          graphql: untouched(5000),
          integration_manifest: untouched(5000),
          source_import: untouched(100),
          code_scanning_upload: untouched(1000),
          actions_runner_registration: untouched(10000),
          scim: untouched(15000),
          dependency_snapshots: untouched(100),
          code_search: untouched(10),
        },
        rate: core,
      })
    },
  },
]

export function bucketJson(bucket: RateLimitBucket): { limit: number; used: number; remaining: number; reset: number } {
  return { limit: bucket.limit, used: bucket.used, remaining: Math.max(0, bucket.limit - bucket.used), reset: bucket.reset }
}
