/**
 * jira.js carries the requests (transport and auth); this layer adds what an
 * unattended CI step needs around it: a deadline per request, bounded
 * retries of reads that honour Retry-After, and errors translated into our
 * typed errors with messages that never carry a response body or a secret.
 */
import { createClient, type Client } from 'jira.js/core'
import type { z } from 'zod'
import {
  AuthenticationError,
  JiraAnswerError,
  NotFoundError,
  PermissionError,
  TransientError,
  WardenError,
} from '../../core/errors.ts'

export interface JiraRequest<T> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  url: string
  searchParams?: Record<string, string | number | boolean | undefined>
  body?: unknown
  /** Validates the answer; undefined for requests answered with 204. */
  schema?: z.ZodType<T>
  /** Reads may be retried; writes never are here (the caller re-reads first). */
  retry: boolean
}

export interface RetryPolicy {
  attempts: number
  /** Longest single wait, whatever Retry-After asks for. */
  maxWaitMs: number
  baseDelayMs: number
}

export interface JiraTransportOptions {
  baseUrl: string
  authorization: { type: 'basic'; email: string; apiToken: string } | { type: 'bearer'; token: string }
  timeoutMs: number
  retry: RetryPolicy
  /** Called before each wait, so the host can say why it is pausing. */
  onWait?: (waitMs: number, reason: string) => void
  sleep?: (ms: number) => Promise<void>
}

export interface JiraTransport {
  send<T>(request: JiraRequest<T>): Promise<T>
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, maxWaitMs: 60_000, baseDelayMs: 1_000 }

export function createJiraTransport(options: JiraTransportOptions): JiraTransport {
  const client = createClient({
    host: options.baseUrl,
    auth:
      options.authorization.type === 'basic'
        ? { type: 'basic', email: options.authorization.email, apiToken: options.authorization.apiToken }
        : { type: 'bearer', token: options.authorization.token },
    onSchemaMismatch: 'silent',
  })
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))

  async function sendOnce<T>(request: JiraRequest<T>): Promise<T> {
    const answer = await withDeadline(
      client.sendRequest<unknown>({
        url: request.url,
        method: request.method,
        searchParams: request.searchParams,
        body: request.body,
      }),
      options.timeoutMs,
      `${request.method} ${request.url}`,
    ).catch((error: unknown) => {
      throw translateJiraError(error, `${request.method} ${request.url}`)
    })
    if (!request.schema) return undefined as T
    return parseAnswer(request.schema, answer, `${request.method} ${request.url}`)
  }

  return {
    async send<T>(request: JiraRequest<T>): Promise<T> {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await sendOnce(request)
        } catch (error) {
          if (!(error instanceof TransientError) || !request.retry || attempt >= options.retry.attempts) throw error
          const backoff = options.retry.baseDelayMs * 2 ** (attempt - 1)
          const waitMs = Math.min(error.retryAfterMs ?? backoff, options.retry.maxWaitMs)
          options.onWait?.(waitMs, error.message)
          await sleep(waitMs)
        }
      }
    },
  }
}

function withDeadline<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new TransientError(`Jira did not answer ${what} within ${timeoutMs / 1000} s.`)),
      timeoutMs,
    )
    timer.unref()
  })
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer))
}

function parseAnswer<T>(schema: z.ZodType<T>, answer: unknown, what: string): T {
  if (answer === undefined || typeof answer === 'string') {
    throw new JiraAnswerError(
      `Jira answered ${what} with something that is not JSON (often its HTML login page, served when the URL is not the REST API or the credential is not accepted). Check jira-url and the credential.`,
    )
  }
  const parsed = schema.safeParse(answer)
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || 'the top level'
    throw new JiraAnswerError(`Jira's answer to ${what} is not the shape its API documents (at ${where}).`)
  }
  return parsed.data
}

interface JiraJsError {
  status?: number
  body?: unknown
  retryAfterMs?: number
  transient?: boolean
  name?: string
}

/** Maps jira.js errors onto ours. The raw body is never copied into a message: only Jira's own short error texts. */
export function translateJiraError(error: unknown, what: string): Error {
  if (error instanceof WardenError) return error
  const failure = (typeof error === 'object' && error !== null ? error : {}) as JiraJsError
  const status = failure.status
  if (status === undefined) {
    if (failure.name === 'SchemaMismatchError') {
      return new JiraAnswerError(
        `Jira answered ${what} with something that is not JSON (often its HTML login page). Check jira-url and the credential.`,
      )
    }
    return new TransientError(`Could not reach Jira for ${what}: the connection failed or was dropped.`)
  }
  const detail = jiraErrorMessages(failure.body)
  const suffix = detail.length > 0 ? ` Jira said: ${detail.join(' ')}` : ''
  if (status === 401) {
    return new AuthenticationError(
      `Jira refused the credential (401 on ${what}). It is wrong, expired or revoked: rotate it (\`/warden rotate\`, or run the rotate action with command: rotate) or update the secret.`,
    )
  }
  if (status === 403) return new PermissionError(`Jira refused ${what} (403): the credential lacks a permission.${suffix}`)
  if (status === 404) return new NotFoundError(`Jira has nothing at ${what} that this credential may see (404).${suffix}`)
  if (status === 429) {
    return new TransientError(`Jira is rate limiting (429 on ${what}).`, failure.retryAfterMs)
  }
  if (status >= 500) return new TransientError(`Jira failed on its side (${status} on ${what}).`)
  return new JiraRequestRefused(status, `Jira refused ${what} (${status}).${suffix}`, detail, fieldErrorsOf(failure.body))
}

/** A 4xx Jira explained: bad JQL, an invalid transition, a required field. */
export class JiraRequestRefused extends JiraAnswerError {
  readonly status: number
  readonly messages: string[]
  readonly fieldErrors: Record<string, string>

  constructor(status: number, message: string, messages: string[], fieldErrors: Record<string, string>) {
    super(message)
    this.status = status
    this.messages = messages
    this.fieldErrors = fieldErrors
  }
}

/** Jira's ErrorCollection texts, single-lined and capped: they are about our request, never about secrets. */
function jiraErrorMessages(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return []
  const collection = body as { errorMessages?: unknown; errors?: unknown }
  const messages = Array.isArray(collection.errorMessages) ? collection.errorMessages.filter((m) => typeof m === 'string') : []
  const fields = Object.entries(fieldErrorsOf(body)).map(([field, text]) => `${field}: ${text}`)
  return [...messages, ...fields].map((text) => text.replace(/\s+/g, ' ').slice(0, 300)).slice(0, 20)
}

function fieldErrorsOf(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {}
  const errors = (body as { errors?: unknown }).errors
  if (typeof errors !== 'object' || errors === null) return {}
  return Object.fromEntries(Object.entries(errors).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
}

export type { Client }
