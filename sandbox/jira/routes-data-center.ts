/** The Data Center personality: REST v2 only, search with startAt/total, and the personal access token endpoints. */
import type { Router } from '../http/sandbox-server.ts'
import { registerIdentityRoutes } from './identity-routes.ts'
import { registerIssueRoutes } from './issue-routes.ts'
import type { JiraContext } from './jira-call.ts'
import { registerPatRoutes } from './pat-routes.ts'
import { registerDataCenterSearchRoutes } from './search-routes.ts'

export function registerDataCenterRoutes(router: Router, context: JiraContext, options: { patEndpointsAcceptPat: boolean }): void {
  registerIdentityRoutes(router, context)
  registerPatRoutes(router, context, options.patEndpointsAcceptPat)
  registerDataCenterSearchRoutes(router, context)
  registerIssueRoutes(router, context)
}
