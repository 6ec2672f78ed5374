/**
 * Git references: create (422 "Reference already exists" when taken, which
 * makes creating a ref an atomic lock), read, list by prefix, move and delete. The sandbox
 * has no object database, so any 40-hex sha is accepted as a commit; every
 * repository starts with its default branch at a fixed sha.
 */
import { fail, notFound, objectBody, stringField, describeValue, invalidRequest } from '../http.ts'
import { repositoryApiUrl, nodeId } from '../representations.ts'
import { json, type GitHubRoute, type RouteContext } from '../route-kit.ts'
import type { GitHubState, RepositoryRecord } from '../state.ts'

const DOCS = 'https://docs.github.com/rest/git/refs'
const SHA = /^[0-9a-f]{40}$/

export const gitRefRoutes: GitHubRoute[] = [
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/refs',
    docs: `${DOCS}#create-a-reference`,
    accepts: [['contents', 'write']],
    handle(context) {
      const body = objectBody(context.request, context.docs)
      const ref = requiredString(context, body, 'ref')
      const sha = requiredString(context, body, 'sha')
      if (!ref.startsWith('refs/') || ref.split('/').length < 3 || ref.endsWith('/') || ref.includes('//')) {
        throw fail(422, `${ref} is not a valid ref name.`, context.docs)
      }
      if (!SHA.test(sha)) throw fail(422, 'Object does not exist', context.docs)
      if (context.repository.refs.has(ref)) throw fail(422, 'Reference already exists', context.docs)
      context.repository.refs.set(ref, sha)
      const rendered = refJson(context.state, context.repository, ref, sha)
      return json(201, rendered, { location: String(rendered.url) })
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/ref/{ref}',
    docs: `${DOCS}#get-a-reference`,
    accepts: [['contents', 'read']],
    greedyTail: true,
    handle(context) {
      const ref = `refs/${context.param('ref')}`
      const sha = context.repository.refs.get(ref)
      if (sha === undefined) throw notFound(context.docs)
      return json(200, refJson(context.state, context.repository, ref, sha))
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/matching-refs/{ref}',
    docs: `${DOCS}#list-matching-references`,
    accepts: [['contents', 'read']],
    greedyTail: true,
    handle(context) {
      const prefix = `refs/${context.param('ref')}`
      const matching = [...context.repository.refs.entries()].filter(([ref]) => ref.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b))
      return json(200, matching.map(([ref, sha]) => refJson(context.state, context.repository, ref, sha)))
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/git/refs/{ref}',
    docs: `${DOCS}#update-a-reference`,
    accepts: [['contents', 'write']],
    greedyTail: true,
    handle(context) {
      const body = objectBody(context.request, context.docs)
      const sha = requiredString(context, body, 'sha')
      if (body.force !== undefined && typeof body.force !== 'boolean') {
        throw invalidRequest(context.docs, `For 'properties/force', ${describeValue(body.force)} is not a boolean.`)
      }
      const ref = qualified(context)
      if (!context.repository.refs.has(ref)) throw fail(422, 'Reference does not exist', context.docs)
      if (!SHA.test(sha)) throw fail(422, 'Object does not exist', context.docs)
      context.repository.refs.set(ref, sha)
      return json(200, refJson(context.state, context.repository, ref, sha))
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/git/refs/{ref}',
    docs: `${DOCS}#delete-a-reference`,
    accepts: [['contents', 'write']],
    greedyTail: true,
    handle(context) {
      const ref = qualified(context)
      if (!context.repository.refs.has(ref)) throw fail(422, 'Reference does not exist', context.docs)
      if (ref === `refs/heads/${context.repository.defaultBranch}`) throw fail(422, 'Cannot delete the default branch', context.docs)
      context.repository.refs.delete(ref)
      return { status: 204 }
    },
  },
]

/** Update and delete take `heads/x` (documented) and also `refs/heads/x` (which GitHub tolerates). */
function qualified(context: RouteContext): string {
  const ref = context.param('ref')
  return ref.startsWith('refs/') ? ref : `refs/${ref}`
}

function requiredString(context: RouteContext, body: Record<string, unknown>, field: string): string {
  if (body[field] === undefined) throw invalidRequest(context.docs, `"${field}" wasn't supplied.`)
  return stringField(body, field, context.docs, { resource: 'Reference', required: true }) ?? ''
}

export function refJson(state: GitHubState, repository: RepositoryRecord, ref: string, sha: string): Record<string, unknown> {
  const api = repositoryApiUrl(state, repository)
  return {
    ref,
    node_id: nodeId('Ref', `${repository.id}:${ref}`),
    url: `${api}/git/${ref}`,
    object: { sha, type: 'commit', url: `${api}/git/commits/${sha}` },
  }
}
