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
  /** Writes only when the text differs from what this run last read or wrote; `expectAbsent` creates first (no failed update). */
  write(value: string, options?: { expectAbsent?: boolean }): Promise<void>
  remove(): Promise<void>
}

export function repositoryVariable(github: GitHubClient, repository: RepositoryRef, name: string): RepositoryVariable {
  const path = { ...repository, name }
  // What this run last read or wrote (undefined: not known): every write is a content-creating request GitHub counts.
  let known: { exists: boolean; value?: string } | undefined
  const update = async (value: string) => github.request('PATCH /repos/{owner}/{repo}/actions/variables/{name}', { ...path, value })
  const create = async (value: string) => github.request('POST /repos/{owner}/{repo}/actions/variables', { ...path, value })
  const updateOrCreate = async (value: string) => {
    try {
      await update(value)
      return
    } catch (error) {
      if (statusOf(error) !== 404) throw githubFailure(error, `update the repository variable ${name}`)
    }
    await createOrUpdate(value)
  }
  const createOrUpdate = async (value: string) => {
    try {
      await create(value)
    } catch (error) {
      // Created by someone else (or by this request, its answer lost): update it.
      if (statusOf(error) !== 409) throw githubFailure(error, `create the repository variable ${name}`)
      await update(value).catch((again: unknown) => {
        throw githubFailure(again, `update the repository variable ${name}`)
      })
    }
  }
  return {
    async read() {
      try {
        const answer = await github.request('GET /repos/{owner}/{repo}/actions/variables/{name}', path)
        const value = (answer.data as { value: string }).value
        known = { exists: true, value }
        return value
      } catch (error) {
        if (statusOf(error) !== 404) throw githubFailure(error, `read the repository variable ${name}`)
        known = { exists: false }
        return undefined
      }
    },
    async write(value, options = {}) {
      if (known?.exists && known.value === value) return
      const absent = known ? !known.exists : options.expectAbsent === true
      known = undefined
      await (absent ? createOrUpdate(value) : updateOrCreate(value))
      known = { exists: true, value }
    },
    async remove() {
      known = undefined
      try {
        await github.request('DELETE /repos/{owner}/{repo}/actions/variables/{name}', path)
      } catch (error) {
        if (statusOf(error) !== 404) throw githubFailure(error, `delete the repository variable ${name}`)
      }
      known = { exists: false }
    },
  }
}

export function createVariableStateStore(github: GitHubClient, repository: RepositoryRef, name: string = STATE_VARIABLE): StateStore {
  const variable = repositoryVariable(github, repository, name)
  return { load: () => variable.read(), save: (text) => variable.write(text) }
}
