/**
 * An OpenAPI document for the Data Center PAT endpoints, derived from
 * test/contract/specs/jira-dc-pat.contract-notes.json (Atlassian publishes no
 * machine-readable contract for them). Field names and types are read from
 * the notes, so the contract cannot drift from them; error bodies, which the
 * notes do not describe, fall back to Jira's ErrorCollection.
 */
import { readFileSync } from 'node:fs'
import type { OpenApiDocument } from './openapi-contract.ts'

export interface PatNotes {
  endpoints: {
    create: { path: string; response_201: Record<string, string> }
    list: { path: string; response_200: string }
    revoke: { path: string }
  }
}

export function loadPatNotes(specs: URL): PatNotes {
  return JSON.parse(readFileSync(new URL('jira-dc-pat.contract-notes.json', specs), 'utf8')) as PatNotes
}

/** 'integer' → integer; 'string date-time' → a date-time string; 'string (anything)' → a string. */
function schemaOfNote(note: string): Record<string, unknown> {
  if (note.startsWith('integer')) return { type: 'integer' }
  if (note.startsWith('string date-time')) return { type: 'string', format: 'date-time' }
  if (note.startsWith('string')) return { type: 'string', minLength: 1 }
  throw new Error(`the PAT notes name a type this derivation does not know: '${note}'`)
}

/** The list note reads `array of {id, name, createdAt, expiringAt, lastAccessedAt?} ...`: `?` marks an optional field. */
export function listedFieldsOf(notes: PatNotes): Array<{ name: string; optional: boolean }> {
  const inside = /\{([^}]*)\}/.exec(notes.endpoints.list.response_200)?.[1]
  if (!inside) throw new Error('the PAT notes no longer describe the list items as {field, ...}')
  return inside.split(',').map((field) => ({ name: field.trim().replace(/\?$/, ''), optional: field.trim().endsWith('?') }))
}

/**
 * expiringAt is not required: the notes allow creating a PAT without
 * expirationDuration ("no expiry"), and such a token has no expiry to show.
 */
const OPTIONAL_EVEN_IN_CREATE = ['expiringAt']

export function patContractDocument(notes: PatNotes): OpenApiDocument {
  const created = notes.endpoints.create.response_201
  const properties = Object.fromEntries(Object.entries(created).map(([name, note]) => [name, schemaOfNote(note)]))
  const listed = listedFieldsOf(notes)
  const listedProperties = Object.fromEntries(listed.map(({ name }) => [name, properties[name] ?? { type: 'string', format: 'date-time' }]))
  // No schema: the validator checks error bodies against the Data Center spec's ErrorCollection.
  const errors = Object.fromEntries(['400', '401', '403', '404'].map((status) => [status, {}]))
  const json = (schema: unknown) => ({ content: { 'application/json': { schema } } })
  return {
    paths: {
      [notes.endpoints.create.path]: {
        post: { responses: { '201': json({ $ref: '#/components/schemas/CreatedPat' }), ...errors } },
        get: { responses: { '200': json({ type: 'array', items: { $ref: '#/components/schemas/ListedPat' } }), ...errors } },
      },
      [notes.endpoints.revoke.path]: { delete: { responses: { '204': {}, ...errors } } },
    },
    components: {
      schemas: {
        CreatedPat: {
          type: 'object',
          additionalProperties: false,
          required: Object.keys(created).filter((name) => !OPTIONAL_EVEN_IN_CREATE.includes(name)),
          properties,
        },
        ListedPat: {
          type: 'object',
          additionalProperties: false,
          required: listed.filter((field) => !field.optional && !OPTIONAL_EVEN_IN_CREATE.includes(field.name)).map((field) => field.name),
          properties: listedProperties,
        },
      },
    },
  }
}
