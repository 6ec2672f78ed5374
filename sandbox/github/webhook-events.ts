/**
 * Webhook payloads built from the sandbox's state, shaped like GitHub's
 * (validated against @octokit/openapi-webhooks in the contract test), with
 * the `installation` of the app installed on the repository so Probot can
 * authenticate as it.
 */
import type { AppRegistry } from './apps.ts'
import { commentJson, issueJson, minimalRepositoryJson, nodeId, userJson } from './representations.ts'
import { fullNameOf, type Actor, type CommentRecord, type GitHubState, type IssueRecord, type RepositoryRecord } from './state.ts'

export interface EventSources {
  state: GitHubState
  apps: AppRegistry
}

/** The parts every repository event carries: repository, organization, sender, installation. */
export function repositoryEventBase(sources: EventSources, repository: RepositoryRecord, sender: Actor): Record<string, unknown> {
  const installation = [...sources.apps.installations.values()].find((candidate) => sources.apps.installationFor(candidate.app, fullNameOf(repository)) === candidate)
  return {
    repository: minimalRepositoryJson(sources.state, repository),
    organization: organizationJson(sources.state, repository.owner),
    sender: userJson(sources.state, sender),
    ...(installation ? { installation: { id: installation.id, node_id: nodeId('Installation', installation.id) } } : {}),
  }
}

export function issueCommentEvent(
  sources: EventSources,
  repository: RepositoryRecord,
  issue: IssueRecord,
  comment: CommentRecord,
  action: 'created' | 'edited' | 'deleted',
  sender: Actor,
  previousBody?: string,
): Record<string, unknown> {
  return {
    action,
    issue: issueJson(sources.state, repository, issue),
    comment: commentJson(sources.state, repository, comment),
    ...(action === 'edited' && previousBody !== undefined ? { changes: { body: { from: previousBody } } } : {}),
    ...repositoryEventBase(sources, repository, sender),
  }
}

function organizationJson(state: GitHubState, owner: Actor): Record<string, unknown> {
  const api = `${state.apiUrl}/orgs/${owner.login}`
  return {
    login: owner.login,
    id: owner.id,
    node_id: nodeId('Organization', owner.id),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${owner.id}?v=4`,
    description: null,
  }
}
