/**
 * The JSON GitHub answers for each record, shaped by the official REST
 * description's schemas (simple-user, full-repository, issue, issue-comment,
 * label, commit). API URLs point at the sandbox; web URLs at `state.webUrl`.
 */
import type { ReactionRecord } from './actions-records.ts'
import { fullNameOf, labelsOf, type Actor, type CommentRecord, type CommitRecord, type GitHubState, type IssueRecord, type LabelRecord, type RepositoryRecord } from './state.ts'

/** GitHub's legacy global node id: base64 of `NN:Type<id>`. */
export function nodeId(type: string, id: number | string): string {
  return Buffer.from(`${String(type.length).padStart(2, '0')}:${type}${id}`).toString('base64')
}

export function userJson(state: GitHubState, actor: Actor): Record<string, unknown> {
  const api = `${state.apiUrl}/users/${encodeURIComponent(actor.login)}`
  const htmlUrl = actor.type === 'Bot' ? `${state.webUrl}/apps/${actor.login.replace(/\[bot\]$/, '')}` : `${state.webUrl}/${actor.login}`
  return {
    login: actor.login,
    id: actor.id,
    node_id: nodeId(actor.type === 'Bot' ? 'Bot' : actor.type, actor.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${actor.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: htmlUrl,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: actor.type,
    user_view_type: 'public',
    site_admin: false,
  }
}

export function repositoryApiUrl(state: GitHubState, repository: RepositoryRecord): string {
  return `${state.apiUrl}/repos/${fullNameOf(repository)}`
}

export function repositoryJson(state: GitHubState, repository: RepositoryRecord): Record<string, unknown> {
  const fullName = fullNameOf(repository)
  const api = repositoryApiUrl(state, repository)
  const html = `${state.webUrl}/${fullName}`
  const host = new URL(state.webUrl).host
  const openIssues = [...repository.issues.values()].filter((issue) => issue.state === 'open').length
  return {
    id: repository.id,
    node_id: nodeId('Repository', repository.id),
    name: repository.name,
    full_name: fullName,
    private: repository.private,
    owner: userJson(state, repository.owner),
    html_url: html,
    description: null,
    fork: false,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    created_at: repository.createdAt,
    updated_at: repository.updatedAt,
    pushed_at: repository.pushedAt,
    git_url: `git://${host}/${fullName}.git`,
    ssh_url: `git@${host}:${fullName}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    homepage: null,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: 'TypeScript',
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: openIssues,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: repository.private ? 'private' : 'public',
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    default_branch: repository.defaultBranch,
    temp_clone_token: null,
    network_count: 0,
    subscribers_count: 0,
  }
}

export function labelJson(state: GitHubState, repository: RepositoryRecord, label: LabelRecord): Record<string, unknown> {
  return {
    id: label.id,
    node_id: nodeId('Label', label.id),
    url: `${repositoryApiUrl(state, repository)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: label.default,
    description: label.description,
  }
}

/** The reaction roll-up GitHub embeds in issues and comments. */
function reactionsJson(url: string, reactions: readonly ReactionRecord[] = []): Record<string, unknown> {
  const count = (content: ReactionRecord['content']): number => reactions.filter((reaction) => reaction.content === content).length
  return {
    url: `${url}/reactions`,
    total_count: reactions.length,
    '+1': count('+1'),
    '-1': count('-1'),
    laugh: count('laugh'),
    hooray: count('hooray'),
    confused: count('confused'),
    heart: count('heart'),
    rocket: count('rocket'),
    eyes: count('eyes'),
  }
}

export function issueJson(state: GitHubState, repository: RepositoryRecord, issue: IssueRecord): Record<string, unknown> {
  const api = repositoryApiUrl(state, repository)
  const url = `${api}/issues/${issue.number}`
  const web = `${state.webUrl}/${fullNameOf(repository)}`
  const pull = issue.pullRequest
  return {
    url,
    repository_url: api,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: pull ? `${web}/pull/${issue.number}` : `${web}/issues/${issue.number}`,
    id: issue.id,
    node_id: nodeId('Issue', issue.id),
    number: issue.number,
    title: issue.title,
    user: userJson(state, issue.user),
    labels: labelsOf(repository, issue).map((label) => labelJson(state, repository, label)),
    state: issue.state,
    locked: issue.locked,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: issue.commentIds.length,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    author_association: issue.authorAssociation,
    active_lock_reason: issue.lockReason,
    ...(pull
      ? {
          draft: false,
          pull_request: {
            url: `${api}/pulls/${issue.number}`,
            html_url: `${web}/pull/${issue.number}`,
            diff_url: `${web}/pull/${issue.number}.diff`,
            patch_url: `${web}/pull/${issue.number}.patch`,
            merged_at: null,
          },
        }
      : {}),
    body: issue.body,
    closed_by: issue.closedBy ? userJson(state, issue.closedBy) : null,
    reactions: reactionsJson(url),
    timeline_url: `${url}/timeline`,
    performed_via_github_app: null,
    state_reason: issue.stateReason,
  }
}

export function commentJson(state: GitHubState, repository: RepositoryRecord, comment: CommentRecord): Record<string, unknown> {
  const api = repositoryApiUrl(state, repository)
  const url = `${api}/issues/comments/${comment.id}`
  const issue = repository.issues.get(comment.issueNumber)
  const page = issue?.pullRequest ? 'pull' : 'issues'
  return {
    url,
    html_url: `${state.webUrl}/${fullNameOf(repository)}/${page}/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${api}/issues/${comment.issueNumber}`,
    id: comment.id,
    node_id: nodeId('IssueComment', comment.id),
    user: userJson(state, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    body: comment.body,
    author_association: comment.authorAssociation,
    performed_via_github_app: null,
    reactions: reactionsJson(url, comment.reactions),
    pin: null,
  }
}

export function commitJson(state: GitHubState, repository: RepositoryRecord, commit: CommitRecord): Record<string, unknown> {
  const api = repositoryApiUrl(state, repository)
  const gitUser = { name: commit.authorName, email: commit.authorEmail, date: commit.date }
  // GitHub links the commit to an account when its email belongs to one; otherwise the schema's empty object.
  const account = commit.authorLogin ? userJson(state, state.actor(commit.authorLogin)) : {}
  return {
    sha: commit.sha,
    node_id: nodeId('Commit', commit.sha),
    commit: {
      author: gitUser,
      committer: gitUser,
      message: commit.message,
      tree: { sha: commit.treeSha, url: `${api}/git/trees/${commit.treeSha}` },
      url: `${api}/git/commits/${commit.sha}`,
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    url: `${api}/commits/${commit.sha}`,
    html_url: `${state.webUrl}/${fullNameOf(repository)}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    author: account,
    committer: account,
    parents: [{ sha: commit.parentSha, url: `${api}/commits/${commit.parentSha}`, html_url: `${state.webUrl}/${fullNameOf(repository)}/commit/${commit.parentSha}` }],
  }
}

/** The minimal-repository shape (lists of repositories): the full one without what it types differently. */
export function minimalRepositoryJson(state: GitHubState, repository: RepositoryRecord): Record<string, unknown> {
  const { temp_clone_token: _token, ...minimal } = repositoryJson(state, repository)
  return minimal
}
