/** Every input of action.yml, read once into one typed object. */
import * as core from '@actions/core'
import { KEY_SOURCES, type KeySourceName } from '../core/config.ts'
import { ConfigurationError } from '../core/errors.ts'
import { derivedSecretsOf, type JiraAuth } from '../adapters/jira/jira-auth.ts'

export interface ActionSettings {
  jiraUrl: string | undefined
  /** Undefined when no credential input has a value (a fork's run, or secrets not set). */
  auth: JiraAuth | undefined
  configPath: string
  inlineTransitions: string | undefined
  projects: string[] | undefined
  keySources: KeySourceName[] | undefined
  explicitKeys: string[] | undefined
  comment: string | undefined
  dryRun: boolean
  failOnError: boolean
  githubToken: string
}

export function getActionSettings(): ActionSettings {
  const auth = readJiraAuth()
  if (auth) for (const secret of derivedSecretsOf(auth)) core.setSecret(secret)
  return {
    jiraUrl: optional('jira-url'),
    auth,
    configPath: optional('config') ?? '.github/jira-warden.yml',
    inlineTransitions: optional('transitions'),
    projects: list('projects')?.map((key) => key.toUpperCase()),
    keySources: readKeySources(),
    explicitKeys: list('issue-keys')?.map((key) => key.toUpperCase()),
    comment: core.getInput('comment') === '' ? undefined : core.getInput('comment'),
    dryRun: flag('dry-run', false),
    failOnError: flag('fail-on-error', true),
    githubToken: core.getInput('github-token'),
  }
}

function readJiraAuth(): JiraAuth | undefined {
  const email = optional('jira-email')
  const apiToken = optional('jira-api-token')
  const pat = optional('jira-pat')
  const clientId = optional('jira-client-id')
  const clientSecret = optional('jira-client-secret')
  const kinds = [apiToken && 'jira-api-token', pat && 'jira-pat', clientSecret && 'jira-client-secret'].filter(Boolean)
  if (kinds.length > 1) {
    throw new ConfigurationError(`Give one Jira credential, not several (got ${kinds.join(', ')}).`)
  }
  if (apiToken) {
    if (!email) throw new ConfigurationError('jira-api-token needs jira-email: Cloud API tokens authenticate as email + token.')
    return { kind: 'api-token', email, apiToken }
  }
  if (pat) return { kind: 'pat', token: pat }
  if (clientSecret) {
    if (!clientId) throw new ConfigurationError('jira-client-secret needs jira-client-id (the service account\'s OAuth client id).')
    return { kind: 'oauth-client', clientId, clientSecret }
  }
  return undefined
}

function readKeySources(): KeySourceName[] | undefined {
  const sources = list('key-sources')
  if (!sources) return undefined
  for (const source of sources) {
    if (!(KEY_SOURCES as readonly string[]).includes(source)) {
      throw new ConfigurationError(`key-sources: '${source}' is not a key source. Use a comma-separated list of ${KEY_SOURCES.join(', ')}.`)
    }
  }
  return sources as KeySourceName[]
}

function optional(name: string): string | undefined {
  const value = core.getInput(name).trim()
  return value === '' ? undefined : value
}

function list(name: string): string[] | undefined {
  const value = optional(name)
  if (!value) return undefined
  const items = value.split(/[,\s]+/).map((item) => item.trim()).filter(Boolean)
  return items.length > 0 ? items : undefined
}

function flag(name: string, fallback: boolean): boolean {
  const value = optional(name)?.toLowerCase()
  if (value === undefined) return fallback
  if (['true', 'yes', '1', 'on'].includes(value)) return true
  if (['false', 'no', '0', 'off'].includes(value)) return false
  throw new ConfigurationError(`${name}: '${value}' is not a boolean. Use true or false.`)
}
