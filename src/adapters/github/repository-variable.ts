/**
 * Repository variables as the rotation uses them: the state
 * (JIRA_WARDEN_STATE, a StateStore) and the lock holder's note. Created on
 * first save, updated after.
 */
import type { StateStore } from '../../ports/rotation.ts'
import { githubFailure } from './actions-secret-store.ts'
import { statusOf, type GitHubClient, type RepositoryRef } from './github-client.ts'

export const STATE_VARIABLE = 'JIRA_WARDEN_STATE'

export interface RepositoryVariable {
  read(): Promise<string | undefined>
  write(value: string): Promise<void>
  remove(): Promise<void>
}

export function repositoryVariable(github: GitHubClient, repository: RepositoryRef, name: string): RepositoryVariable {
  return {
    async read() {
      try {
        const answer = await github.request('GET /repos/{owner}/{repo}/actions/variables/{name}', { ...repository, name })
        return (answer.data as { value: string }).value
      } catch (error) {
        if (statusOf(error) === 404) return undefined
        throw githubFailure(error, `read the repository variable ${name}`)
      }
    },
    async write(value) {
      try {
        await github.request('PATCH /repos/{owner}/{repo}/actions/variables/{name}', { ...repository, name, value })
        return
      } catch (error) {
        if (statusOf(error) !== 404) throw githubFailure(error, `update the repository variable ${name}`)
      }
      try {
        await github.request('POST /repos/{owner}/{repo}/actions/variables', { ...repository, name, value })
      } catch (error) {
        // Created by someone else between the two calls: update it.
        if (statusOf(error) !== 409) throw githubFailure(error, `create the repository variable ${name}`)
        await github.request('PATCH /repos/{owner}/{repo}/actions/variables/{name}', { ...repository, name, value }).catch((again: unknown) => {
          throw githubFailure(again, `update the repository variable ${name}`)
        })
      }
    },
    async remove() {
      try {
        await github.request('DELETE /repos/{owner}/{repo}/actions/variables/{name}', { ...repository, name })
      } catch (error) {
        if (statusOf(error) !== 404) throw githubFailure(error, `delete the repository variable ${name}`)
      }
    },
  }
}

export function createVariableStateStore(github: GitHubClient, repository: RepositoryRef, name: string = STATE_VARIABLE): StateStore {
  const variable = repositoryVariable(github, repository, name)
  return { load: () => variable.read(), save: (text) => variable.write(text) }
}
