import { getOctokit } from '@actions/github'

export type GitHubClient = ReturnType<typeof getOctokit>

export interface RepositoryRef {
  owner: string
  repo: string
}

/** Octokit for the API the workflow runs against (GITHUB_API_URL: github.com, GHES or the sandbox). */
export function createGitHubClient(token: string, apiUrl: string): GitHubClient {
  return getOctokit(token, { baseUrl: apiUrl, request: { retries: 0 } })
}

/** The HTTP status of an Octokit failure, or undefined for network errors. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}
