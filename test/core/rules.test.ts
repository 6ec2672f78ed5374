import { describe, expect, test } from 'vitest'
import { parseTransitionRules } from '../../src/core/config.ts'
import { describeEvent, type WardenEvent } from '../../src/core/event.ts'
import { globMatches, selectRule } from '../../src/core/rules.ts'
import { derivedPayload, realPayload } from './payloads.ts'

const RULES = parseTransitionRules(
  `- on: pull_request.opened
  to: In Progress
- on: pull_request.closed
  if: merged
  branch: "release/*"
  to: Ready for Release
- on: pull_request.closed
  if: merged
  to: Done
- on: pull_request.closed
  to: Won't Do
- on: pull_request_review.submitted
  if: approved
  to: Approved
- on: pull_request_review.submitted
  if: changes-requested
  to: In Progress
- on: deployment_status
  if: success
  environment: production
  to: Released
- on: deployment_status
  if: success
  environment: "preview-*"
  to: On Preview
- on: deployment_status
  if: failure
  to: Blocked
- on: release.published
  if: stable
  to: Shipped
- on: push
  branch: "feature/**"
  to: In Progress
- on: push
  branch: main
  to: Merged
`,
  'rules under test',
)

function event(eventName: string, payload: Record<string, any>, change: (payload: Record<string, any>) => void = () => {}): WardenEvent {
  change(payload)
  const described = describeEvent(eventName, payload)
  if ('unsupported' in described) throw new Error(described.reason)
  return described
}

describe('selectRule: the first rule whose conditions all hold', () => {
  test.each<[string, WardenEvent, string | undefined]>([
    ['opened', event('pull_request', realPayload('pull_request', 0)), 'In Progress'],
    ['reopened has no rule', event('pull_request', realPayload('pull_request', 18)), undefined],
    ['merged into master', event('pull_request', derivedPayload('pull_request.closed.merged.json')), 'Done'],
    ['merged into a release branch', event('pull_request', derivedPayload('pull_request.closed.merged.json'), (p) => (p.pull_request.base.ref = 'release/2.0')), 'Ready for Release'],
    ['merged into a nested release branch (* stops at /)', event('pull_request', derivedPayload('pull_request.closed.merged.json'), (p) => (p.pull_request.base.ref = 'release/2.0/hotfix')), 'Done'],
    ['closed without merge: the rule without if:', event('pull_request', realPayload('pull_request', 3)), "Won't Do"],
    ['review approved', event('pull_request_review', derivedPayload('pull_request_review.submitted.approved.json')), 'Approved'],
    ['review changes requested', event('pull_request_review', derivedPayload('pull_request_review.submitted.changes-requested.json')), 'In Progress'],
    ['review commented has no rule', event('pull_request_review', realPayload('pull_request_review', 0)), undefined],
    ['deployed to production', event('deployment_status', realPayload('deployment_status', 0)), 'Released'],
    ['deployed to Production (environments ignore case)', event('deployment_status', realPayload('deployment_status', 0), (p) => (p.deployment_status.environment = 'Production')), 'Released'],
    ['deployed to a preview', event('deployment_status', realPayload('deployment_status', 0), (p) => (p.deployment_status.environment = 'preview-42')), 'On Preview'],
    ['deployed to staging has no rule', event('deployment_status', realPayload('deployment_status', 0), (p) => (p.deployment_status.environment = 'staging')), undefined],
    ['deployment failed anywhere', event('deployment_status', derivedPayload('deployment_status.failure.json')), 'Blocked'],
    ['deployment error counts as failure', event('deployment_status', realPayload('deployment_status', 0), (p) => (p.deployment_status.state = 'error')), 'Blocked'],
    ['deployment in progress has no rule', event('deployment_status', realPayload('deployment_status', 1)), undefined],
    ['stable release', event('release', realPayload('release', 0)), 'Shipped'],
    ['prerelease has no rule', event('release', realPayload('release', 8)), undefined],
    ['push to main', event('push', realPayload('push', 4), (p) => (p.ref = 'refs/heads/main')), 'Merged'],
    ['push to master has no rule', event('push', realPayload('push', 4)), undefined],
    ['push to a feature branch (** crosses /)', event('push', derivedPayload('push.branch-with-keys.json')), 'In Progress'],
    ['push to Main (branches keep case)', event('push', realPayload('push', 4), (p) => (p.ref = 'refs/heads/Main')), undefined],
  ])('%s → %s', (_name, described, target) => {
    expect(selectRule(described, RULES)?.to).toBe(target)
  })

  test('a rule with branch: never matches an event without a branch', () => {
    const rules = parseTransitionRules('- on: deployment_status\n  branch: main\n  to: Released\n', 'rules')
    const bySha = event('deployment_status', realPayload('deployment_status', 0), (p) => (p.deployment.ref = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e'))
    expect(selectRule(bySha, rules)).toBeUndefined()
  })

  test('no rules, no match', () => {
    expect(selectRule(event('pull_request', realPayload('pull_request', 0)), [])).toBeUndefined()
  })
})

describe('globMatches', () => {
  test.each<[string, string, boolean, boolean]>([
    ['main', 'main', false, true],
    ['main', 'main2', false, false],
    ['release/*', 'release/1.2', false, true],
    ['release/*', 'release/1.2/hotfix', false, false],
    ['release/**', 'release/1.2/hotfix', false, true],
    ['**', 'any/thing', false, true],
    ['*', '', false, true],
    ['feature/*-login', 'feature/PROJ-1-login', false, true],
    ['v1.*', 'v1x2', false, false],
    ['(x)+', '(x)+', false, true],
    ['Production', 'production', true, true],
    ['Production', 'production', false, false],
    ['*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(1000), false, false],
    ['**a**a**a**a**a**a**b', 'a'.repeat(1000), false, false],
  ])('%s against %s (ignoreCase %s) → %s', (pattern, value, ignoreCase, expected) => {
    expect(globMatches(pattern, value, { ignoreCase })).toBe(expected)
  })

  test('nothing matches a missing or oversized value', () => {
    expect(globMatches('**', undefined, { ignoreCase: false })).toBe(false)
    expect(globMatches('**', 'a'.repeat(2000), { ignoreCase: false })).toBe(false)
  })
})
