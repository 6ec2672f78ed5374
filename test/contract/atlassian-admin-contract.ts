/**
 * An OpenAPI document for the Atlassian organization admin endpoints that list
 * and revoke user API tokens. test/contract/specs holds no contract for them, so
 * it follows Atlassian's official reference pages:
 * - developer.atlassian.com/cloud/admin/api-access/rest/api-group-api-token/ (GET /orgs/{orgId}/api-tokens, ApiTokenSearchResponse)
 * - developer.atlassian.com/cloud/admin/user-management/rest/api-group-api-tokens/ (GET and DELETE /users/{account_id}/manage/api-tokens)
 * Only the fields those pages show are allowed. The error body ({ code, message }) is not on those pages: it is
 * the shape api.atlassian.com answers with elsewhere, an assumption.
 */
import type { OpenApiDocument } from './openapi-contract.ts'

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } })
const error = json({ $ref: '#/components/schemas/AdminError' })
const text = { type: 'string', minLength: 1 }
const timestamp = { type: 'string', format: 'date-time' }

export const ATLASSIAN_ADMIN_CONTRACT: OpenApiDocument = {
  paths: {
    '/admin/api-access/v1/orgs/{orgId}/api-tokens': {
      get: { responses: { '200': json({ $ref: '#/components/schemas/ApiTokenSearchResponse' }), '400': error, '401': error, '404': error } },
    },
    '/users/{account_id}/manage/api-tokens': {
      get: { responses: { '200': json({ type: 'array', items: { $ref: '#/components/schemas/ApiTokenModel' } }), '401': error, '404': error } },
    },
    '/users/{account_id}/manage/api-tokens/{tokenId}': {
      delete: { responses: { '204': {}, '401': error, '404': error } },
    },
  },
  components: {
    schemas: {
      ApiTokenSearchResponse: {
        type: 'object',
        additionalProperties: false,
        required: ['data', 'links'],
        properties: {
          data: { type: 'array', items: { $ref: '#/components/schemas/OrgApiToken' } },
          links: { type: 'object', additionalProperties: false, properties: { self: text, next: text, prev: text } },
        },
      },
      OrgApiToken: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'label', 'status', 'createdAt', 'user'],
        properties: {
          id: text,
          label: { type: 'string' },
          status: { type: 'string', enum: ['ALLOWED'] },
          createdAt: timestamp,
          expiresAt: timestamp,
          lastActiveAt: timestamp,
          scopes: { type: 'array', items: { type: 'string' } },
          user: {
            type: 'object',
            additionalProperties: false,
            required: ['id'],
            properties: { id: text, orgId: text, name: { type: 'string' }, email: { type: 'string' } },
          },
        },
      },
      ApiTokenModel: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'label', 'createdAt'],
        properties: { id: text, label: { type: 'string' }, createdAt: timestamp, lastAccess: timestamp, expiry: timestamp },
      },
      AdminError: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'message'],
        properties: { code: { type: 'integer' }, message: text },
      },
    },
  },
}
