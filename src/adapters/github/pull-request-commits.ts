import type { GitHubClient, RepositoryRef } from './github-client.ts'

/** GitHub's list-commits endpoint for a pull request stops at 250 commits. */
export const PULL_REQUEST_COMMIT_LIMIT = 250

export interface CommitMessages {
  messages: string[]
  /** More commits exist than the API lists. */
  truncated: boolean
}

export async function listPullRequestCommitMessages(
  github: GitHubClient,
  repository: RepositoryRef,
  pullNumber: number,
  knownCommitCount: number | undefined,
): Promise<CommitMessages> {
  const messages: string[] = []
  for await (const page of github.paginate.iterator(github.rest.pulls.listCommits, {
    ...repository,
    pull_number: pullNumber,
    per_page: 100,
  })) {
    for (const commit of page.data) messages.push(commit.commit.message)
    if (messages.length >= PULL_REQUEST_COMMIT_LIMIT) break
  }
  return {
    messages: messages.slice(0, PULL_REQUEST_COMMIT_LIMIT),
    truncated: (knownCommitCount ?? messages.length) > PULL_REQUEST_COMMIT_LIMIT,
  }
}
