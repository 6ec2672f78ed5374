/** Labels of a repository, and labels added to an issue. */
import { invalidRequest, labelNames, notFound, objectBody, pageOf, stringField, validationFailed } from '../http.ts'
import { labelJson } from '../representations.ts'
import { issueParam, issuesOrPulls, json, requireOnIssue, type GitHubRoute, type RouteContext } from '../route-kit.ts'
import { labelsOf } from '../state.ts'

const DOCS = 'https://docs.github.com/rest/issues/labels'

export const labelRoutes: GitHubRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/labels',
    docs: `${DOCS}#list-labels-for-a-repository`,
    accepts: issuesOrPulls('read'),
    handle(context) {
      const labels = [...context.repository.labels.values()].sort((a, b) => a.name.localeCompare(b.name))
      const page = pageOf(labels, context.request, context.state.apiUrl)
      return json(200, page.items.map((label) => labelJson(context.state, context.repository, label)), page.headers)
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/labels/{name}',
    docs: `${DOCS}#get-a-label`,
    accepts: issuesOrPulls('read'),
    handle(context) {
      const label = context.repository.labels.get(context.param('name').toLowerCase())
      if (!label) throw notFound(context.docs)
      return json(200, labelJson(context.state, context.repository, label))
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/labels',
    docs: `${DOCS}#create-a-label`,
    accepts: issuesOrPulls('write'),
    handle(context) {
      const body = objectBody(context.request, context.docs)
      const name = stringField(body, 'name', context.docs, { resource: 'Label', required: true, notBlank: true }) ?? ''
      const color = stringField(body, 'color', context.docs, { resource: 'Label' }) ?? 'ededed'
      const description = stringField(body, 'description', context.docs, { resource: 'Label', maxLength: 100 })
      if (!/^[0-9a-fA-F]{6}$/.test(color)) throw validationFailed(context.docs, [{ resource: 'Label', code: 'invalid', field: 'color' }])
      if (context.repository.labels.has(name.toLowerCase())) {
        throw validationFailed(context.docs, [{ resource: 'Label', code: 'already_exists', field: 'name' }])
      }
      const label = context.state.ensureLabel(context.repository, name)
      label.color = color.toLowerCase()
      label.description = description ?? null
      const rendered = labelJson(context.state, context.repository, label)
      return json(201, rendered, { location: String(rendered.url) })
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    docs: `${DOCS}#add-labels-to-an-issue`,
    accepts: issuesOrPulls('write'),
    handle(context) {
      const issue = issueParam(context)
      requireOnIssue(context, issue, 'write')
      const names = labelsToAdd(context)
      issue.labelIds = [...new Set([...issue.labelIds, ...context.state.labelIds(context.repository, names)])]
      issue.updatedAt = context.state.timestamp()
      return json(200, labelsOf(context.repository, issue).map((label) => labelJson(context.state, context.repository, label)))
    },
  },
]

/** The body is `["a", "b"]`, `{ "labels": [...] }` or `{ "labels": [{ "name": "a" }] }`. */
function labelsToAdd(context: RouteContext): string[] {
  const raw = context.request.body
  if (Array.isArray(raw)) return labelNames(raw, context.docs)
  const body = objectBody(context.request, context.docs)
  if (body.labels === undefined) throw invalidRequest(context.docs, 'No subschema in "anyOf" matched.')
  return labelNames(body.labels, context.docs)
}
