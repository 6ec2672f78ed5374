/**
 * A reaction by the app on a comment is the idempotency marker that holds
 * across replicas and restarts: GitHub creates a user's reaction once and
 * answers 201, and answers 200 with the existing reaction to every later
 * attempt. Whoever gets the 201 owns the work; everyone else stands down.
 */
import type { GitHubClient, RepositoryRef } from '../adapters/github/github-client.ts'

/** 👀 on receipt of a command; 🚀 once the result of its dispatched workflow is reported. */
export type ClaimMarker = 'eyes' | 'rocket'

export type Claim = { claimed: true } | { claimed: false; reason: string }

export async function claimComment(github: GitHubClient, repository: RepositoryRef, commentId: number, marker: ClaimMarker): Promise<Claim> {
  const reaction = await github.rest.reactions.createForIssueComment({ ...repository, comment_id: commentId, content: marker })
  if (reaction.status === 201) return { claimed: true }
  return { claimed: false, reason: `the app's ${marker} reaction was already on comment ${commentId} (taken by an earlier delivery or another replica)` }
}
