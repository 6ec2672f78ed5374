/** The Cloud personality: REST v3 and v2 at the site URL and behind the gateway, plus Atlassian's identity and admin endpoints. */
import type { Router } from '../http/sandbox-server.ts'
import { registerAdminApiRoutes } from './admin-api-routes.ts'
import { registerAtlassianIdentityRoutes } from './atlassian-identity-routes.ts'
import { registerBulkTransitionRoutes } from './bulk-transition-routes.ts'
import { registerIdentityRoutes } from './identity-routes.ts'
import { registerIssueRoutes } from './issue-routes.ts'
import type { JiraContext } from './jira-call.ts'
import { registerCloudSearchRoutes } from './search-routes.ts'

export function registerCloudRoutes(router: Router, context: JiraContext): void {
  registerAtlassianIdentityRoutes(router, context)
  registerAdminApiRoutes(router, context)
  registerIdentityRoutes(router, context)
  registerCloudSearchRoutes(router, context)
  registerIssueRoutes(router, context)
  registerBulkTransitionRoutes(router, context)
}
