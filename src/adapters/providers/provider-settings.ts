/** What a credential provider needs to know, parsed once by the host (the rotate action) into one object. */
import type { WardenConfig } from '../../core/config.ts'
import type { AccessRequirements } from '../../jobs/verify-access.ts'
import type { ProviderName } from '../../ports/rotation.ts'
import type { RetryPolicy } from '../jira/jira-transport.ts'

export interface ProviderSettings {
  provider: ProviderName
  /** jira-url: the site (Cloud or Data Center) or the Cloud gateway URL. */
  jiraUrl: URL
  /** What verification checks: the same as `jira-warden doctor`. */
  requirements: AccessRequirements
  /** dc-pat: the PAT the run holds now (current-credential); it mints, lists and revokes the others. */
  currentCredential?: string
  /** cloud-api-token: the Atlassian account email that owns the tokens (jira-email). */
  email?: string
  /** cloud-oauth-client: the service account's client id (configuration; the secret is the credential). */
  clientId?: string
  /** cloud-api-token: an organization admin API key (Bearer) and its organization, to read expiries and revoke tokens. */
  adminKey?: string
  orgId?: string
  /** Where the admin API lives; default https://api.atlassian.com (for a loopback jira-url, its origin: the sandbox). */
  adminApiUrl?: URL
  timeoutMs?: number
  retry?: RetryPolicy
  /** Told every secret derived on the way (an OAuth access token) before it is used, so the host can mask it. */
  onSecret?: (secret: string) => void
}

/** The checks a credential must pass, from the repository's configuration, exactly as doctor derives them. */
export function accessRequirementsOf(config: WardenConfig, projects: readonly string[] | undefined = config.projects): AccessRequirements {
  return {
    projects: projects ?? [],
    targetStatuses: [...new Set((config.transitions ?? []).map((rule) => rule.to))],
    comments: Boolean(config.comment),
  }
}
