/**
 * The Data Center personality: REST v2 only, search with startAt/total.
 * The personal access token endpoints (/rest/pat/latest/tokens) register here
 * too, once written, over CredentialStore's issuePat/listPats/revokePat.
 */
import type { Router } from '../http/sandbox-server.ts'
import { registerIdentityRoutes } from './identity-routes.ts'
import { registerIssueRoutes } from './issue-routes.ts'
import type { JiraContext } from './jira-call.ts'
import { registerDataCenterSearchRoutes } from './search-routes.ts'

export function registerDataCenterRoutes(router: Router, context: JiraContext): void {
  registerIdentityRoutes(router, context)
  registerDataCenterSearchRoutes(router, context)
  registerIssueRoutes(router, context)
}
