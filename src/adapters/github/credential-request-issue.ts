/** The assisted rotation's request to the admins: one open issue labelled `jira-warden:rotation-request`. */
import type { CredentialRequests } from '../../ports/credential-requests.ts'
import { githubFailure } from './actions-secret-store.ts'
import type { GitHubClient, RepositoryRef } from './github-client.ts'

export const REQUEST_LABEL = 'jira-warden:rotation-request'
const TITLE = 'jira-warden: the Jira credential needs rotating'

export function createCredentialRequestIssue(github: GitHubClient, repository: RepositoryRef): CredentialRequests {
  const findOpen = async (): Promise<number | undefined> => {
    const open = await github.rest.issues.listForRepo({ ...repository, labels: REQUEST_LABEL, state: 'open', per_page: 10 })
    return open.data.find((issue) => issue.pull_request === undefined)?.number
  }
  const comment = (issue: number, body: string) => github.rest.issues.createComment({ ...repository, issue_number: issue, body })
  const guarded = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work()
    } catch (error) {
      throw githubFailure(error, what)
    }
  }
  return {
    open: (request) =>
      guarded('open the rotation request issue (the token needs Issues: write)', async () => {
        const existing = await findOpen()
        if (existing) {
          await comment(existing, `Still due: ${request.reason}.`)
          return existing
        }
        const created = await github.rest.issues.create({
          ...repository,
          title: TITLE,
          labels: [REQUEST_LABEL],
          body: [`**Why:** ${request.reason}.`, '', request.instructions].join('\n'),
        })
        return created.data.number
      }),
    remind: (text) =>
      guarded('post the revocation reminder', async () => {
        const existing = await findOpen()
        if (existing) {
          await comment(existing, text)
          return
        }
        await github.rest.issues.create({ ...repository, title: 'jira-warden: revoke the previous Jira credential', labels: [REQUEST_LABEL], body: text })
      }),
    close: (text) =>
      guarded('close the rotation request issue', async () => {
        const existing = await findOpen()
        if (!existing) return
        await comment(existing, text)
        await github.rest.issues.update({ ...repository, issue_number: existing, state: 'closed', state_reason: 'completed' })
      }),
  }
}
