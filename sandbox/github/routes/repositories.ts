/** The repository itself. */
import { repositoryJson } from '../representations.ts'
import { json, type GitHubRoute } from '../route-kit.ts'

export const repositoryRoutes: GitHubRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}',
    docs: 'https://docs.github.com/rest/repos/repos#get-a-repository',
    accepts: [['metadata', 'read']],
    handle(context) {
      return json(200, repositoryJson(context.state, context.repository))
    },
  },
]
