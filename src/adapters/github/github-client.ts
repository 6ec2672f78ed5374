/**
 * Octokit with the REST methods and pagination, and nothing else: the
 * action's bundle stays free of @actions/github's wrapper (its context and
 * proxy agent go unused here: proxies are honoured by Node's global fetch,
 * see src/adapters/http/use-proxy-from-environment.ts).
 */
import { Octokit } from '@octokit/core'
import { paginateRest } from '@octokit/plugin-paginate-rest'
import { restEndpointMethods } from '@octokit/plugin-rest-endpoint-methods'

const GitHubOctokit = Octokit.plugin(restEndpointMethods, paginateRest)

export type GitHubClient = InstanceType<typeof GitHubOctokit>

export interface RepositoryRef {
  owner: string
  repo: string
}

/** Octokit for the API the workflow runs against (GITHUB_API_URL: github.com, GHES or the sandbox). */
export function createGitHubClient(token: string, apiUrl: string): GitHubClient {
  return new GitHubOctokit({ auth: token, baseUrl: apiUrl, request: { retries: 0 } })
}

/** The HTTP status of an Octokit failure, or undefined for network errors. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}
