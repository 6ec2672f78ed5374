/**
 * Every answer the GitHub sandbox gives in a scenario that produces each kind
 * of response must validate against the official schema of its operation and
 * status in test/contract/specs/github-rest.subset.openapi.json.
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { getOctokit } from '@actions/github'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sealValue, startGitHubSandbox, type GitHubSandbox, type RequestLogEntry } from '../../sandbox/github/github-sandbox.ts'
import { randomSecret } from '../../sandbox/http/sandbox-server.ts'
import { ProbotOctokit } from 'probot'

const SPEC_URL = new URL('./specs/github-rest.subset.openapi.json', import.meta.url)
const WEBHOOKS_SPEC = new URL('../../node_modules/@octokit/openapi-webhooks/generated/api.github.com.json', import.meta.url)
const SPEC_ID = 'https://jira-warden.invalid/github-rest.subset.openapi.json'

type Json = Record<string, unknown>

interface Operation {
  method: string
  template: string
  pattern: RegExp
  operationId: string
  responses: Record<string, Json>
  /** Not in the subset: answered, in GitHub's full description, with these component schemas. */
  supplement?: boolean
}

const labelList = { content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/label' } } } } }
const listOf = (property: string, schema: string) => ({
  content: {
    'application/json': {
      schema: { type: 'object', required: ['total_count', property], properties: { total_count: { type: 'integer' }, [property]: { type: 'array', items: { $ref: `#/components/schemas/${schema}` } } } },
    },
  },
})
const noContent = { '204': { description: 'Response' } }
const uri = { type: 'string', format: 'uri' }
const nullableUri = { ...uri, nullable: true }
/** components/schemas/content-file of GitHub's full description (the subset lacks it), as @octokit/openapi 23 gives it. */
const CONTENT_FILE = {
  type: 'object',
  required: ['_links', 'git_url', 'html_url', 'download_url', 'name', 'path', 'sha', 'size', 'type', 'url', 'content', 'encoding'],
  properties: {
    type: { type: 'string', enum: ['file'] },
    encoding: { type: 'string' },
    size: { type: 'integer' },
    name: { type: 'string' },
    path: { type: 'string' },
    content: { type: 'string' },
    sha: { type: 'string' },
    url: uri,
    git_url: nullableUri,
    html_url: nullableUri,
    download_url: nullableUri,
    _links: { type: 'object', required: ['git', 'html', 'self'], properties: { git: nullableUri, html: nullableUri, self: uri } },
    target: { type: 'string' },
    submodule_git_url: { type: 'string' },
  },
}
/** Operations the sandbox serves that the subset lacks, with the responses GitHub's full description gives them. */
const SUPPLEMENT: Array<Omit<Operation, 'pattern'>> = [
  { method: 'GET', template: '/repos/{owner}/{repo}/labels', operationId: 'issues/list-labels-for-repo', responses: { '200': labelList } },
  { method: 'POST', template: '/repos/{owner}/{repo}/issues/{issue_number}/labels', operationId: 'issues/add-labels', responses: { '200': labelList } },
  { method: 'DELETE', template: '/repos/{owner}/{repo}/issues/{issue_number}/lock', operationId: 'issues/unlock', responses: { '204': { description: 'Response' } } },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/environments/{environment_name}/secrets',
    operationId: 'actions/list-environment-secrets',
    responses: { '200': listOf('secrets', 'actions-secret') },
  },
  { method: 'GET', template: '/orgs/{org}/actions/secrets', operationId: 'actions/list-org-secrets', responses: { '200': listOf('secrets', 'organization-actions-secret') } },
  {
    method: 'GET',
    template: '/orgs/{org}/actions/secrets/{secret_name}/repositories',
    operationId: 'actions/list-selected-repos-for-org-secret',
    responses: { '200': listOf('repositories', 'minimal-repository') },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/environments/{environment_name}/variables',
    operationId: 'actions/list-environment-variables',
    responses: { '200': listOf('variables', 'actions-variable') },
  },
  {
    method: 'DELETE',
    template: '/repos/{owner}/{repo}/environments/{environment_name}/variables/{name}',
    operationId: 'actions/delete-environment-variable',
    responses: noContent,
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
    operationId: 'reactions/list-for-issue-comment',
    responses: { '200': { content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/reaction' } } } } } },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/git/matching-refs/{ref}',
    operationId: 'git/list-matching-refs',
    responses: { '200': { content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/git-ref' } } } } } },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/contents/{path}',
    operationId: 'repos/get-content',
    // The JSON form is a content-file (the sandbox serves files only); the raw media type answers the file's text itself.
    responses: { '200': { content: { 'application/json': { schema: { oneOf: [CONTENT_FILE, { type: 'string' }] } } } } },
  },
  {
    method: 'PATCH',
    template: '/repos/{owner}/{repo}/git/refs/{ref}',
    operationId: 'git/update-ref',
    responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/git-ref' } } } } },
  },
]

/** The sandbox also answers under GitHub Enterprise's /api/v3, and spreads slashed git refs over `{ref}/{ref_2}/...`: both are the spec's one template. */
function specTemplateOf(route: string): string {
  return route.replace(/^\/api\/v3(?=\/)/, '').replace(/(\/\{[a-z_]+_\d+\})+$/, '')
}

/** OpenAPI 3.0 schema → JSON Schema: `nullable` becomes a null type, local `$ref`s point into the registered spec. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema)
  if (typeof node !== 'object' || node === null) return node
  const out: Json = {}
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === 'example' || key === 'examples') continue
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      out.properties = Object.fromEntries(Object.entries(value as Json).map(([name, schema]) => [name, toJsonSchema(schema)]))
    } else {
      out[key] = toJsonSchema(value)
    }
  }
  if (typeof out.$ref === 'string' && out.$ref.startsWith('#/')) out.$ref = `${SPEC_ID}${out.$ref}`
  if (out.nullable === true) {
    delete out.nullable
    if (typeof out.type !== 'string') return { anyOf: [out, { type: 'null' }] }
    out.type = [out.type, 'null']
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null]
  }
  return out
}

function templatePattern(template: string): RegExp {
  return new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`)
}

class SpecValidator {
  readonly operations: Operation[] = []
  readonly #spec: { paths: Record<string, Record<string, Json>>; components: { schemas: Json; responses: Record<string, Json> } }
  readonly #ajv: Ajv
  readonly #compiled = new Map<string, ValidateFunction>()

  constructor(specText: string) {
    this.#spec = JSON.parse(specText)
    this.#ajv = new Ajv({ strict: false, allErrors: true })
    addFormats.default(this.#ajv)
    for (const format of ['int32', 'int64', 'timestamp']) {
      if (!(format in this.#ajv.formats)) this.#ajv.addFormat(format, true)
    }
    this.#ajv.addSchema({ $id: SPEC_ID, components: { schemas: toJsonSchema(this.#spec.components.schemas) } })
    for (const [template, item] of Object.entries(this.#spec.paths)) {
      const pattern = templatePattern(template)
      for (const [method, operation] of Object.entries(item)) {
        if (method === 'parameters') continue
        this.operations.push({
          method: method.toUpperCase(),
          template,
          pattern,
          operationId: String(operation.operationId),
          responses: operation.responses as Record<string, Json>,
        })
      }
    }
    for (const operation of SUPPLEMENT) {
      if (this.operations.some((known) => known.method === operation.method && known.template === operation.template)) continue
      this.operations.push({ ...operation, pattern: templatePattern(operation.template), supplement: true })
    }
  }

  operationOf(entry: RequestLogEntry): Operation | undefined {
    const route = entry.route === undefined ? undefined : specTemplateOf(entry.route)
    return this.operations.find((operation) => operation.method === entry.method && (route ? operation.template === route : operation.pattern.test(entry.path)))
  }

  /** The response object of an operation's status, `$ref`s into components.responses resolved. */
  responseOf(operation: Operation, status: number): Json | undefined {
    const response = operation.responses[String(status)]
    const ref = response?.$ref
    if (typeof ref === 'string') return this.#spec.components.responses[ref.split('/').pop() ?? '']
    return response
  }

  validator(key: string, schema: unknown): ValidateFunction {
    let validate = this.#compiled.get(key)
    if (!validate) {
      validate = this.#ajv.compile(toJsonSchema(schema) as Json)
      this.#compiled.set(key, validate)
    }
    return validate
  }

  get ajv(): Ajv {
    return this.#ajv
  }
}

type Verdict = { kind: 'valid' | 'invalid' | 'fallback' | 'supplement' | 'skipped'; key: string; detail?: string }

function judge(spec: SpecValidator, entry: RequestLogEntry): Verdict {
  if (entry.fault) return { kind: 'skipped', key: `${entry.method} ${entry.path} ${entry.status}`, detail: `injected fault (${entry.fault})` }
  const operation = spec.operationOf(entry)
  if (!operation) {
    return { kind: 'skipped', key: `${entry.method} ${entry.route ?? entry.path} ${entry.status}`, detail: 'no operation in the subset spec' }
  }
  const key = `${operation.operationId} ${entry.status}`
  const response = spec.responseOf(operation, entry.status)
  let schema: unknown
  let kind: 'valid' | 'fallback' | 'supplement' = operation.supplement ? 'supplement' : 'valid'
  if (response) {
    const content = response.content as Record<string, { schema?: unknown }> | undefined
    if (!content && entry.status >= 400 && entry.responseBody !== undefined) {
      // Some errors are described without a body (git/delete-ref 422), yet GitHub answers them with a basic-error.
      schema = { $ref: '#/components/schemas/basic-error' }
      kind = 'fallback'
    } else if (!content) {
      return entry.responseBody === undefined ? { kind, key } : { kind: 'invalid', key, detail: 'the spec defines no body for this status' }
    } else {
      schema = content['application/json']?.schema
    }
  } else if (entry.status >= 400) {
    // GitHub's description lists only some error statuses per operation; every GitHub error body is a basic-error.
    schema = { $ref: '#/components/schemas/basic-error' }
    kind = 'fallback'
  }
  if (schema === undefined) return { kind: 'skipped', key, detail: `status ${entry.status} has no JSON schema` }
  const validate = spec.validator(`${key}:${kind}`, schema)
  if (validate(entry.responseBody)) return { kind, key }
  return { kind: 'invalid', key, detail: spec.ajv.errorsText(validate.errors, { separator: '\n  ' }) }
}

describe('GitHub sandbox against the official REST description', () => {
  let sandbox: GitHubSandbox
  let spec: SpecValidator

  beforeAll(async () => {
    spec = new SpecValidator(readFileSync(SPEC_URL, 'utf8'))
    sandbox = await startGitHubSandbox()
    await driveScenario(sandbox)
  })

  afterAll(async () => {
    await sandbox.close()
  })

  it('produced every kind of answer', () => {
    const statuses = new Set(sandbox.log.map((entry) => entry.status))
    for (const status of [200, 201, 204, 400, 401, 403, 404, 422]) expect(statuses, `no ${status} in the scenario`).toContain(status)
  })

  it('answers with bodies that validate against the schema of their operation and status', () => {
    const verdicts = sandbox.log.map((entry) => judge(spec, entry))
    const summary = new Map<string, { verdict: Verdict['kind']; count: number; detail?: string }>()
    for (const verdict of verdicts) {
      const id = `${verdict.kind} ${verdict.key}`
      const seen = summary.get(id)
      if (seen) seen.count += 1
      else summary.set(id, { verdict: verdict.kind, count: 1, ...(verdict.detail ? { detail: verdict.detail } : {}) })
    }
    const lines = [...summary.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, { count, detail }]) => `  ${id} ×${count}${detail ? ` — ${detail}` : ''}`)
    console.log(
      [
        `GitHub contract: ${verdicts.length} logged answers checked against ${SPEC_URL.pathname}`,
        '  (valid: the schema of the operation and status; fallback: status not listed for the operation, checked as basic-error;',
        '   supplement: operation missing from the subset, checked with the component schema GitHub answers it with; skipped: no schema)',
        ...lines,
      ].join('\n'),
    )

    const invalid = verdicts.filter((verdict) => verdict.kind === 'invalid')
    expect(invalid.map((verdict) => `${verdict.key}: ${verdict.detail}`)).toEqual([])
    expect(verdicts.filter((verdict) => verdict.kind === 'valid').length).toBeGreaterThan(40)
  })

  it('has a validator that rejects bodies breaking the schema (so passing means something)', () => {
    const logged = sandbox.log.find((entry) => entry.route === '/repos/{owner}/{repo}/issues/{issue_number}' && entry.method === 'GET' && entry.status === 200)
    expect(logged).toBeDefined()
    const entry = logged as RequestLogEntry
    expect(judge(spec, entry).kind).toBe('valid')
    const issue = entry.responseBody as Json
    const broken = (changes: Json): Verdict => judge(spec, { ...entry, responseBody: { ...issue, ...changes } })
    expect(broken({ node_id: undefined }).kind).toBe('invalid')
    expect(broken({ labels: 'bug' }).kind).toBe('invalid')
    expect(broken({ locked: 'no' }).kind).toBe('invalid')
    expect(broken({ state_reason: 'because' }).kind).toBe('invalid')
    expect(broken({ user: { login: 'someone' } }).kind).toBe('invalid')
    expect(broken({ body: null, closed_at: null, state_reason: null }).kind).toBe('valid')
  })

  it('covers each operation the sandbox implements that the spec describes', () => {
    const validated = new Set(sandbox.log.map((entry) => spec.operationOf(entry)?.operationId).filter(Boolean))
    for (const operationId of [
      'repos/get',
      'rate-limit/get',
      'issues/list-for-repo',
      'issues/create',
      'issues/get',
      'issues/update',
      'issues/lock',
      'issues/list-comments',
      'issues/create-comment',
      'issues/get-comment',
      'issues/update-comment',
      'issues/get-label',
      'issues/create-label',
      'pulls/list-commits',
      'repos/compare-commits-with-basehead',
      'actions/get-repo-public-key',
      'actions/list-repo-secrets',
      'actions/get-repo-secret',
      'actions/create-or-update-repo-secret',
      'actions/delete-repo-secret',
      'actions/get-environment-public-key',
      'actions/get-environment-secret',
      'actions/create-or-update-environment-secret',
      'actions/delete-environment-secret',
      'actions/get-org-public-key',
      'actions/get-org-secret',
      'actions/create-or-update-org-secret',
      'actions/delete-org-secret',
      'actions/set-selected-repos-for-org-secret',
      'actions/list-repo-variables',
      'actions/create-repo-variable',
      'actions/get-repo-variable',
      'actions/update-repo-variable',
      'actions/delete-repo-variable',
      'actions/get-environment-variable',
      'actions/update-environment-variable',
      'actions/create-environment-variable',
      'git/create-ref',
      'git/get-ref',
      'git/delete-ref',
      'apps/get-authenticated',
      'apps/get-repo-installation',
      'apps/create-installation-access-token',
      'apps/list-repos-accessible-to-installation',
      'repos/get-collaborator-permission-level',
      'reactions/create-for-issue-comment',
      'actions/create-workflow-dispatch',
      'actions/get-workflow-run',
      'repos/get-content',
    ]) {
      expect(validated, operationId).toContain(operationId)
    }
  })
})

async function driveScenario(sandbox: GitHubSandbox): Promise<void> {
  sandbox.addRepository('acme/shop')
  sandbox.addRepository('acme/vault', { private: true })
  sandbox.addPullRequest('acme/shop', {
    number: 1,
    title: 'PROJ-1 many commits',
    head: 'feature/PROJ-1',
    commits: Array.from({ length: 120 }, (_, index) => ({ message: `PROJ-1 step ${index}`, ...(index % 3 === 0 ? { author: 'alice' } : {}) })),
  })
  const repo = { owner: 'acme', repo: 'shop' }
  const writerToken = sandbox.issueToken({ repositories: ['acme/shop'], permissions: { issues: 'write', pull_requests: 'read', contents: 'read' } })
  const writer = getOctokit(writerToken, { baseUrl: sandbox.url })
  const reader = getOctokit(sandbox.issueToken({ repositories: ['acme/shop'], permissions: { issues: 'read' } }), { baseUrl: sandbox.url })
  const app = getOctokit(sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { issues: 'write' } }), { baseUrl: sandbox.url })
  const user = getOctokit(sandbox.issueToken({ kind: 'user', login: 'alice', repositories: ['*'], permissions: { issues: 'write', contents: 'write' } }), { baseUrl: sandbox.url })
  /** `token: null` asks anonymously. */
  const raw = (path: string, init: RequestInit = {}, token: string | null = writerToken) =>
    fetch(`${sandbox.url}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } })
  const settle = async (promise: Promise<unknown>): Promise<void> => {
    await promise.catch(() => undefined)
  }

  // Repository, rate limit, authentication.
  await writer.rest.repos.get(repo)
  await raw('/repos/acme/shop', {}, null)
  await raw('/rate_limit', {}, null)
  await writer.rest.rateLimit.get()
  await settle(writer.rest.repos.get({ owner: 'acme', repo: 'vault' }))
  await raw('/repos/acme/shop/issues', {}, 'ghs_unknown')
  await raw('/repos/acme/shop/issues', { method: 'POST', body: JSON.stringify({ title: 'anonymous' }) }, null)

  // Issues.
  const audit = await writer.rest.issues.create({ ...repo, title: 'jira-warden audit trail · 2026-03', body: 'entries', labels: ['jira-warden:audit', 'bug'] })
  await app.rest.issues.create({ ...repo, title: 12345 as unknown as string })
  await user.rest.issues.create({ ...repo, title: 'by a user' })
  await raw('/repos/acme/shop/issues', { method: 'POST', body: JSON.stringify({ body: 'no title' }) })
  await raw('/repos/acme/shop/issues', { method: 'POST', body: '{not json' })
  await raw('/repos/acme/shop/issues', { method: 'POST', body: JSON.stringify({ title: 'x', body: 42 }) })
  await settle(reader.rest.issues.create({ ...repo, title: 'read-only' }))
  await writer.paginate(writer.rest.issues.listForRepo, { ...repo, state: 'all', per_page: 2 })
  await writer.rest.issues.listForRepo({ ...repo, labels: 'jira-warden:audit', sort: 'updated', direction: 'asc' })
  await writer.rest.issues.get({ ...repo, issue_number: audit.data.number })
  await writer.rest.issues.get({ ...repo, issue_number: 1 })
  await settle(writer.rest.issues.get({ ...repo, issue_number: 999 }))
  await writer.rest.issues.update({ ...repo, issue_number: audit.data.number, body: null, labels: ['jira-warden:audit'] })
  await user.rest.issues.update({ ...repo, issue_number: 3, state: 'closed', state_reason: 'not_planned' })
  await raw(`/repos/acme/shop/issues/${audit.data.number}`, { method: 'PATCH', body: JSON.stringify({ state: 'finished' }) })
  await settle(reader.rest.issues.update({ ...repo, issue_number: audit.data.number, title: 'x' }))
  await writer.rest.issues.lock({ ...repo, issue_number: audit.data.number, lock_reason: 'resolved' })
  await raw(`/repos/acme/shop/issues/${audit.data.number}/lock`, { method: 'PUT' })
  await raw(`/repos/acme/shop/issues/${audit.data.number}/lock`, { method: 'PUT', body: JSON.stringify({ lock_reason: 'bored' }) })
  await settle(reader.rest.issues.lock({ ...repo, issue_number: audit.data.number }))
  await settle(writer.rest.issues.lock({ ...repo, issue_number: 999 }))
  await writer.rest.issues.unlock({ ...repo, issue_number: audit.data.number })

  // Comments.
  const entry = await writer.rest.issues.createComment({ ...repo, issue_number: audit.data.number, body: 'rotation.intent' })
  await app.rest.issues.createComment({ ...repo, issue_number: audit.data.number, body: 'credential.used' })
  await user.rest.issues.createComment({ ...repo, issue_number: 1, body: '/warden status' })
  await settle(reader.rest.issues.createComment({ ...repo, issue_number: audit.data.number, body: 'denied' }))
  await settle(writer.rest.issues.createComment({ ...repo, issue_number: 999, body: 'nowhere' }))
  await raw(`/repos/acme/shop/issues/${audit.data.number}/comments`, { method: 'POST', body: JSON.stringify({}) })
  await writer.paginate(writer.rest.issues.listComments, { ...repo, issue_number: audit.data.number, per_page: 1 })
  await settle(writer.rest.issues.listComments({ ...repo, issue_number: 999 }))
  await writer.rest.issues.getComment({ ...repo, comment_id: entry.data.id })
  await settle(writer.rest.issues.getComment({ ...repo, comment_id: 1 }))
  await writer.rest.issues.updateComment({ ...repo, comment_id: entry.data.id, body: 'rotation.intent (edited)' })
  await raw(`/repos/acme/shop/issues/comments/${entry.data.id}`, { method: 'PATCH', body: JSON.stringify({ body: '' }) })

  // Labels.
  await writer.rest.issues.createLabel({ ...repo, name: 'jira-warden:rotation', color: 'b60205', description: 'Rotation requests' })
  await writer.rest.issues.createLabel({ ...repo, name: 'plain' })
  await settle(writer.rest.issues.createLabel({ ...repo, name: 'jira-warden:rotation' }))
  await settle(writer.rest.issues.createLabel({ ...repo, name: 'red', color: 'red' }))
  await writer.rest.issues.getLabel({ ...repo, name: 'jira-warden:audit' })
  await settle(writer.rest.issues.getLabel({ ...repo, name: 'missing' }))
  await writer.paginate(writer.rest.issues.listLabelsForRepo, { ...repo, per_page: 50 })
  await writer.rest.issues.addLabels({ ...repo, issue_number: audit.data.number, labels: ['plain'] })

  // Pull request commits and compare.
  await writer.paginate(writer.rest.pulls.listCommits, { ...repo, pull_number: 1, per_page: 50 })
  await writer.rest.pulls.listCommits({ ...repo, pull_number: 1, page: 9 })
  await settle(writer.rest.pulls.listCommits({ ...repo, pull_number: 2 }))
  await settle(reader.rest.pulls.listCommits({ ...repo, pull_number: 1 }))
  await writer.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: 'main...feature/PROJ-1' })
  await writer.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: 'main...feature/PROJ-1', per_page: 100, page: 2 })
  await settle(writer.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: 'main...nowhere' }))

  await driveSecretsScenario(sandbox)
  await driveRefsAndAppsScenario(sandbox)
  await driveCommandsScenario(sandbox)

  // A spent rate limit.
  const spent = sandbox.issueToken({ repositories: ['acme/shop'], permissions: { issues: 'read' } })
  sandbox.setRateLimit({ token: spent, remaining: 0 })
  await raw('/repos/acme/shop/issues', {}, spent)
}

/** Secrets of the three scopes, variables and environments: every status each can answer. */
async function driveSecretsScenario(sandbox: GitHubSandbox): Promise<void> {
  const repo = { owner: 'acme', repo: 'shop' }
  sandbox.addEnvironment('acme/shop', 'production')
  const token = sandbox.issueToken({
    kind: 'installation',
    account: 'acme',
    repositories: ['*'],
    permissions: { secrets: 'write', actions_variables: 'write', organization_secrets: 'write', metadata: 'read' },
  })
  const app = getOctokit(token, { baseUrl: sandbox.url })
  const enterprise = getOctokit(token, { baseUrl: `${sandbox.url}/api/v3` })
  const noSecrets = getOctokit(sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { issues: 'read' } }), { baseUrl: sandbox.url })
  const settle = async (promise: Promise<unknown>): Promise<void> => {
    await promise.catch(() => undefined)
  }
  const value = randomSecret('contract-')

  // Repository scope.
  const key = await app.rest.actions.getRepoPublicKey(repo)
  await enterprise.rest.actions.getRepoPublicKey(repo)
  const sealed = { encrypted_value: sealValue(key.data.key, value), key_id: key.data.key_id }
  await app.rest.actions.createOrUpdateRepoSecret({ ...repo, secret_name: 'JIRA_PAT', ...sealed })
  await app.rest.actions.createOrUpdateRepoSecret({ ...repo, secret_name: 'JIRA_PAT', ...sealed })
  await settle(app.rest.actions.createOrUpdateRepoSecret({ ...repo, secret_name: 'JIRA_PAT', encrypted_value: sealed.encrypted_value, key_id: '1' }))
  await settle(app.rest.actions.createOrUpdateRepoSecret({ ...repo, secret_name: 'JIRA_PAT', encrypted_value: 'not base64', key_id: key.data.key_id }))
  await settle(noSecrets.rest.actions.createOrUpdateRepoSecret({ ...repo, secret_name: 'JIRA_PAT', ...sealed }))
  await app.rest.actions.listRepoSecrets(repo)
  await app.rest.actions.getRepoSecret({ ...repo, secret_name: 'JIRA_PAT' })
  await settle(app.rest.actions.getRepoSecret({ ...repo, secret_name: 'MISSING' }))
  await app.rest.actions.createOrUpdateRepoSecret({ ...repo, secret_name: 'STAGED', ...sealed })
  await app.rest.actions.deleteRepoSecret({ ...repo, secret_name: 'STAGED' })
  await settle(app.rest.actions.deleteRepoSecret({ ...repo, secret_name: 'STAGED' }))

  // Environment scope.
  const environment = { ...repo, environment_name: 'production' }
  const environmentKey = await app.rest.actions.getEnvironmentPublicKey(environment)
  await settle(app.rest.actions.getEnvironmentPublicKey({ ...repo, environment_name: 'nowhere' }))
  const environmentSealed = { encrypted_value: sealValue(environmentKey.data.key, value), key_id: environmentKey.data.key_id }
  await app.rest.actions.createOrUpdateEnvironmentSecret({ ...environment, secret_name: 'JIRA_PAT', ...environmentSealed })
  await app.rest.actions.createOrUpdateEnvironmentSecret({ ...environment, secret_name: 'JIRA_PAT', ...environmentSealed })
  await settle(app.rest.actions.createOrUpdateEnvironmentSecret({ ...environment, secret_name: 'JIRA_PAT', ...sealed }))
  await app.rest.actions.getEnvironmentSecret({ ...environment, secret_name: 'JIRA_PAT' })
  await app.request('GET /repos/{owner}/{repo}/environments/{environment_name}/secrets', environment)
  await app.rest.actions.deleteEnvironmentSecret({ ...environment, secret_name: 'JIRA_PAT' })
  await settle(app.rest.actions.getEnvironmentSecret({ ...environment, secret_name: 'JIRA_PAT' }))

  // Organization scope.
  const shop = await app.rest.repos.get(repo)
  const orgKey = await app.rest.actions.getOrgPublicKey({ org: 'acme' })
  const orgSealed = { encrypted_value: sealValue(orgKey.data.key, value), key_id: orgKey.data.key_id }
  await app.rest.actions.createOrUpdateOrgSecret({ org: 'acme', secret_name: 'JIRA_PAT', ...orgSealed, visibility: 'selected', selected_repository_ids: [shop.data.id] })
  await app.rest.actions.createOrUpdateOrgSecret({ org: 'acme', secret_name: 'JIRA_PAT', ...orgSealed, visibility: 'selected' })
  await settle(app.rest.actions.createOrUpdateOrgSecret({ org: 'acme', secret_name: 'JIRA_PAT', ...orgSealed, visibility: 'all', selected_repository_ids: [shop.data.id] }))
  await app.rest.actions.createOrUpdateOrgSecret({ org: 'acme', secret_name: 'SHARED', ...orgSealed, visibility: 'all' })
  await app.rest.actions.getOrgSecret({ org: 'acme', secret_name: 'JIRA_PAT' })
  await app.rest.actions.getOrgSecret({ org: 'acme', secret_name: 'SHARED' })
  await settle(app.rest.actions.getOrgSecret({ org: 'nobody', secret_name: 'SHARED' }))
  await app.rest.actions.listOrgSecrets({ org: 'acme' })
  await app.rest.actions.listSelectedReposForOrgSecret({ org: 'acme', secret_name: 'JIRA_PAT' })
  await app.rest.actions.setSelectedReposForOrgSecret({ org: 'acme', secret_name: 'JIRA_PAT', selected_repository_ids: [shop.data.id] })
  await settle(app.rest.actions.setSelectedReposForOrgSecret({ org: 'acme', secret_name: 'SHARED', selected_repository_ids: [shop.data.id] }))
  await app.rest.actions.deleteOrgSecret({ org: 'acme', secret_name: 'SHARED' })
  await settle(noSecrets.rest.actions.getOrgPublicKey({ org: 'acme' }))

  // Variables.
  await app.rest.actions.createRepoVariable({ ...repo, name: 'JIRA_WARDEN_STATE', value: '{"version":1}' })
  await settle(app.rest.actions.createRepoVariable({ ...repo, name: 'JIRA_WARDEN_STATE', value: '{}' }))
  await settle(app.request('POST /repos/{owner}/{repo}/actions/variables', { ...repo, name: 'NO_VALUE' } as never))
  await app.rest.actions.getRepoVariable({ ...repo, name: 'JIRA_WARDEN_STATE' })
  await settle(app.rest.actions.getRepoVariable({ ...repo, name: 'MISSING' }))
  await app.rest.actions.updateRepoVariable({ ...repo, name: 'JIRA_WARDEN_STATE', value: '{"version":1,"phase":"mint"}' })
  await app.rest.actions.listRepoVariables(repo)
  await app.rest.actions.deleteRepoVariable({ ...repo, name: 'JIRA_WARDEN_STATE' })
  await app.rest.actions.createEnvironmentVariable({ ...environment, name: 'JIRA_URL', value: 'https://jira.example.com' })
  await settle(app.rest.actions.createEnvironmentVariable({ ...environment, name: 'JIRA_URL', value: 'x' }))
  await settle(app.rest.actions.getEnvironmentVariable({ ...repo, environment_name: 'nowhere', name: 'JIRA_URL' }))
  await app.rest.actions.getEnvironmentVariable({ ...environment, name: 'JIRA_URL' })
  await app.rest.actions.updateEnvironmentVariable({ ...environment, name: 'JIRA_URL', value: 'https://jira2.example.com' })
  await app.request('GET /repos/{owner}/{repo}/environments/{environment_name}/variables', environment)
  await app.request('DELETE /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}', { ...environment, name: 'JIRA_URL' })
}

/** Git refs (the rotation lock), the app's JWT routes and installation tokens. */
async function driveRefsAndAppsScenario(sandbox: GitHubSandbox): Promise<void> {
  const repo = { owner: 'acme', repo: 'shop' }
  const settle = async (promise: Promise<unknown>): Promise<void> => {
    await promise.catch(() => undefined)
  }
  const contentsToken = sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { contents: 'write' } })
  const contents = getOctokit(contentsToken, { baseUrl: sandbox.url })
  const sha = sandbox.ref('acme/shop', 'heads/main') ?? ''
  const lock = 'refs/heads/jira-warden/lock/contract'
  await contents.rest.git.createRef({ ...repo, ref: lock, sha })
  await settle(contents.rest.git.createRef({ ...repo, ref: lock, sha }))
  await settle(contents.rest.git.createRef({ ...repo, ref: 'refs/heads/x', sha: 'nope' }))
  await contents.rest.git.getRef({ ...repo, ref: 'heads/jira-warden/lock/contract' })
  await contents.rest.git.listMatchingRefs({ ...repo, ref: 'heads/jira-warden/lock/' })
  await fetch(`${sandbox.url}/repos/acme/shop/git/ref/heads/jira-warden/lock/contract`, { headers: { authorization: `Bearer ${contentsToken}` } })
  await fetch(`${sandbox.url}/api/v3/repos/acme/shop/git/ref/heads/jira-warden/lock/contract`, { headers: { authorization: `Bearer ${contentsToken}` } })
  await contents.rest.git.updateRef({ ...repo, ref: 'heads/jira-warden/lock/contract', sha: 'f'.repeat(40) })
  await settle(contents.rest.git.updateRef({ ...repo, ref: 'heads/nowhere', sha: 'f'.repeat(40) }))
  await contents.rest.git.deleteRef({ ...repo, ref: 'heads/jira-warden/lock/contract' })
  await settle(contents.rest.git.deleteRef({ ...repo, ref: 'heads/jira-warden/lock/contract' }))
  await settle(contents.rest.git.getRef({ ...repo, ref: 'heads/jira-warden/lock/contract' }))

  const app = sandbox.addApp({ id: 31337, slug: 'jira-warden', permissions: { issues: 'write', secrets: 'write' }, events: ['issue_comment', 'workflow_run'] })
  const installationId = sandbox.addInstallation({ appId: app.id, account: 'acme', repositories: ['acme/shop'] })
  sandbox.addInstallation({ appId: app.id, account: 'other', repositories: 'all' })
  const asApp = new ProbotOctokit({ auth: { appId: app.id, privateKey: app.privateKey }, baseUrl: sandbox.url, throttle: { enabled: false }, retry: { enabled: false } })
  await asApp.rest.apps.getAuthenticated()
  await fetch(`${sandbox.url}/app`, { headers: { authorization: `Bearer ${contentsToken}` } })
  await fetch(`${sandbox.url}/installation/repositories`)
  await asApp.rest.apps.getRepoInstallation(repo)
  await settle(asApp.rest.apps.getRepoInstallation({ owner: 'acme', repo: 'docs' }))
  const issued = await asApp.rest.apps.createInstallationAccessToken({ installation_id: installationId })
  await asApp.rest.apps.createInstallationAccessToken({ installation_id: installationId, repositories: ['shop'], permissions: { issues: 'read' } })
  await settle(asApp.rest.apps.createInstallationAccessToken({ installation_id: installationId, permissions: { administration: 'write' } }))
  await settle(asApp.rest.apps.createInstallationAccessToken({ installation_id: 1 }))
  await fetch(`${sandbox.url}/app/installations/${installationId}/access_tokens`, { method: 'POST', headers: { authorization: `Bearer ${contentsToken}` } })
  const installation = getOctokit(issued.data.token, { baseUrl: sandbox.url })
  await installation.rest.apps.listReposAccessibleToInstallation()
  const user = getOctokit(sandbox.issueToken({ kind: 'user', login: 'alice', repositories: ['acme/shop'], permissions: { issues: 'read' } }), { baseUrl: sandbox.url })
  await settle(user.rest.apps.listReposAccessibleToInstallation())
}

/** What slash commands use: collaborator permission, reactions, workflow dispatch and runs, and a secondary rate limit. */
async function driveCommandsScenario(sandbox: GitHubSandbox): Promise<void> {
  const repo = { owner: 'acme', repo: 'shop' }
  const settle = async (promise: Promise<unknown>): Promise<void> => {
    await promise.catch(() => undefined)
  }
  const token = sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { issues: 'write', actions: 'write', metadata: 'read' } })
  const bot = getOctokit(token, { baseUrl: sandbox.url })
  const reader = getOctokit(sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { issues: 'read' } }), { baseUrl: sandbox.url })

  sandbox.setCollaborator('acme/shop', 'alice', 'admin')
  sandbox.setCollaborator('acme/shop', 'tom', 'triage')
  await bot.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: 'alice' })
  await bot.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: 'tom' })
  await settle(bot.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: 'mallory' }))
  const outsider = getOctokit(sandbox.issueToken({ kind: 'user', login: 'rita', repositories: ['acme/shop'], permissions: { issues: 'write' } }), { baseUrl: sandbox.url })
  await settle(outsider.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: 'alice' }))

  const issue = await bot.rest.issues.create({ ...repo, title: 'commands' })
  const comment = await bot.rest.issues.createComment({ ...repo, issue_number: issue.data.number, body: '/warden status' })
  await bot.rest.reactions.createForIssueComment({ ...repo, comment_id: comment.data.id, content: 'eyes' })
  await bot.rest.reactions.createForIssueComment({ ...repo, comment_id: comment.data.id, content: 'eyes' })
  await settle(bot.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', { ...repo, comment_id: comment.data.id, content: 'tada' } as never))
  await settle(reader.rest.reactions.createForIssueComment({ ...repo, comment_id: comment.data.id, content: 'heart' }))
  await bot.rest.reactions.listForIssueComment({ ...repo, comment_id: comment.data.id })
  await bot.rest.issues.getComment({ ...repo, comment_id: comment.data.id })

  sandbox.addWorkflow('acme/shop', 'rotate.yml', { name: 'Rotate', inputs: { command: { required: true } } })
  const stop = sandbox.onWorkflowDispatch('rotate.yml', () => 'success')
  const detailed = await bot.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', { ...repo, workflow_id: 'rotate.yml', ref: 'main', inputs: { command: 'status' }, return_run_details: true })
  await bot.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'rotate.yml', ref: 'main', inputs: { command: 'verify' } })
  await settle(bot.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'nowhere.yml', ref: 'main' }))
  await settle(bot.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'rotate.yml', ref: 'nope', inputs: { command: 'status' } }))
  await settle(bot.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'rotate.yml', ref: 'main', inputs: { other: 'x' } }))
  await settle(reader.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'rotate.yml', ref: 'main', inputs: { command: 'status' } }))
  const runId = (detailed.data as { workflow_run_id: number }).workflow_run_id
  await bot.rest.actions.getWorkflowRun({ ...repo, run_id: runId })
  sandbox.addWorkflow('acme/shop', 'named.yml', { name: 'Named', inputs: { command: { required: true }, comment: {} }, runName: 'jira-warden ${{ inputs.command }} ${{ inputs.comment }}' })
  const named = await bot.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', { ...repo, workflow_id: 'named.yml', ref: 'main', inputs: { command: 'verify', comment: 'https://github.com/acme/shop/issues/1#issuecomment-2' }, return_run_details: true })
  await bot.rest.actions.getWorkflowRun({ ...repo, run_id: (named.data as { workflow_run_id: number }).workflow_run_id })
  await sandbox.waitForRun(runId)
  await bot.rest.actions.getWorkflowRun({ ...repo, run_id: runId })
  await settle(bot.rest.actions.getWorkflowRun({ ...repo, run_id: 1 }))
  stop()

  sandbox.addFile('acme/shop', '.github/jira-warden.yml', 'commands:\n  open-to-write: [status]\n')
  const contents = getOctokit(sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { contents: 'read' } }), { baseUrl: sandbox.url })
  await contents.rest.repos.getContent({ ...repo, path: '.github/jira-warden.yml' })
  await contents.request('GET /repos/{owner}/{repo}/contents/{path}', { ...repo, path: '.github/jira-warden.yml', mediaType: { format: 'raw' } })
  await settle(contents.rest.repos.getContent({ ...repo, path: '.github/absent.yml' }))
  await settle(bot.rest.repos.getContent({ ...repo, path: '.github/jira-warden.yml' }))

  sandbox.setSecondaryRateLimit({ perMinute: 1 })
  await bot.rest.issues.createComment({ ...repo, issue_number: issue.data.number, body: 'one' })
  await settle(bot.rest.issues.createComment({ ...repo, issue_number: issue.data.number, body: 'two' }))
  sandbox.setSecondaryRateLimit(undefined)
}

describe('GitHub sandbox webhooks against the official webhook schemas', () => {
  it('sends workflow_run completed and issue_comment created/edited payloads that validate against webhook-<event>-<action>', async () => {
    const received: Array<{ event: string; body: string }> = []
    const receiver = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        received.push({ event: String(request.headers['x-github-event']), body: Buffer.concat(chunks).toString('utf8') })
        response.writeHead(200).end()
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    const sandbox = await startGitHubSandbox()
    try {
      sandbox.addRepository('acme/shop')
      const app = sandbox.addApp({ id: 99, slug: 'jira-warden', events: ['workflow_run', 'issue_comment'] })
      sandbox.addInstallation({ appId: app.id, account: 'acme', repositories: 'all' })
      sandbox.addWorkflow('acme/shop', 'rotate.yml', { name: 'Rotate' })
      sandbox.onWorkflowDispatch('rotate.yml', () => 'failure')
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`
      sandbox.configureWebhooks({ url, secret: randomSecret('whsec-'), events: ['workflow_run', 'issue_comment'] })
      const bot = getOctokit(sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { actions: 'write', issues: 'write' } }), { baseUrl: sandbox.url })
      const alice = getOctokit(sandbox.issueToken({ kind: 'user', login: 'alice', repositories: ['acme/shop'], permissions: { issues: 'write', contents: 'write' } }), { baseUrl: sandbox.url })
      await bot.rest.actions.createWorkflowDispatch({ owner: 'acme', repo: 'shop', workflow_id: 'rotate.yml', ref: 'main' })
      const issue = await bot.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'commands', labels: ['jira-warden:audit'] })
      const comment = await alice.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue.data.number, body: '/warden status' })
      await bot.rest.reactions.createForIssueComment({ owner: 'acme', repo: 'shop', comment_id: comment.data.id, content: 'eyes' })
      await alice.rest.issues.updateComment({ owner: 'acme', repo: 'shop', comment_id: comment.data.id, body: '/warden rotate' })
      sandbox.addPullRequest('acme/shop', { number: 50, title: 'PROJ-1 change', commits: [{ message: 'PROJ-1 one' }] })
      await alice.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: 50, body: '/warden verify' })
      await sandbox.settle()
    } finally {
      await sandbox.close()
      receiver.closeAllConnections()
      await new Promise<void>((resolve) => receiver.close(() => resolve()))
    }

    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
    const webhooks = JSON.parse(readFileSync(WEBHOOKS_SPEC, 'utf8')) as { components: unknown }
    ajv.addSchema({ $id: 'webhooks', components: webhooks.components })
    const kinds = received.map(({ event, body }) => `${event}.${String((JSON.parse(body) as Json).action)}`)
    expect(kinds.sort()).toEqual(['issue_comment.created', 'issue_comment.created', 'issue_comment.edited', 'workflow_run.completed'])
    for (const { event, body } of received) {
      const payload = JSON.parse(body) as Json
      const schema = `webhook-${event.replace(/_/g, '-')}-${String(payload.action)}`
      const validate = ajv.getSchema(`webhooks#/components/schemas/${schema}`) ?? ajv.compile({ $ref: `webhooks#/components/schemas/${schema}` })
      const valid = validate(payload)
      expect(valid ? [] : (validate.errors ?? []).map((error) => `${schema}${error.instancePath} ${error.message}`), schema).toEqual([])
      expect(payload.installation, schema).toMatchObject({ id: expect.any(Number) })
      // The validator bites: without the required sender the same payload fails.
      expect(validate({ ...payload, sender: undefined }), schema).toBe(false)
    }
  })
})
