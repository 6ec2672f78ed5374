/**
 * Every input of rotate/action.yml, read once into one typed object, laid
 * over the repository's config file (`rotation:` section), with every
 * credential masked before anything else happens.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import * as core from '@actions/core'
import { parseConfig, type WardenConfig } from '../core/config.ts'
import { durationMilliseconds, parseDuration } from '../core/duration.ts'
import { ConfigurationError } from '../core/errors.ts'
import { ROTATION_COMMANDS, type RotationCommand, type RotationPolicy } from '../core/rotation/rotation-events.ts'
import { PROVIDER_NAMES, type RotationProviderName } from '../core/rotation/rotation-state.ts'
import type { SecretScope } from '../ports/rotation.ts'
import { basicHeaderValue } from '../adapters/jira/jira-auth.ts'

export interface RotateSettings {
  githubToken: string
  jiraUrl: URL
  provider: RotationProviderName
  currentCredential: string | undefined
  stagedCredential: string | undefined
  email: string | undefined
  clientId: string | undefined
  adminKey: string | undefined
  orgId: string | undefined
  secretName: string
  stagingSecretName: string
  scope: SecretScope
  /** `repo`, `org` or `environment:NAME`, as given. */
  scopeText: string
  command: RotationCommand
  policy: RotationPolicy
  config: WardenConfig
  /** Least time between content-creating GitHub requests (write-interval); undefined: the host's default. */
  writeIntervalMs: number | undefined
}

const DAY_MS = 86_400_000
const DEFAULT_PERIOD = '30d'
const DEFAULT_GRACE = '24h'
const MAX_EXPIRY_MARGIN_MS = 14 * DAY_MS

export function getRotateSettings(workspace: string): RotateSettings {
  const secrets = ['current-credential', 'next-credential', 'atlassian-admin-key', 'github-token'].map(optional)
  for (const secret of secrets) if (secret) core.setSecret(secret)
  const [currentCredential, stagedCredential, adminKey] = secrets
  const config = readConfig(workspace, optional('config') ?? '.github/jira-warden.yml')
  const policy = config.rotation
  const provider = oneOf('provider', optional('provider') ?? policy?.provider, PROVIDER_NAMES)
  const email = optional('jira-email')
  const clientId = optional('jira-client-id')
  // The Basic header value is derived from the secret: GitHub's masking cannot know it unless told.
  for (const [user, secret] of [[email, currentCredential], [email, stagedCredential], [clientId, currentCredential], [clientId, stagedCredential]]) {
    if (user && secret) core.setSecret(basicHeaderValue(user, secret))
  }
  const secretName = optional('secret-name') ?? policy?.secret
  if (!secretName) throw new ConfigurationError('Name the secret that holds the Jira credential: the secret-name input, or rotation.secret in the config file.')
  if (!/^(?!GITHUB_)[A-Za-z_][A-Za-z0-9_]*$/.test(secretName)) throw new ConfigurationError(`secret-name: '${secretName}' is not a GitHub secret name (letters, digits, underscores; not starting with GITHUB_).`)
  const scopeText = optional('secret-scope') ?? policy?.scope ?? 'repo'
  const expirationDays = wholeNumber('expiration-days', optional('expiration-days') ?? '90', 1, 365)
  const grace = optional('grace') ?? policy?.grace ?? DEFAULT_GRACE
  return {
    githubToken: required('github-token', 'Give github-token: a GitHub App installation token with the Secrets, Variables, Contents and Issues permissions (see docs/rotation.md).'),
    jiraUrl: jiraUrlOf(optional('jira-url') ?? config.jira?.url),
    provider,
    currentCredential,
    stagedCredential,
    email,
    clientId,
    adminKey,
    orgId: optional('atlassian-org-id'),
    secretName,
    stagingSecretName: optional('next-secret-name') ?? `${secretName}_NEXT`,
    scope: scopeOf(scopeText),
    scopeText,
    command: oneOf('command', optional('command') ?? 'auto', ROTATION_COMMANDS),
    policy: {
      graceMs: parseDuration(grace),
      expirationDays,
      periodMs: durationMilliseconds(policy?.period ?? DEFAULT_PERIOD) ?? 30 * DAY_MS,
      expiryMarginMs: Math.min(MAX_EXPIRY_MARGIN_MS, (expirationDays * DAY_MS) / 3),
      dryRun: flag('dry-run', false),
    },
    config,
    writeIntervalMs: writeIntervalOf(optional('write-interval')),
  }
}

const MAX_WRITE_INTERVAL_MS = 3_600_000

/** `1s`, `7.5s`, `250ms`, `1m` or `0` (no spacing): decimals allowed, unlike the config's durations, since 3600/500 s is 7.2 s. */
export function writeIntervalOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text.toLowerCase())
  const amount = Number(match?.[1])
  const milliseconds = Math.round(amount * ({ ms: 1, s: 1_000, m: 60_000 }[match?.[2] ?? 's'] ?? 1_000))
  if (!match || !Number.isFinite(milliseconds) || milliseconds > MAX_WRITE_INTERVAL_MS || (milliseconds === 0 && amount !== 0)) {
    throw new ConfigurationError(`write-interval: '${text.slice(0, 20)}' is not an interval. Give seconds (e.g. 1s, 7.5s, 60s), milliseconds (250ms), minutes (1m, at most 60m), or 0 for none.`)
  }
  return milliseconds
}

function readConfig(workspace: string, path: string): WardenConfig {
  let text = ''
  try {
    text = readFileSync(resolve(workspace, path), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigurationError(`Cannot read ${path}: check the config input and the checkout step.`)
  }
  return parseConfig(text, path)
}

function scopeOf(text: string): SecretScope {
  if (text === 'repo') return { kind: 'repo' }
  if (text === 'org') return { kind: 'org' }
  const environment = /^environment:(\S{1,255})$/.exec(text)?.[1]
  if (environment) return { kind: 'environment', environment }
  throw new ConfigurationError(`secret-scope: '${text}' is not a scope. Use repo, org or environment:NAME (e.g. environment:production).`)
}

function jiraUrlOf(text: string | undefined): URL {
  if (!text) throw new ConfigurationError('No Jira URL: give the jira-url input or set jira.url in the config file.')
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new ConfigurationError(`jira-url: '${text.slice(0, 80)}' is not a URL. Give the https base URL of the site, e.g. https://acme.atlassian.net.`)
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || url.hostname.startsWith('127.')
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigurationError('jira-url must use https (plain http is accepted for loopback hosts only).')
  }
  return url
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T {
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T
  throw new ConfigurationError(`${name}: ${value === undefined ? 'missing' : `'${value.slice(0, 40)}' is not known`}. Use one of ${allowed.join(', ')}.`)
}

function wholeNumber(name: string, text: string, min: number, max: number): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigurationError(`${name}: '${text.slice(0, 20)}' is not a whole number from ${min} to ${max}.`)
  return value
}

function required(name: string, message: string): string {
  const value = optional(name)
  if (!value) throw new ConfigurationError(message)
  return value
}

function optional(name: string): string | undefined {
  const value = core.getInput(name).trim()
  return value === '' ? undefined : value
}

function flag(name: string, fallback: boolean): boolean {
  const value = optional(name)?.toLowerCase()
  if (value === undefined) return fallback
  if (['true', 'yes', '1', 'on'].includes(value)) return true
  if (['false', 'no', '0', 'off'].includes(value)) return false
  throw new ConfigurationError(`${name}: '${value.slice(0, 20)}' is not a boolean. Use true or false.`)
}
