/** Commits of pull requests: the pull request's list (capped at 250) and the compare endpoint (not capped). */
import { integerParam, notFound, pageOf } from '../http.ts'
import { commitJson, repositoryApiUrl } from '../representations.ts'
import { json, type GitHubRoute, type RouteContext } from '../route-kit.ts'
import { fakeSha, fullNameOf, type CommitRecord, type PullRequestRecord } from '../state.ts'

/** "Lists a maximum of 250 commits for a pull request" (pulls/list-commits); compare is the way past it. */
export const PULL_REQUEST_COMMITS_CAP = 250
/** Without paging parameters compare lists the most recent 250 commits. */
const COMPARE_UNPAGED_LIMIT = 250

export const pullRoutes: GitHubRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/commits',
    docs: 'https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request',
    accepts: [['pull_requests', 'read']],
    handle(context) {
      const number = integerParam(context.param('pull_number'))
      const pull = number === undefined ? undefined : context.repository.issues.get(number)?.pullRequest
      if (!pull) throw notFound(context.docs)
      const page = pageOf(pull.commits.slice(0, PULL_REQUEST_COMMITS_CAP), context.request, context.state.apiUrl)
      return json(200, page.items.map((commit) => commitJson(context.state, context.repository, commit)), page.headers)
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/compare/{basehead}',
    docs: 'https://docs.github.com/rest/commits/commits#compare-two-commits',
    accepts: [['contents', 'read']],
    handle(context) {
      const basehead = context.param('basehead')
      const range = resolveRange(context, basehead)
      if (!range) throw notFound(context.docs)
      const { commits, baseCommit } = range
      const query = context.request.query
      const paged = query.has('per_page') || query.has('page')
      const page = paged
        ? pageOf(commits, context.request, context.state.apiUrl)
        : { items: commits.slice(-COMPARE_UNPAGED_LIMIT), headers: {} }
      const api = repositoryApiUrl(context.state, context.repository)
      const web = `${context.state.webUrl}/${fullNameOf(context.repository)}`
      const owner = context.repository.owner.login
      const headSha = commits.at(-1)?.sha ?? baseCommit.sha
      const base = commitJson(context.state, context.repository, baseCommit)
      return json(
        200,
        {
          url: `${api}/compare/${basehead}`,
          html_url: `${web}/compare/${basehead}`,
          permalink_url: `${web}/compare/${owner}:${baseCommit.sha}...${owner}:${headSha}`,
          diff_url: `${web}/compare/${basehead}.diff`,
          patch_url: `${web}/compare/${basehead}.patch`,
          base_commit: base,
          merge_base_commit: base,
          status: commits.length === 0 ? 'identical' : 'ahead',
          ahead_by: commits.length,
          behind_by: 0,
          total_commits: commits.length,
          commits: page.items.map((commit) => commitJson(context.state, context.repository, commit)),
          files: [],
        },
        page.headers,
      )
    },
  },
]

/**
 * `BASE...HEAD` where HEAD is a pull request's head branch or one of its
 * commits, and BASE is its base branch, the base commit, or an earlier commit
 * of the same pull request. The sandbox keeps no other history.
 */
function resolveRange(context: RouteContext, basehead: string): { commits: CommitRecord[]; baseCommit: CommitRecord } | undefined {
  const parts = basehead.split('...')
  if (parts.length !== 2) return undefined
  const [base = '', head = ''] = parts.map(stripOwner)
  for (const issue of context.repository.issues.values()) {
    const pull = issue.pullRequest
    if (!pull) continue
    const headIndex = head === pull.head ? pull.commits.length - 1 : pull.commits.findIndex((commit) => matchesSha(commit.sha, head))
    if (headIndex < 0 && head !== pull.head) continue
    const fromPullBase = base === pull.base || base === context.repository.defaultBranch || matchesSha(pull.baseSha, base)
    const baseIndex = fromPullBase ? -1 : pull.commits.findIndex((commit) => matchesSha(commit.sha, base))
    const baseCommit = fromPullBase ? baseCommitOf(pull) : pull.commits[baseIndex]
    if (!baseCommit || baseIndex > headIndex) continue
    return { commits: pull.commits.slice(baseIndex + 1, headIndex + 1), baseCommit }
  }
  return undefined
}

/** `owner:branch` names a fork's branch; the sandbox has no forks, so the owner is dropped. */
function stripOwner(ref: string): string {
  return ref.includes(':') ? ref.slice(ref.indexOf(':') + 1) : ref
}

function matchesSha(sha: string, ref: string): boolean {
  return ref.length >= 7 && /^[0-9a-f]+$/i.test(ref) && sha.startsWith(ref.toLowerCase())
}

function baseCommitOf(pull: PullRequestRecord): CommitRecord {
  return {
    sha: pull.baseSha,
    treeSha: fakeSha(`${pull.baseSha}:tree`),
    message: 'Initial commit',
    authorLogin: undefined,
    authorName: 'Sandbox Maintainer',
    authorEmail: 'maintainer@example.com',
    date: pull.commits[0]?.date ?? new Date(0).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    parentSha: fakeSha(`${pull.baseSha}:parent`),
  }
}
