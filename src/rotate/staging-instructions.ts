/** What the assisted request tells the admins to do, per provider: create the credential, stage it, let the rotation promote it. */
import type { RotateSettings } from './rotate-settings.ts'

export function stagingInstructions(settings: RotateSettings, repository: string): string {
  const create =
    settings.provider === 'cloud-oauth-client'
      ? `1. In admin.atlassian.com, open the service account's OAuth 2.0 credential${settings.clientId ? ` (client id \`${settings.clientId}\`)` : ''} and generate a new client secret.`
      : `1. Signed in as ${settings.email ?? 'the account that owns the token'}, create an API token at https://id.atlassian.com/manage-profile/security/api-tokens (give it an expiry; at most 365 days).`
  return [
    '**What to do:**',
    '',
    create,
    `2. Stage it as the secret \`${settings.stagingSecretName}\`: \`${ghSecretSet(settings, repository)}\` (paste the value when asked; never into an issue or a chat).`,
    '3. Run the rotation workflow (or wait for its schedule): it verifies the staged credential against Jira, promotes it into ' +
      `\`${settings.secretName}\`, deletes \`${settings.stagingSecretName}\`, and after the grace period revokes the old credential or reminds you here to revoke it.`,
  ].join('\n')
}

function ghSecretSet(settings: RotateSettings, repository: string): string {
  switch (settings.scope.kind) {
    case 'repo':
      return `gh secret set ${settings.stagingSecretName} --repo ${repository}`
    case 'environment':
      return `gh secret set ${settings.stagingSecretName} --repo ${repository} --env ${settings.scope.environment}`
    case 'org':
      return `gh secret set ${settings.stagingSecretName} --org ${repository.split('/')[0]} --repos ${repository.split('/')[1]}`
  }
}
