/**
 * GitHub's ways of answering: error bodies, request-body checks and
 * page-number pagination with `Link` headers, as api.github.com does them.
 */
import type { SandboxRequest, SandboxResponse } from '../http/sandbox-server.ts'

export const REST_DOCS = 'https://docs.github.com/rest'

/** Thrown by handlers and access checks; the route wrapper answers with its response. */
export class GitHubHttpError extends Error {
  readonly response: SandboxResponse

  constructor(response: SandboxResponse) {
    super(String((response.body as { message?: unknown } | undefined)?.message ?? response.status))
    this.response = response
  }
}

export interface ValidationErrorItem {
  resource: string
  code: 'missing_field' | 'missing' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom'
  field: string
  message?: string
  index?: number
  value?: string | number | string[] | null
}

export function errorBody(status: number, message: string, docs: string): { message: string; documentation_url: string; status: string } {
  return { message, documentation_url: docs, status: String(status) }
}

export function fail(status: number, message: string, docs: string, headers?: Record<string, string>): GitHubHttpError {
  return new GitHubHttpError({ status, body: errorBody(status, message, docs), ...(headers ? { headers } : {}) })
}

export function notFound(docs: string): GitHubHttpError {
  return fail(404, 'Not Found', docs)
}

export function validationFailed(docs: string, errors: ValidationErrorItem[]): GitHubHttpError {
  return new GitHubHttpError({ status: 422, body: { message: 'Validation Failed', errors, documentation_url: docs, status: '422' } })
}

/** GitHub's answer when a body breaks the operation's JSON schema (wrong type, bad enum value). */
export function invalidRequest(docs: string, detail: string): GitHubHttpError {
  return fail(422, `Invalid request.\n\n${detail}`, docs)
}

export function describeValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value)
}

/** The request's JSON object body; an empty body is `{}`. */
export function objectBody(request: SandboxRequest, docs: string): Record<string, unknown> {
  if (request.rawBody.trim() === '') return {}
  if (request.body === undefined) throw fail(400, 'Problems parsing JSON', docs)
  if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body)) {
    throw invalidRequest(docs, `For 'links/0/schema', ${describeValue(request.body)} is not an object.`)
  }
  return request.body as Record<string, unknown>
}

export interface StringFieldRules {
  resource: string
  required?: boolean
  nullable?: boolean
  /** Integers are accepted and turned into strings (GitHub allows that for issue titles). */
  allowInteger?: boolean
  maxLength?: number
  notBlank?: boolean
}

/** A string property of a request body, checked the way GitHub checks it; undefined when absent and optional. */
export function stringField(body: Record<string, unknown>, field: string, docs: string, rules: StringFieldRules): string | null | undefined {
  const value = body[field]
  if (value === undefined) {
    if (rules.required) throw validationFailed(docs, [{ resource: rules.resource, code: 'missing_field', field }])
    return undefined
  }
  if (value === null) {
    if (rules.nullable) return null
    throw invalidRequest(docs, `For 'properties/${field}', null is not a string.`)
  }
  let text: string
  if (typeof value === 'string') text = value
  else if (rules.allowInteger && Number.isInteger(value)) text = String(value)
  else throw invalidRequest(docs, `For 'properties/${field}', ${describeValue(value)} is not a string.`)
  if (rules.notBlank && text.trim() === '') {
    throw validationFailed(docs, [{ resource: rules.resource, code: rules.required ? 'missing_field' : 'invalid', field }])
  }
  if (rules.maxLength !== undefined && text.length > rules.maxLength) {
    throw validationFailed(docs, [
      { resource: rules.resource, code: 'custom', field, message: `${field} is too long (maximum is ${rules.maxLength} characters)` },
    ])
  }
  return text
}

export function enumField<T extends string>(body: Record<string, unknown>, field: string, allowed: readonly T[], docs: string, nullable = false): T | null | undefined {
  const value = body[field]
  if (value === undefined) return undefined
  if (value === null && nullable) return null
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidRequest(docs, `For 'properties/${field}', ${describeValue(value)} is not one of ${JSON.stringify(allowed)}.`)
  }
  return value as T
}

/** Label names from a body's `labels` (strings or `{ name }` objects). */
export function labelNames(value: unknown, docs: string, field = 'labels'): string[] {
  if (!Array.isArray(value)) throw invalidRequest(docs, `For 'properties/${field}', ${describeValue(value)} is not an array.`)
  return value.map((item: unknown, index) => {
    if (typeof item === 'string' && item.trim() !== '') return item
    const name = (item as { name?: unknown } | null)?.name
    if (typeof item === 'object' && item !== null && typeof name === 'string' && name.trim() !== '') return name
    throw validationFailed(docs, [{ resource: 'Label', code: 'invalid', field: 'name', index, ...(typeof item === 'string' ? { value: item } : {}) }])
  })
}

export function integerParam(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined
  return Number(value)
}

export interface Page<T> {
  items: T[]
  headers: Record<string, string>
}

/**
 * One page of `items` per `per_page` (default 30, at most 100) and `page`
 * (from 1), with GitHub's `Link` header: prev, next, last, first, each the
 * request's own URL with `page` replaced.
 */
export function pageOf<T>(items: readonly T[], request: SandboxRequest, apiUrl: string, defaultPerPage = 30, maxPerPage = 100): Page<T> {
  const perPage = clamp(integerParam(request.query.get('per_page') ?? undefined) ?? defaultPerPage, 1, maxPerPage, defaultPerPage)
  const page = clamp(integerParam(request.query.get('page') ?? undefined) ?? 1, 1, Number.MAX_SAFE_INTEGER, 1)
  const lastPage = Math.max(1, Math.ceil(items.length / perPage))
  const slice = items.slice((page - 1) * perPage, page * perPage)
  const links: string[] = []
  const urlOf = (target: number): string => {
    const query = new URLSearchParams(request.query)
    query.set('page', String(target))
    return `<${apiUrl}${request.path}?${query.toString()}>`
  }
  if (page > 1) links.push(`${urlOf(Math.min(page - 1, lastPage))}; rel="prev"`)
  if (page < lastPage) links.push(`${urlOf(page + 1)}; rel="next"`, `${urlOf(lastPage)}; rel="last"`)
  if (page > 1) links.push(`${urlOf(1)}; rel="first"`)
  return { items: slice, headers: links.length > 0 ? { link: links.join(', ') } : {} }
}

function clamp(value: number, min: number, max: number, whenZero: number): number {
  if (value === 0) return whenZero
  return Math.min(Math.max(value, min), max)
}
