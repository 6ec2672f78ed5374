/** Chooses the credential provider named by the rotation policy and checks it has what it needs, before any call. */
import { ConfigurationError } from '../../core/errors.ts'
import type { CredentialProvider } from '../../ports/rotation.ts'
import { isLoopbackHost } from '../jira/jira-url.ts'
import { atlassianAdminApi, type AtlassianAdminApi } from './atlassian-admin-api.ts'
import { CloudApiTokenProvider } from './cloud-api-token-provider.ts'
import { CloudOAuthClientProvider } from './cloud-oauth-client-provider.ts'
import { DcPatProvider } from './dc-pat-provider.ts'
import type { ProviderSettings } from './provider-settings.ts'

export function createCredentialProvider(settings: ProviderSettings): CredentialProvider {
  switch (settings.provider) {
    case 'dc-pat':
      return new DcPatProvider(settings, required(settings.currentCredential, 'dc-pat mints and revokes with the PAT the run holds: pass it as current-credential.'))
    case 'cloud-api-token':
      return new CloudApiTokenProvider(settings, required(settings.email, 'cloud-api-token needs the Atlassian account email that owns the token: set jira-email.'), adminApiOf(settings))
    case 'cloud-oauth-client':
      return new CloudOAuthClientProvider(settings, required(settings.clientId, 'cloud-oauth-client needs the service account client id: set jira-client-id.'))
  }
}

function required(value: string | undefined, message: string): string {
  if (!value) throw new ConfigurationError(message)
  return value
}

function adminApiOf(settings: ProviderSettings): AtlassianAdminApi | undefined {
  if (!settings.adminKey) return undefined
  const orgId = required(settings.orgId, 'An organization admin API key comes with its organization id: set the org id (admin.atlassian.com shows both).')
  // A loopback jira-url is the sandbox, which serves the api.atlassian.com routes itself.
  const base = settings.adminApiUrl ?? new URL(isLoopbackHost(settings.jiraUrl.hostname) ? settings.jiraUrl.origin : 'https://api.atlassian.com')
  return atlassianAdminApi(base, orgId, settings.adminKey, settings.timeoutMs ?? 30_000)
}
