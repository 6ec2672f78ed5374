/**
 * A webhook payload, whatever its shape, described as the few facts rules,
 * key extraction and templates need. Anything missing is skipped and said
 * in `notes`; an event jira-warden does not act on is `UnsupportedEvent`.
 */
import { describeDeploymentStatus, describePush, describeRelease } from './describe-delivery.ts'
import { describePullRequest, describePullRequestReview } from './describe-pull-request.ts'
import { objectAt, textAt, type PayloadObject } from './payload-fields.ts'
import type { EventCondition } from './triggers.ts'

export interface RepositoryName {
  owner: string
  repo: string
}

export interface WardenEvent {
  /** `pull_request.opened`, `pull_request.closed`, `pull_request_review.submitted`, `deployment_status`, `release.published`, `push` … */
  trigger: string
  /** The `if:` values that hold. */
  condition: readonly EventCondition[]
  /** Deployment environment. */
  environment?: string
  /** push: the branch pushed; pull requests: the base branch; deployments: the deployed branch, when the ref is one. */
  branch?: string
  /** The ref as the payload names it: push `refs/heads/x`, pull request head branch, deployment ref, release tag. */
  ref?: string
  sha?: string
  /** Pull request title, or release name. */
  title?: string
  /** Pull request description, or release notes. */
  body?: string
  headBranch?: string
  pullNumber?: number
  url?: string
  actor?: string
  /** Deployment state (`success`, `in_progress` …) or review state (`approved` …) as GitHub sends it. */
  state?: string
  repository: RepositoryName
  /** The head repository differs from the base, or is gone (null). */
  fromFork: boolean
  /** Set when GitHub gives this run no repository secrets: say so and make no Jira call. */
  secretsUnavailableReason?: string
  /** Release tag or deployment ref: what `fix-version` usually names. */
  version?: string
  /** What was skipped and why (`missing title: …`). */
  notes: string[]
  /** push: the commit messages in the payload. */
  commits?: string[]
}

export interface UnsupportedEvent {
  unsupported: true
  reason: string
}

/** What every describer starts from. */
export interface EventBase {
  repository: RepositoryName
  actor: string | undefined
  notes: string[]
  /** Set for Dependabot runs of the events GitHub gives only Dependabot secrets. */
  secretsUnavailableReason: string | undefined
}

export type EventDescriber = (eventName: string, payload: PayloadObject, base: EventBase) => WardenEvent | UnsupportedEvent

const DESCRIBERS: ReadonlyMap<string, EventDescriber> = new Map([
  ['pull_request', describePullRequest],
  ['pull_request_target', describePullRequest],
  ['pull_request_review', describePullRequestReview],
  ['deployment_status', describeDeploymentStatus],
  ['release', describeRelease],
  ['push', describePush],
])

export const SUPPORTED_EVENT_NAMES: readonly string[] = [...DESCRIBERS.keys()]

const DEPENDABOT_LOGINS = new Set(['dependabot[bot]', 'dependabot-preview[bot]'])
/** The events whose Dependabot-triggered runs get Dependabot secrets instead of Actions secrets. */
const DEPENDABOT_RESTRICTED_EVENTS = new Set(['pull_request', 'pull_request_review', 'push', 'deployment_status'])

export function describeEvent(eventName: string, payload: unknown): WardenEvent | UnsupportedEvent {
  const describe = DESCRIBERS.get(eventName)
  if (!describe) {
    return unsupported(`jira-warden does not act on '${eventName}' events; it acts on ${SUPPORTED_EVENT_NAMES.join(', ')}.`)
  }
  const body = objectAt(payload)
  if (!body) return unsupported(`the ${eventName} payload is not a JSON object.`)
  const repository = repositoryOf(body)
  if (!repository) return unsupported(`the ${eventName} payload names no repository (repository.owner.login and repository.name).`)
  const described = describe(eventName, body, baseOf(eventName, body, repository))
  return 'unsupported' in described ? described : withoutUndefined(described)
}

export function isUnsupportedEvent(event: WardenEvent | UnsupportedEvent): event is UnsupportedEvent {
  return 'unsupported' in event
}

export function unsupported(reason: string): UnsupportedEvent {
  return { unsupported: true, reason }
}

function baseOf(eventName: string, payload: PayloadObject, repository: RepositoryName): EventBase {
  const actor = textAt(payload, 'sender', 'login')
  const dependabot = actor !== undefined && DEPENDABOT_LOGINS.has(actor) && DEPENDABOT_RESTRICTED_EVENTS.has(eventName)
  return {
    repository,
    actor,
    notes: actor === undefined ? ['no sender: the actor is unknown'] : [],
    secretsUnavailableReason: dependabot
      ? 'a Dependabot-triggered run: GitHub gives it Dependabot secrets only, not Actions secrets'
      : undefined,
  }
}

function repositoryOf(payload: PayloadObject): RepositoryName | undefined {
  const owner = textAt(payload, 'repository', 'owner', 'login') ?? textAt(payload, 'repository', 'owner', 'name')
  const repo = textAt(payload, 'repository', 'name')
  if (owner && repo) return { owner, repo }
  const [fullOwner, fullRepo, ...rest] = (textAt(payload, 'repository', 'full_name') ?? '').split('/')
  return fullOwner && fullRepo && rest.length === 0 ? { owner: fullOwner, repo: fullRepo } : undefined
}

function withoutUndefined(event: WardenEvent): WardenEvent {
  return Object.fromEntries(Object.entries(event).filter(([, value]) => value !== undefined)) as unknown as WardenEvent
}
