/** Reads the configured key sources of the event and extracts the Jira keys in them. */
import type { WardenEvent } from '../core/event.ts'
import { eventKeyTexts } from '../core/event-key-texts.ts'
import { extractIssueKeys, type KeySourceText } from '../core/issue-keys.ts'
import { statusOf, type GitHubClient, type RepositoryRef } from '../adapters/github/github-client.ts'
import {
  listPullRequestCommitMessages,
  PULL_REQUEST_COMMIT_LIMIT,
  type CommitMessages,
} from '../adapters/github/pull-request-commits.ts'
import type { KeySourceName } from '../core/config.ts'

export interface GatheredKeys {
  keys: string[]
  warnings: string[]
}

export interface KeyGathering {
  event: WardenEvent
  sources: readonly KeySourceName[]
  projects: readonly string[] | undefined
  maxKeys: number
  github: GitHubClient
  repository: RepositoryRef
  /** The payload's commit count of the pull request, when it says. */
  pullRequestCommitCount: number | undefined
}

export async function gatherIssueKeys(gathering: KeyGathering): Promise<GatheredKeys> {
  const warnings: string[] = []
  const { event } = gathering
  const texts = eventKeyTexts(event, gathering.sources)
  if (gathering.sources.includes('commits') && !event.commits) texts.push(...(await pullRequestCommitTexts(gathering, warnings)))
  const extraction = extractIssueKeys(texts, {
    max: gathering.maxKeys,
    ...(gathering.projects ? { projects: gathering.projects } : {}),
  })
  if (extraction.capped > 0) {
    warnings.push(`Found more issue keys than keys.max (${gathering.maxKeys}); ${extraction.capped} were left out.`)
  }
  if (extraction.ignored.length > 0) {
    warnings.push(`Ignored keys outside the projects allow-list: ${extraction.ignored.join(', ')}.`)
  }
  return { keys: extraction.keys, warnings }
}

async function pullRequestCommitTexts(gathering: KeyGathering, warnings: string[]): Promise<KeySourceText[]> {
  const { event } = gathering
  if (event.pullNumber === undefined) return []
  let commits: CommitMessages
  try {
    commits = await listPullRequestCommitMessages(
      gathering.github,
      gathering.repository,
      event.pullNumber,
      gathering.pullRequestCommitCount,
    )
  } catch (error) {
    const status = statusOf(error)
    warnings.push(
      `Could not read the pull request's commits (${status ? `GitHub answered ${status}` : 'GitHub could not be reached'}); keys in commit messages were not read. The github-token needs pull-requests: read.`,
    )
    return []
  }
  if (commits.truncated) {
    warnings.push(
      `The pull request has more than ${PULL_REQUEST_COMMIT_LIMIT} commits; GitHub lists only the first ${PULL_REQUEST_COMMIT_LIMIT}, so keys in later commits were not read.`,
    )
  }
  return commits.messages.map((text) => ({ source: 'commits' as const, text }))
}
