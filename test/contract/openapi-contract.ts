/**
 * Validates a sandbox's logged responses against the OpenAPI 3.0 documents of
 * the real services: finds the operation by path template and method, takes
 * the schema of the logged status, and checks the body with Ajv (OpenAPI's
 * `nullable` rewritten to JSON Schema, `$ref`s resolved into the components).
 */
import { readFileSync } from 'node:fs'
import { Ajv, type ValidateFunction } from 'ajv'
import { fullFormats } from 'ajv-formats/dist/formats.js'

export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, OpenApiResponse> }>>
  components: { schemas: Record<string, unknown> }
}

interface OpenApiResponse {
  content?: Record<string, { schema?: unknown }>
}

export type Verdict = { verdict: 'valid' } | { verdict: 'invalid'; errors: string } | { verdict: 'skipped'; reason: string }

export interface ContractSource {
  name: string
  document: OpenApiDocument
  /** Maps a logged route template onto this document's path (or undefined when it cannot be there). */
  pathOf: (template: string) => string | undefined
}

export interface ContractOptions {
  sources: ContractSource[]
  /** Schema (in the first source) for error bodies whose status the spec lists without one. */
  errorSchema: string
  /** Response schemas to use instead of the spec's, keyed `METHOD /spec/path STATUS`: the spec's own defects, each with evidence. */
  responseOverrides?: Record<string, unknown>
}

export function loadOpenApi(file: string): OpenApiDocument {
  return JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument
}

export function openApiAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false })
  for (const [name, format] of Object.entries(fullFormats)) ajv.addFormat(name, format)
  // Jira writes timestamps as 2026-08-14T11:32:13.000+0000 (no colon in the offset), which RFC 3339 date-time rejects.
  const rfc3339 = (fullFormats['date-time'] as { validate: (text: string) => boolean }).validate
  ajv.addFormat('date-time', (text: string) => rfc3339(text) || /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d{4}$/.test(text))
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 31 })
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) })
  for (const name of ['double', 'binary', 'json', 'byte', 'url']) ajv.addFormat(name, true)
  return ajv
}

/** OpenAPI 3.0 `nullable: true` as JSON Schema: `null` joins the allowed types. */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema)
  if (typeof node !== 'object' || node === null) return node
  const { nullable, example: _example, xml: _xml, ...rest } = node as Record<string, unknown>
  const converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, toJsonSchema(value)]))
  if (nullable !== true) return converted
  if (typeof converted.type === 'string') {
    return { ...converted, type: [converted.type, 'null'], ...(Array.isArray(converted.enum) ? { enum: [...converted.enum, null] } : {}) }
  }
  return { anyOf: [converted, { type: 'null' }] }
}

export class ResponseContract {
  readonly #ajv = openApiAjv()
  readonly #options: ContractOptions
  readonly #compiled = new Map<string, ValidateFunction>()

  constructor(options: ContractOptions) {
    this.#options = options
    for (const source of options.sources) {
      this.#ajv.addSchema({ components: { schemas: toJsonSchema(source.document.components.schemas) } }, source.name)
    }
  }

  check(method: string, template: string, status: number, body: unknown): Verdict {
    const found = this.#operation(method, template)
    if (!found) return { verdict: 'skipped', reason: 'no operation in any spec' }
    const response = found.responses[String(status)] ?? found.responses.default
    if (!response) return { verdict: 'skipped', reason: `status ${status} not described by ${found.source.name}` }
    const key = `${method} ${found.path} ${status}`
    const override = this.#options.responseOverrides?.[key]
    let schema = override ?? response.content?.['application/json']?.schema
    if (isEmptySchema(schema)) {
      if (body === undefined || body === '') return { verdict: 'valid' }
      if (status < 400) return { verdict: 'invalid', errors: `${status} answered a body where the spec describes none` }
      schema = { $ref: `${this.#options.sources[0]?.name}#/components/schemas/${this.#options.errorSchema}` }
      return this.#validate(`error ${status}`, schema, body, this.#options.sources[0]?.name ?? '')
    }
    return this.#validate(key, schema, body, found.source.name)
  }

  /** Validates a body against a named component schema of a source. */
  validateComponent(sourceName: string, schemaName: string, body: unknown): Verdict {
    return this.#validate(`${sourceName}:${schemaName}`, { $ref: `${sourceName}#/components/schemas/${schemaName}` }, body, sourceName)
  }

  #validate(cacheKey: string, schema: unknown, body: unknown, sourceName: string): Verdict {
    let validate = this.#compiled.get(cacheKey)
    if (!validate) {
      validate = this.#ajv.compile(qualifyRefs(toJsonSchema(schema), sourceName) as object)
      this.#compiled.set(cacheKey, validate)
    }
    if (validate(body)) return { verdict: 'valid' }
    return { verdict: 'invalid', errors: this.#ajv.errorsText(validate.errors, { separator: '\n' }) }
  }

  #operation(method: string, template: string) {
    for (const source of this.#options.sources) {
      const wanted = source.pathOf(template)
      if (!wanted) continue
      const shape = normalise(wanted)
      const path = Object.keys(source.document.paths).find((candidate) => normalise(candidate) === shape)
      const operation = path ? source.document.paths[path]?.[method.toLowerCase()] : undefined
      if (path && operation?.responses) return { source, path, responses: operation.responses }
    }
    return undefined
  }
}

function normalise(path: string): string {
  return path.replace(/\{[^}]+\}/g, '{}')
}

function isEmptySchema(schema: unknown): boolean {
  return schema === undefined || (typeof schema === 'object' && schema !== null && Object.keys(schema).length === 0)
}

/** Operation-level schemas say `#/components/...`; compiled on their own, those refs must name their document. */
function qualifyRefs(node: unknown, sourceName: string): unknown {
  if (Array.isArray(node)) return node.map((item) => qualifyRefs(item, sourceName))
  if (typeof node !== 'object' || node === null) return node
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `${sourceName}${value}` : qualifyRefs(value, sourceName),
    ]),
  )
}
