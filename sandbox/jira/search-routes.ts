/**
 * Search. Cloud: the enhanced `/search/jql` (token paging, eventually
 * consistent, reconcileIssues for read-after-write), while the old `/search`
 * answers 410 Gone with Atlassian's own body (quoted in ComposioHQ/Rube#9 and
 * adyscorpius/logseq-jira#34). Data Center: `/rest/api/2/search` with
 * startAt/maxResults/total and validateQuery. See issue-search.ts for how each
 * answers keys that do not exist.
 */
import type { Router, SandboxResponse } from '../http/sandbox-server.ts'
import { issueJson, listParameter, parseExpand, parseFields } from './issue-bean.ts'
import { searchIssues } from './issue-search.ts'
import { addJiraRoute, integerParameter, parameter, type JiraCall, type JiraContext } from './jira-call.ts'
import { refusal } from './jira-errors.ts'
import { JqlError, parseJql, type JqlQuery } from './jql.ts'

const SEARCH_REMOVED =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046'

export function registerCloudSearchRoutes(router: Router, context: JiraContext): void {
  for (const method of ['GET', 'POST'] as const) {
    addJiraRoute(router, context, method, '/rest/api/{v}/search/jql', (call) => cloudSearch(context, call))
    addJiraRoute(router, context, method, '/rest/api/{v}/search', () => refusal(410, [SEARCH_REMOVED]))
  }
}

export function registerDataCenterSearchRoutes(router: Router, context: JiraContext): void {
  for (const method of ['GET', 'POST'] as const) {
    addJiraRoute(router, context, method, '/rest/api/2/search', (call) => dataCenterSearch(context, call))
  }
}

function cloudSearch(context: JiraContext, call: JiraCall): SandboxResponse {
  const jql = parameter(call, 'jql')
  const query = parse(typeof jql === 'string' ? jql : '')
  if ('response' in query) return query.response
  const maxResults = integerParameter(call, 'maxResults', 50)
  if (maxResults === undefined) return refusal(400, ['maxResults must be a non-negative integer.'])
  const reconcile = listParameter(parameter(call, 'reconcileIssues')) ?? []
  if (reconcile.length > 50) return refusal(400, ['reconcileIssues accepts at most 50 issue ids.'])
  const offset = pageOffset(parameter(call, 'nextPageToken'), String(jql))
  if (offset === undefined) return refusal(400, ['The nextPageToken is not valid for this query.'])

  const result = searchIssues(context.state, query.jql, {
    user: call.user,
    asOf: context.state.now() - context.searchLagMs,
    reconcile: new Set(reconcile),
  })
  if (context.cloudUnknownKeys === 'reject' && result.problems.length > 0) return refusal(400, result.problems)
  const size = Math.min(maxResults, 5000)
  const page = result.matches.slice(offset, offset + size)
  const rendering = {
    fields: parseFields(listParameter(parameter(call, 'fields')), 'id'),
    expand: parseExpand(listParameter(parameter(call, 'expand'))),
  }
  const isLast = offset + size >= result.matches.length
  return {
    status: 200,
    body: {
      issues: page.map((match) => issueJson(match.issue, match.state, call.view, rendering)),
      ...(isLast ? {} : { nextPageToken: Buffer.from(JSON.stringify({ offset: offset + size, jql })).toString('base64url') }),
      isLast,
    },
  }
}

function dataCenterSearch(context: JiraContext, call: JiraCall): SandboxResponse {
  const jql = parameter(call, 'jql')
  const text = typeof jql === 'string' ? jql.trim() : ''
  // Data Center allows an empty query: every issue the caller may see.
  const query = text ? parse(text) : { jql: { clauses: [], order: undefined } satisfies JqlQuery }
  if ('response' in query) return query.response
  const startAt = integerParameter(call, 'startAt', 0)
  const maxResults = integerParameter(call, 'maxResults', 50)
  if (startAt === undefined || maxResults === undefined) return refusal(400, ['startAt and maxResults must be non-negative integers.'])
  const validation = String(parameter(call, 'validateQuery') ?? 'strict').toLowerCase()

  const result = searchIssues(context.state, query.jql, { user: call.user, asOf: context.state.now(), reconcile: new Set() })
  if (['strict', 'true'].includes(validation) && result.problems.length > 0) return refusal(400, result.problems)
  const size = Math.min(maxResults, 1000)
  const rendering = {
    fields: parseFields(listParameter(parameter(call, 'fields')), '*navigable'),
    expand: parseExpand(listParameter(parameter(call, 'expand'))),
  }
  return {
    status: 200,
    body: {
      expand: 'schema,names',
      startAt,
      maxResults: size,
      total: result.matches.length,
      issues: result.matches.slice(startAt, startAt + size).map((match) => issueJson(match.issue, match.state, call.view, rendering)),
      ...(['warn', 'false'].includes(validation) && result.problems.length > 0 ? { warningMessages: result.problems } : {}),
    },
  }
}

function parse(jql: string): { jql: JqlQuery } | { response: SandboxResponse } {
  try {
    return { jql: parseJql(jql) }
  } catch (error) {
    if (error instanceof JqlError) return { response: refusal(400, [error.message]) }
    throw error
  }
}

function pageOffset(token: unknown, jql: string): number | undefined {
  if (token === undefined || token === null || token === '') return 0
  try {
    const decoded = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as { offset?: unknown; jql?: unknown }
    return typeof decoded.offset === 'number' && decoded.jql === jql ? decoded.offset : undefined
  } catch {
    return undefined
  }
}
