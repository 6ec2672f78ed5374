/**
 * The words rules and events share: which triggers exist (`on:`) and which
 * conditions (`if:`) can hold on each. The event describer produces them,
 * the config schema checks rules against them.
 */

export const PULL_REQUEST_ACTIONS = [
  'opened',
  'reopened',
  'edited',
  'ready_for_review',
  'converted_to_draft',
  'review_requested',
  'synchronize',
  'closed',
] as const

export const REVIEW_ACTIONS = ['submitted', 'dismissed'] as const

export const RELEASE_ACTIONS = ['published', 'released', 'prereleased'] as const

export const TRIGGERS = [
  ...PULL_REQUEST_ACTIONS.map((action) => `pull_request.${action}` as const),
  ...REVIEW_ACTIONS.map((action) => `pull_request_review.${action}` as const),
  'deployment_status',
  ...RELEASE_ACTIONS.map((action) => `release.${action}` as const),
  'push',
] as const

export type Trigger = (typeof TRIGGERS)[number]

const DEPLOYMENT_CONDITIONS = ['success', 'failure', 'error', 'pending', 'in-progress', 'queued', 'inactive'] as const
const RELEASE_CONDITIONS = ['prerelease', 'stable'] as const

/** Which `if:` values can hold on a trigger; a trigger not listed has none. */
export const CONDITIONS_BY_TRIGGER: Readonly<Partial<Record<Trigger, readonly EventCondition[]>>> = {
  'pull_request.closed': ['merged', 'not-merged'],
  'pull_request_review.submitted': ['approved', 'changes-requested', 'commented'],
  deployment_status: DEPLOYMENT_CONDITIONS,
  'release.published': RELEASE_CONDITIONS,
  'release.released': RELEASE_CONDITIONS,
  'release.prereleased': RELEASE_CONDITIONS,
}

export const EVENT_CONDITIONS = [
  'merged',
  'not-merged',
  'approved',
  'changes-requested',
  'commented',
  ...DEPLOYMENT_CONDITIONS,
  ...RELEASE_CONDITIONS,
] as const

export type EventCondition = (typeof EVENT_CONDITIONS)[number]

export function conditionsOn(trigger: string): readonly EventCondition[] {
  return CONDITIONS_BY_TRIGGER[trigger as Trigger] ?? []
}

/**
 * Deployment states as GitHub sends them → the conditions that hold.
 * `failure` also holds for `error`, so one rule can catch every failed deployment.
 */
export const DEPLOYMENT_STATE_CONDITIONS: Readonly<Record<string, readonly EventCondition[]>> = {
  success: ['success'],
  failure: ['failure'],
  error: ['error', 'failure'],
  pending: ['pending'],
  in_progress: ['in-progress'],
  queued: ['queued'],
  inactive: ['inactive'],
}

export const REVIEW_STATE_CONDITIONS: Readonly<Record<string, readonly EventCondition[]>> = {
  approved: ['approved'],
  changes_requested: ['changes-requested'],
  commented: ['commented'],
}
