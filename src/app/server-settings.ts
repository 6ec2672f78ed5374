/**
 * The server host's settings, read once from the environment (Probot's
 * names: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT,
 * HOST, GHE_HOST, GHE_PROTOCOL, LOG_LEVEL). Anything missing or unsafe stops
 * the start with a message that says how to fix it, never with the value.
 */
import { getPrivateKey } from '@probot/get-private-key'
import { ConfigurationError } from '../core/errors.ts'

export const DEFAULT_WEBHOOK_PATH = '/api/github/webhooks'
/** GitHub caps webhook payloads at 25 MB; a comment event is a few kilobytes. Larger bodies are refused before any work. */
export const DEFAULT_MAX_BODY_BYTES = 1_048_576
/** How long shutdown waits for accepted work: inside the 30 s most platforms allow between SIGTERM and SIGKILL. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 25_000

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface ServerSettings {
  appId: number
  privateKey: string
  webhookSecret: string
  port: number
  host: string
  webhookPath: string
  /** REST API base: https://api.github.com, or `${GHE_PROTOCOL}://${GHE_HOST}/api/v3`. */
  baseUrl: string
  logLevel: LogLevel
  logFormat: 'json' | 'pretty'
  maxBodyBytes: number
  docsUrl: string | undefined
  /** SHUTDOWN_DRAIN_MS: on SIGTERM/SIGINT, how long accepted work may still run. */
  drainTimeoutMs: number
}

export function readServerSettings(env: NodeJS.ProcessEnv = process.env): ServerSettings {
  const webhookSecret = env.WEBHOOK_SECRET ?? ''
  if (webhookSecret.trim() === '') {
    throw new ConfigurationError(
      'WEBHOOK_SECRET is empty: the server refuses to start, because without it anyone could send it events. Set WEBHOOK_SECRET to the webhook secret of the GitHub App registration.',
    )
  }
  if (webhookSecret === 'development') {
    throw new ConfigurationError("WEBHOOK_SECRET is Probot's well-known default 'development': set it to the app registration's own webhook secret.")
  }
  const appId = Number(env.APP_ID)
  if (!Number.isSafeInteger(appId) || appId <= 0) {
    throw new ConfigurationError("APP_ID is not set to the GitHub App's numeric id (see the app's settings page, 'App ID').")
  }
  return {
    appId,
    privateKey: readPrivateKey(env),
    webhookSecret,
    port: portOf(env.PORT),
    host: env.HOST?.trim() || '127.0.0.1',
    webhookPath: env.WEBHOOK_PATH?.trim() || DEFAULT_WEBHOOK_PATH,
    baseUrl: env.GHE_HOST ? `${env.GHE_PROTOCOL || 'https'}://${env.GHE_HOST}/api/v3` : 'https://api.github.com',
    logLevel: logLevelOf(env.LOG_LEVEL),
    logFormat: env.LOG_FORMAT === 'pretty' ? 'pretty' : 'json',
    maxBodyBytes: maxBodyOf(env.WEBHOOK_MAX_BODY_BYTES),
    docsUrl: env.JIRA_WARDEN_DOCS_URL?.trim() || undefined,
    drainTimeoutMs: drainTimeoutOf(env.SHUTDOWN_DRAIN_MS),
  }
}

function readPrivateKey(env: NodeJS.ProcessEnv): string {
  if (!env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH) {
    throw new ConfigurationError("Neither PRIVATE_KEY nor PRIVATE_KEY_PATH is set: give the app's private key (the .pem from its settings page), or the path to it.")
  }
  try {
    return getPrivateKey({ env: { PRIVATE_KEY: env.PRIVATE_KEY, PRIVATE_KEY_PATH: env.PRIVATE_KEY_PATH } }) ?? missingKey()
  } catch {
    // The library's message may quote the path but never the key; ours says what to check.
    throw new ConfigurationError(
      env.PRIVATE_KEY
        ? 'PRIVATE_KEY is not a PEM private key (PKCS#1 or PKCS#8, raw, base64, or with \\n escapes): copy the whole .pem file.'
        : 'PRIVATE_KEY_PATH does not name a readable .pem file.',
    )
  }
}

function missingKey(): never {
  throw new Error('no private key')
}

function portOf(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return 3000
  const port = Number(text)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigurationError(`PORT '${text.slice(0, 10)}' is not a port number (0 to 65535).`)
  return port
}

function logLevelOf(text: string | undefined): LogLevel {
  if (text === undefined || text === '') return 'info'
  if ((LOG_LEVELS as readonly string[]).includes(text)) return text as LogLevel
  throw new ConfigurationError(`LOG_LEVEL '${text.slice(0, 10)}' is not one of ${LOG_LEVELS.join(', ')}.`)
}

function maxBodyOf(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_MAX_BODY_BYTES
  const bytes = Number(text)
  if (!Number.isInteger(bytes) || bytes < 1024) throw new ConfigurationError('WEBHOOK_MAX_BODY_BYTES is a whole number of bytes, at least 1024.')
  return bytes
}

function drainTimeoutOf(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return DEFAULT_DRAIN_TIMEOUT_MS
  const ms = Number(text)
  if (!Number.isInteger(ms) || ms < 0) throw new ConfigurationError('SHUTDOWN_DRAIN_MS is a whole number of milliseconds (0 or more).')
  return ms
}
