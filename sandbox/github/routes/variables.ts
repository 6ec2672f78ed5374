/**
 * Actions variables of a repository and of its environments: plain values,
 * readable back, created once (409 when the name is taken), updated with
 * PATCH (204), each with created_at and updated_at.
 */
import type { SandboxResponse } from '../../http/sandbox-server.ts'
import type { VariableRecord } from '../actions-records.ts'
import { fail, notFound, objectBody, pageOf, stringField, validationFailed } from '../http.ts'
import { environmentParam, json, type GitHubRoute, type PermissionRequirement, type RouteContext } from '../route-kit.ts'

const DOCS = 'https://docs.github.com/rest/actions/variables'
const REPO_VARIABLES = '/repos/{owner}/{repo}/actions/variables'
const ENV_VARIABLES = '/repos/{owner}/{repo}/environments/{environment_name}/variables'
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
/** GitHub's documented limit of one variable's value. */
const MAX_VALUE_BYTES = 48 * 1024
/** Variables list 10 per page by default and at most 30. */
const DEFAULT_PER_PAGE = 10
const MAX_PER_PAGE = 30

const read: readonly PermissionRequirement[] = [['actions_variables', 'read']]
const write: readonly PermissionRequirement[] = [['actions_variables', 'write']]
const envRead: readonly PermissionRequirement[] = [['actions_variables', 'read'], ['environments', 'read']]
const envWrite: readonly PermissionRequirement[] = [['actions_variables', 'write'], ['environments', 'write']]

type Variables = (context: RouteContext) => Map<string, VariableRecord>

const ofRepository: Variables = (context) => context.repository.variables
const ofEnvironment: Variables = (context) => environmentParam(context).variables

export const variableRoutes: GitHubRoute[] = [
  ...scopeRoutes(REPO_VARIABLES, 'repository', read, write, ofRepository),
  ...scopeRoutes(ENV_VARIABLES, 'environment', envRead, envWrite, ofEnvironment),
]

function scopeRoutes(
  base: string,
  scope: 'repository' | 'environment',
  readers: readonly PermissionRequirement[],
  writers: readonly PermissionRequirement[],
  variablesOf: Variables,
): GitHubRoute[] {
  const anchor = scope === 'repository' ? 'repository' : 'environment'
  return [
    {
      method: 'GET',
      path: base,
      docs: `${DOCS}#list-${anchor}-variables`,
      accepts: readers,
      handle(context) {
        const variables = [...variablesOf(context).values()].sort((a, b) => a.name.localeCompare(b.name))
        const page = pageOf(variables, context.request, context.state.apiUrl, DEFAULT_PER_PAGE, MAX_PER_PAGE)
        return json(200, { total_count: variables.length, variables: page.items.map(variableJson) }, page.headers)
      },
    },
    {
      method: 'POST',
      path: base,
      docs: `${DOCS}#create-${scope === 'repository' ? 'a-repository' : 'an-environment'}-variable`,
      accepts: writers,
      handle: (context) => createVariable(context, variablesOf(context)),
    },
    {
      method: 'GET',
      path: `${base}/{name}`,
      docs: `${DOCS}#get-${scope === 'repository' ? 'a-repository' : 'an-environment'}-variable`,
      accepts: readers,
      handle: (context) => json(200, variableJson(variableParam(context, variablesOf(context)))),
    },
    {
      method: 'PATCH',
      path: `${base}/{name}`,
      docs: `${DOCS}#update-${scope === 'repository' ? 'a-repository' : 'an-environment'}-variable`,
      accepts: writers,
      handle: (context) => updateVariable(context, variablesOf(context)),
    },
    {
      method: 'DELETE',
      path: `${base}/{name}`,
      docs: `${DOCS}#delete-${scope === 'repository' ? 'a-repository' : 'an-environment'}-variable`,
      accepts: writers,
      handle(context) {
        if (!variablesOf(context).delete(context.param('name').toUpperCase())) throw notFound(context.docs)
        return { status: 204 }
      },
    },
  ]
}


function variableJson(variable: VariableRecord): Record<string, unknown> {
  return { name: variable.name, value: variable.value, created_at: variable.createdAt, updated_at: variable.updatedAt }
}

function variableParam(context: RouteContext, variables: Map<string, VariableRecord>): VariableRecord {
  const variable = variables.get(context.param('name').toUpperCase())
  if (!variable) throw notFound(context.docs)
  return variable
}

function checkedName(context: RouteContext, name: string): string {
  if (!VARIABLE_NAME.test(name) || name.toUpperCase().startsWith('GITHUB_')) {
    throw validationFailed(context.docs, [
      { resource: 'Variable', code: 'custom', field: 'name', message: 'Variable names can only contain alphanumeric characters or underscores, must not start with a number or GITHUB_' },
    ])
  }
  return name.toUpperCase()
}

function checkedValue(context: RouteContext, value: string): string {
  if (Buffer.byteLength(value) > MAX_VALUE_BYTES) {
    throw validationFailed(context.docs, [{ resource: 'Variable', code: 'custom', field: 'value', message: 'Variable values are limited to 48 KB' }])
  }
  return value
}

function createVariable(context: RouteContext, variables: Map<string, VariableRecord>): SandboxResponse {
  const body = objectBody(context.request, context.docs)
  const name = checkedName(context, stringField(body, 'name', context.docs, { resource: 'Variable', required: true, notBlank: true }) ?? '')
  const value = checkedValue(context, stringField(body, 'value', context.docs, { resource: 'Variable', required: true }) ?? '')
  if (variables.has(name)) throw fail(409, 'Already exists - Variable already exists', context.docs)
  const now = context.state.timestamp()
  variables.set(name, { name, value, createdAt: now, updatedAt: now })
  return json(201, {})
}

function updateVariable(context: RouteContext, variables: Map<string, VariableRecord>): SandboxResponse {
  const variable = variableParam(context, variables)
  const body = objectBody(context.request, context.docs)
  const rename = stringField(body, 'name', context.docs, { resource: 'Variable', notBlank: true })
  const value = stringField(body, 'value', context.docs, { resource: 'Variable' })
  if (typeof rename === 'string') {
    const name = checkedName(context, rename)
    if (name !== variable.name && variables.has(name)) throw fail(409, 'Already exists - Variable already exists', context.docs)
    variables.delete(variable.name)
    variable.name = name
    variables.set(name, variable)
  }
  if (typeof value === 'string') variable.value = checkedValue(context, value)
  variable.updatedAt = context.state.timestamp()
  return { status: 204 }
}
