/**
 * Authenticating as a GitHub App: the app itself and its installations
 * (JWT only), installation access tokens with the installation's
 * permissions (or fewer, when asked) that expire after an hour, and the
 * repositories an installation token reaches.
 */
import type { AppRecord, InstallationRecord } from '../apps.ts'
import type { PermissionLevel } from '../state.ts'
import { fail, integerParam, invalidRequest, notFound, objectBody, pageOf, validationFailed, describeValue } from '../http.ts'
import { minimalRepositoryJson, nodeId, userJson } from '../representations.ts'
import { json, type GitHubRoute, type RouteContext } from '../route-kit.ts'
import { fullNameOf, type RepositoryRecord } from '../state.ts'

const DOCS = 'https://docs.github.com/rest/apps'
const TOKEN_LIFETIME_SECONDS = 3600
const RANK: Record<PermissionLevel, number> = { read: 1, write: 2, admin: 3 }

export const appRoutes: GitHubRoute[] = [
  {
    method: 'GET',
    path: '/app',
    docs: `${DOCS}/apps#get-the-authenticated-app`,
    auth: 'app',
    handle: (context) => json(200, appJson(context, context.app)),
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/installation',
    docs: `${DOCS}/apps#get-a-repository-installation-for-the-authenticated-app`,
    auth: 'app',
    handle(context) {
      const installation = context.world.apps.installationFor(context.app, fullNameOf(context.repository))
      if (!installation) throw notFound(context.docs)
      return json(200, installationJson(context, installation))
    },
  },
  {
    method: 'POST',
    path: '/app/installations/{installation_id}/access_tokens',
    docs: `${DOCS}/apps#create-an-installation-access-token-for-an-app`,
    auth: 'app',
    handle(context) {
      const id = integerParam(context.param('installation_id'))
      const installation = id === undefined ? undefined : context.world.apps.installations.get(id)
      if (!installation || installation.app !== context.app) throw notFound(context.docs)
      const body = objectBody(context.request, context.docs)
      const repositories = requestedRepositories(context, installation, body)
      const permissions = requestedPermissions(context, installation, body.permissions)
      const token = context.world.tokens.issue({
        kind: 'installation',
        appSlug: installation.app.slug,
        installationId: installation.id,
        account: installation.account.login,
        repositories: repositories ? repositories.map(fullNameOf) : installation.repositories === 'all' ? ['*'] : [...installation.repositories],
        permissions,
        expiresInSeconds: TOKEN_LIFETIME_SECONDS,
      })
      const record = context.world.tokens.find(token)
      const selected = repositories ?? (installation.repositories === 'all' ? undefined : coveredRepositories(context, installation))
      return json(201, {
        token,
        expires_at: record?.expiresAt?.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        permissions,
        repository_selection: repositories || installation.repositories !== 'all' ? 'selected' : 'all',
        ...(selected ? { repositories: selected.map((repository) => minimalRepositoryJson(context.state, repository)) } : {}),
      })
    },
  },
  {
    method: 'GET',
    path: '/installation/repositories',
    docs: `${DOCS}/installations#list-repositories-accessible-to-the-app-installation`,
    handle(context) {
      const token = context.caller.token
      if (!token) throw fail(401, 'Requires authentication', context.docs)
      if (token.kind === 'user') throw fail(403, 'You must authenticate with an installation access token in order to list repositories for an installation.', context.docs)
      const repositories = [...context.state.repositories.values()]
        .filter((repository) => (token.repositories === 'all' ? token.account === undefined || token.account === repository.owner.login.toLowerCase() : token.repositories.has(fullNameOf(repository).toLowerCase())))
        .sort((a, b) => a.id - b.id)
      const page = pageOf(repositories, context.request, context.state.apiUrl)
      return json(
        200,
        {
          total_count: repositories.length,
          repositories: page.items.map((repository) => minimalRepositoryJson(context.state, repository)),
          repository_selection: token.repositories === 'all' ? 'all' : 'selected',
        },
        page.headers,
      )
    },
  },
]

function appJson(context: RouteContext, app: AppRecord): Record<string, unknown> {
  const installations = [...context.world.apps.installations.values()].filter((installation) => installation.app === app)
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId('Integration', app.id),
    client_id: app.clientId,
    owner: userJson(context.state, app.owner),
    name: app.name,
    description: null,
    external_url: `https://example.com/${app.slug}`,
    html_url: `${context.state.webUrl}/apps/${app.slug}`,
    created_at: app.createdAt,
    updated_at: app.updatedAt,
    permissions: app.permissions,
    events: app.events,
    installations_count: installations.length,
  }
}

export function installationJson(context: RouteContext, installation: InstallationRecord): Record<string, unknown> {
  const account = installation.account
  return {
    id: installation.id,
    account: userJson(context.state, account),
    repository_selection: installation.repositories === 'all' ? 'all' : 'selected',
    access_tokens_url: `${context.state.apiUrl}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${context.state.apiUrl}/installation/repositories`,
    html_url: `${context.state.webUrl}/organizations/${account.login}/settings/installations/${installation.id}`,
    app_id: installation.app.id,
    client_id: installation.app.clientId,
    app_slug: installation.app.slug,
    target_id: account.id,
    target_type: account.type === 'Organization' ? 'Organization' : 'User',
    permissions: installation.permissions,
    events: installation.events,
    created_at: installation.createdAt,
    updated_at: installation.updatedAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  }
}

function coveredRepositories(context: RouteContext, installation: InstallationRecord): RepositoryRecord[] {
  return [...context.state.repositories.values()].filter((repository) => {
    if (repository.owner !== installation.account) return false
    return installation.repositories === 'all' || installation.repositories.has(fullNameOf(repository).toLowerCase())
  })
}

/** `repositories` (names) and `repository_ids` narrow the token; each must be reachable by the installation. */
function requestedRepositories(context: RouteContext, installation: InstallationRecord, body: Record<string, unknown>): RepositoryRecord[] | undefined {
  const { repositories: names, repository_ids: ids } = body
  if (names === undefined && ids === undefined) return undefined
  if (names !== undefined && (!Array.isArray(names) || names.some((name) => typeof name !== 'string'))) {
    throw invalidRequest(context.docs, `For 'properties/repositories', ${describeValue(names)} is not an array of strings.`)
  }
  if (ids !== undefined && (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(id)))) {
    throw invalidRequest(context.docs, `For 'properties/repository_ids', ${describeValue(ids)} is not an array of integers.`)
  }
  const reachable = coveredRepositories(context, installation)
  const chosen = new Set<RepositoryRecord>()
  for (const name of (names ?? []) as string[]) {
    const found = reachable.find((repository) => repository.name.toLowerCase() === name.replace(/^.*\//, '').toLowerCase())
    if (!found) throw unreachable(context)
    chosen.add(found)
  }
  for (const id of (ids ?? []) as number[]) {
    const found = reachable.find((repository) => repository.id === id)
    if (!found) throw unreachable(context)
    chosen.add(found)
  }
  return [...chosen]
}

function unreachable(context: RouteContext) {
  return fail(422, 'There is at least one repository that does not exist or is not accessible to the parent installation.', context.docs)
}

/** Asked-for permissions must be within the installation's; none asked: all of them. */
function requestedPermissions(context: RouteContext, installation: InstallationRecord, asked: unknown): Record<string, PermissionLevel> {
  if (asked === undefined) return { ...installation.permissions }
  if (typeof asked !== 'object' || asked === null || Array.isArray(asked)) {
    throw invalidRequest(context.docs, `For 'properties/permissions', ${describeValue(asked)} is not an object.`)
  }
  const granted: Record<string, PermissionLevel> = {}
  for (const [name, level] of Object.entries(asked as Record<string, unknown>)) {
    if (level !== 'read' && level !== 'write' && level !== 'admin') {
      throw validationFailed(context.docs, [{ resource: 'Installation', code: 'invalid', field: `permissions.${name}` }])
    }
    const held = installation.permissions[name]
    if (!held || RANK[held] < RANK[level]) throw fail(422, 'The permissions requested are not granted to this installation.', context.docs)
    granted[name] = level
  }
  return granted
}
