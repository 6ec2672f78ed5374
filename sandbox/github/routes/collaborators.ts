/**
 * A user's live permission on a repository: the role (`role_name`) and the
 * legacy base permission (maintain counts as write, triage as read). Anyone
 * who is not a collaborator is answered 404, as GitHub does.
 */
import { legacyPermission, type CollaboratorRecord } from '../actions-records.ts'
import { fail, notFound } from '../http.ts'
import { userJson } from '../representations.ts'
import { json, type GitHubRoute } from '../route-kit.ts'
import type { GitHubState } from '../state.ts'

export const collaboratorRoutes: GitHubRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators/{username}/permission',
    docs: 'https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user',
    accepts: [['metadata', 'read']],
    handle(context) {
      // Apps need metadata only; people (personal tokens) need push access.
      if (context.caller.token?.kind === 'user' && !context.has('contents', 'write')) {
        throw fail(403, 'Must have push access to view collaborator permission.', context.docs)
      }
      const collaborator = context.repository.collaborators.get(context.param('username').toLowerCase())
      if (!collaborator) throw notFound(context.docs)
      return json(200, { permission: legacyPermission(collaborator.role), role_name: collaborator.role, user: collaboratorJson(context.state, collaborator) })
    },
  },
]

function collaboratorJson(state: GitHubState, collaborator: CollaboratorRecord): Record<string, unknown> {
  const rank = ['read', 'triage', 'write', 'maintain', 'admin'].indexOf(collaborator.role)
  return {
    ...userJson(state, collaborator.actor),
    permissions: { admin: rank >= 4, maintain: rank >= 3, push: rank >= 2, triage: rank >= 1, pull: true },
    role_name: collaborator.role,
  }
}
