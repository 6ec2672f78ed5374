/**
 * GET /repos/{owner}/{repo}/contents/{path} for files added with the
 * handle's `addFile`, on the default branch: the JSON form (base64 content,
 * wrapped at 60 characters as GitHub wraps it) or, asked for with
 * `application/vnd.github.raw` (Octokit's `mediaType: { format: 'raw' }`,
 * which Probot's config loader uses), the file's bytes. Directories,
 * symlinks and other refs' trees are not modelled: 404 for anything else.
 */
import { createHash } from 'node:crypto'
import { notFound } from '../http.ts'
import { repositoryApiUrl } from '../representations.ts'
import { json, type GitHubRoute, type RouteContext } from '../route-kit.ts'
import { fullNameOf } from '../state.ts'

export const contentRoutes: GitHubRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/contents/{path}',
    docs: 'https://docs.github.com/rest/repos/contents#get-repository-content',
    accepts: [['contents', 'read']],
    greedyTail: true,
    handle(context) {
      const path = context.param('path').replace(/^\/+/, '')
      const text = context.repository.files.get(path)
      if (text === undefined || !onDefaultBranch(context)) throw notFound(context.docs)
      if (wantsRaw(context)) return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text }
      return json(200, contentFileJson(context, path, text), { 'content-type': 'application/json; charset=utf-8' })
    },
  },
]

/** Only the default branch holds files; `ref` may name it as a branch or a full ref. */
function onDefaultBranch(context: RouteContext): boolean {
  const ref = context.request.query.get('ref')
  if (ref === null || ref === '') return true
  const branch = context.repository.defaultBranch
  return ref === branch || ref === `heads/${branch}` || ref === `refs/heads/${branch}` || ref === context.repository.refs.get(`refs/heads/${branch}`)
}

function wantsRaw(context: RouteContext): boolean {
  const accept = String(context.request.headers.accept ?? '')
  return /application\/vnd\.github(?:\.v3)?\.raw/.test(accept)
}

/** The blob sha git gives the text: sha1 of `blob <size>\0<bytes>`. */
export function blobSha(text: string): string {
  const bytes = Buffer.from(text, 'utf8')
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

function contentFileJson(context: RouteContext, path: string, text: string): Record<string, unknown> {
  const { state, repository } = context
  const bytes = Buffer.from(text, 'utf8')
  const sha = blobSha(text)
  const branch = repository.defaultBranch
  const url = `${repositoryApiUrl(state, repository)}/contents/${encodeURI(path)}?ref=${branch}`
  const gitUrl = `${repositoryApiUrl(state, repository)}/git/blobs/${sha}`
  const htmlUrl = `${state.webUrl}/${fullNameOf(repository)}/blob/${branch}/${encodeURI(path)}`
  return {
    type: 'file',
    encoding: 'base64',
    size: bytes.length,
    name: path.split('/').pop() ?? path,
    path,
    content: bytes.length === 0 ? '' : `${(bytes.toString('base64').match(/.{1,60}/g) ?? []).join('\n')}\n`,
    sha,
    url,
    git_url: gitUrl,
    html_url: htmlUrl,
    download_url: `${state.webUrl}/${fullNameOf(repository)}/raw/${branch}/${encodeURI(path)}`,
    _links: { self: url, git: gitUrl, html: htmlUrl },
  }
}
