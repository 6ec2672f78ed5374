/** pull_request, pull_request_target and pull_request_review payloads → WardenEvent. */
import type { EventBase, UnsupportedEvent, WardenEvent } from './event.ts'
import { flagAt, isNullAt, numberAt, objectAt, textAt, type PayloadObject } from './payload-fields.ts'
import { PULL_REQUEST_ACTIONS, REVIEW_ACTIONS, REVIEW_STATE_CONDITIONS, type EventCondition } from './triggers.ts'

const FORK_REASON = 'a pull request from a fork: GitHub gives its pull_request runs no secrets'

export function describePullRequest(eventName: string, payload: PayloadObject, base: EventBase): WardenEvent | UnsupportedEvent {
  const action = textAt(payload, 'action') ?? ''
  if (!isOneOf(action, PULL_REQUEST_ACTIONS)) return unknownAction(eventName, action, PULL_REQUEST_ACTIONS)
  const pullRequest = objectAt(payload, 'pull_request')
  if (!pullRequest) return { unsupported: true, reason: `the ${eventName} payload has no pull_request.` }
  const condition: EventCondition[] = action === 'closed' ? [isMerged(pullRequest) ? 'merged' : 'not-merged'] : []
  return { trigger: `pull_request.${action}`, condition, ...pullRequestFacts(eventName, payload, pullRequest, base) }
}

export function describePullRequestReview(eventName: string, payload: PayloadObject, base: EventBase): WardenEvent | UnsupportedEvent {
  const action = textAt(payload, 'action') ?? ''
  if (!isOneOf(action, REVIEW_ACTIONS)) return unknownAction(eventName, action, REVIEW_ACTIONS)
  const pullRequest = objectAt(payload, 'pull_request')
  if (!pullRequest) return { unsupported: true, reason: `the ${eventName} payload has no pull_request.` }
  const facts = pullRequestFacts(eventName, payload, pullRequest, base)
  const state = textAt(payload, 'review', 'state')?.toLowerCase()
  const condition = action === 'submitted' && state !== undefined ? REVIEW_STATE_CONDITIONS[state] : []
  if (condition === undefined || (action === 'submitted' && state === undefined)) {
    facts.notes.push(`review state '${state ?? 'missing'}' is not one jira-warden knows: no if: condition holds`)
  }
  return {
    trigger: `pull_request_review.${action}`,
    condition: condition ?? [],
    ...facts,
    url: textAt(payload, 'review', 'html_url') ?? facts.url,
    state,
  }
}

type PullRequestFacts = Omit<WardenEvent, 'trigger' | 'condition'>

function pullRequestFacts(eventName: string, payload: PayloadObject, pullRequest: PayloadObject, base: EventBase): PullRequestFacts {
  const notes = [...base.notes]
  const title = textAt(pullRequest, 'title')
  if (title === undefined) notes.push('missing title: skipped (no keys or template values from the title)')
  const fromFork = isFromFork(payload, pullRequest, notes)
  const forkWithoutSecrets = fromFork && eventName !== 'pull_request_target'
  return {
    repository: base.repository,
    actor: base.actor,
    notes,
    fromFork,
    secretsUnavailableReason: base.secretsUnavailableReason ?? (forkWithoutSecrets ? FORK_REASON : undefined),
    title,
    body: textAt(pullRequest, 'body'),
    headBranch: textAt(pullRequest, 'head', 'ref'),
    branch: textAt(pullRequest, 'base', 'ref'),
    ref: textAt(pullRequest, 'head', 'ref'),
    sha: textAt(pullRequest, 'head', 'sha'),
    pullNumber: numberAt(pullRequest, 'number') ?? numberAt(payload, 'number'),
    url: textAt(pullRequest, 'html_url'),
  }
}

function isFromFork(payload: PayloadObject, pullRequest: PayloadObject, notes: string[]): boolean {
  if (isNullAt(pullRequest, 'head', 'repo') || !objectAt(pullRequest, 'head', 'repo')) {
    notes.push('null head repo (a deleted fork?): treated as a fork')
    return true
  }
  const head = textAt(pullRequest, 'head', 'repo', 'full_name')
  const baseName = textAt(pullRequest, 'base', 'repo', 'full_name') ?? textAt(payload, 'repository', 'full_name')
  if (head !== undefined && baseName !== undefined) return head.toLowerCase() !== baseName.toLowerCase()
  const headId = numberAt(pullRequest, 'head', 'repo', 'id')
  const baseId = numberAt(pullRequest, 'base', 'repo', 'id') ?? numberAt(payload, 'repository', 'id')
  return headId === undefined || baseId === undefined || headId !== baseId
}

function isMerged(pullRequest: PayloadObject): boolean {
  return flagAt(pullRequest, 'merged') ?? (textAt(pullRequest, 'merged_at') !== undefined)
}

function isOneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value)
}

function unknownAction(eventName: string, action: string, known: readonly string[]): UnsupportedEvent {
  const shown = action === '' ? 'no action' : `action '${action}'`
  return { unsupported: true, reason: `${eventName} with ${shown} is not one jira-warden acts on (it acts on ${known.join(', ')}).` }
}
