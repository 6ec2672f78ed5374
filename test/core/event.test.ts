import { describe, expect, test } from 'vitest'
import { describeEvent, type WardenEvent } from '../../src/core/event.ts'
import { extractIssueKeys } from '../../src/core/issue-keys.ts'
import { derivedPayload, realPayload } from './payloads.ts'

const FORK = 'a pull request from a fork: GitHub gives its pull_request runs no secrets'
const DEPENDABOT = 'a Dependabot-triggered run: GitHub gives it Dependabot secrets only, not Actions secrets'
const HELLO_WORLD = { owner: 'Codertocat', repo: 'Hello-World' }
const PR_SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821'
const PR_URL = 'https://github.com/Codertocat/Hello-World/pull/2'
const REVIEW_URL = 'https://github.com/Codertocat/Hello-World/pull/2#pullrequestreview-237895671'

function described(eventName: string, payload: unknown): WardenEvent {
  const event = describeEvent(eventName, payload)
  if ('unsupported' in event) throw new Error(`expected a supported event, got: ${event.reason}`)
  return event
}

/** The facts rules and the host decide on. */
function decisionFacts(event: WardenEvent) {
  const { trigger, condition, fromFork, secretsUnavailableReason, notes, branch, headBranch, environment, version, state } = event
  return { trigger, condition, fromFork, secretsUnavailableReason, notes, branch, headBranch, environment, version, state }
}

type Facts = ReturnType<typeof decisionFacts>

function facts(partial: Partial<Facts> & Pick<Facts, 'trigger'>): Facts {
  return {
    condition: [],
    fromFork: false,
    secretsUnavailableReason: undefined,
    notes: [],
    branch: undefined,
    headBranch: undefined,
    environment: undefined,
    version: undefined,
    state: undefined,
    ...partial,
  }
}

const pullRequest = (partial: Partial<Facts> & Pick<Facts, 'trigger'>) => facts({ branch: 'master', headBranch: 'changes', ...partial })

describe('real payloads from @octokit/webhooks-examples', () => {
  test('pull_request opened: every field', () => {
    expect(describeEvent('pull_request', realPayload('pull_request', 0))).toEqual({
      trigger: 'pull_request.opened',
      condition: [],
      repository: HELLO_WORLD,
      actor: 'Codertocat',
      notes: [],
      fromFork: false,
      title: 'Update the README with new information.',
      body: 'This is a pretty simple change that we need to pull into master.',
      headBranch: 'changes',
      branch: 'master',
      ref: 'changes',
      sha: PR_SHA,
      pullNumber: 2,
      url: PR_URL,
    })
  })

  test.each<[string, string, number, Facts]>([
    ['pull_request closed, not merged', 'pull_request', 3, pullRequest({ trigger: 'pull_request.closed', condition: ['not-merged'] })],
    ['pull_request reopened', 'pull_request', 18, pullRequest({ trigger: 'pull_request.reopened' })],
    ['pull_request ready_for_review', 'pull_request', 15, pullRequest({ trigger: 'pull_request.ready_for_review' })],
    ['pull_request converted_to_draft', 'pull_request', 5, pullRequest({ trigger: 'pull_request.converted_to_draft' })],
    ['pull_request synchronize', 'pull_request', 22, pullRequest({ trigger: 'pull_request.synchronize' })],
    ['pull_request review_requested', 'pull_request', 21, pullRequest({ trigger: 'pull_request.review_requested' })],
    ['pull_request_target opened', 'pull_request_target', 0, pullRequest({ trigger: 'pull_request.opened' })],
    ['review submitted (commented)', 'pull_request_review', 0, pullRequest({ trigger: 'pull_request_review.submitted', condition: ['commented'], state: 'commented' })],
    ['review dismissed', 'pull_request_review', 1, pullRequest({ trigger: 'pull_request_review.dismissed', state: 'dismissed' })],
    ['deployment_status success', 'deployment_status', 0, facts({ trigger: 'deployment_status', condition: ['success'], environment: 'production', branch: 'master', version: 'master', state: 'success' })],
    ['deployment_status in_progress', 'deployment_status', 1, facts({ trigger: 'deployment_status', condition: ['in-progress'], environment: 'github-pages', branch: 'master', version: 'master', state: 'in_progress' })],
    ['release published', 'release', 0, facts({ trigger: 'release.published', condition: ['stable'], version: '0.0.1' })],
    ['release prereleased', 'release', 8, facts({ trigger: 'release.prereleased', condition: ['prerelease'], version: '0.0.1' })],
    ['release released', 'release', 12, facts({ trigger: 'release.released', condition: ['stable'], version: '0.0.1' })],
    ['push to a branch', 'push', 4, facts({ trigger: 'push', branch: 'master' })],
  ])('%s', (_name, eventName, index, expected) => {
    // pull_request_target delivers the pull_request payload
    const exampleName = eventName === 'pull_request_target' ? 'pull_request' : eventName
    expect(decisionFacts(described(eventName, realPayload(exampleName, index)))).toEqual(expected)
  })

  test.each<[string, string, number, string]>([
    ['pull_request labeled', 'pull_request', 8, "pull_request with action 'labeled' is not one jira-warden acts on (it acts on opened, reopened, edited, ready_for_review, converted_to_draft, review_requested, synchronize, closed)."],
    ['pull_request assigned', 'pull_request', 1, "pull_request with action 'assigned' is not one jira-warden acts on (it acts on opened, reopened, edited, ready_for_review, converted_to_draft, review_requested, synchronize, closed)."],
    ['release created', 'release', 1, "release with action 'created' is not one jira-warden acts on (it acts on published, released, prereleased)."],
    ['release deleted', 'release', 4, "release with action 'deleted' is not one jira-warden acts on (it acts on published, released, prereleased)."],
    ['push of a tag', 'push', 0, 'a tag push (refs/tags/simple-tag): jira-warden acts on branch pushes; use on: release.published for tags.'],
  ])('%s is unsupported, with the reason', (_name, eventName, index, reason) => {
    expect(describeEvent(eventName, realPayload(eventName, index))).toEqual({ unsupported: true, reason })
  })

  test('the other fields of each kind come from the payload', () => {
    const review = described('pull_request_review', realPayload('pull_request_review', 0))
    expect([review.url, review.pullNumber, review.sha]).toEqual([REVIEW_URL, 2, PR_SHA])
    const deployment = described('deployment_status', realPayload('deployment_status', 1))
    expect([deployment.ref, deployment.sha, deployment.url]).toEqual([
      'master',
      'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
      'https://github.com/Codertocat/Hello-World/runs/145988746?check_suite_focus=true',
    ])
    const release = described('release', realPayload('release', 0))
    expect([release.ref, release.url, release.title, release.body]).toEqual(['0.0.1', 'https://github.com/Codertocat/Hello-World/releases/tag/0.0.1', undefined, undefined])
    const push = described('push', realPayload('push', 4))
    expect([push.ref, push.sha, push.commits, push.url]).toEqual([
      'refs/heads/master',
      '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      ['Initial commit'],
      'https://github.com/Codertocat/Hello-World/commit/6113728f27ae82c7b1a177c8d03f9e96e0adf246',
    ])
  })
})

describe('derived payloads (test/fixtures/events)', () => {
  test.each<[string, string, Facts]>([
    ['pull_request.closed.merged.json', 'pull_request', pullRequest({ trigger: 'pull_request.closed', condition: ['merged'], headBranch: 'feature/proj-13-readme' })],
    ['pull_request.opened.fork.json', 'pull_request', pullRequest({ trigger: 'pull_request.opened', fromFork: true, secretsUnavailableReason: FORK })],
    ['pull_request.opened.fork.json', 'pull_request_target', pullRequest({ trigger: 'pull_request.opened', fromFork: true })],
    ['pull_request.opened.dependabot.json', 'pull_request', pullRequest({ trigger: 'pull_request.opened', secretsUnavailableReason: DEPENDABOT })],
    ['pull_request.opened.dependabot.json', 'pull_request_target', pullRequest({ trigger: 'pull_request.opened' })],
    ['pull_request.opened.null-head-repo.json', 'pull_request', pullRequest({ trigger: 'pull_request.opened', fromFork: true, secretsUnavailableReason: FORK, notes: ['null head repo (a deleted fork?): treated as a fork'] })],
    ['pull_request.opened.missing-title.json', 'pull_request', pullRequest({ trigger: 'pull_request.opened', notes: ['missing title: skipped (no keys or template values from the title)'] })],
    ['pull_request_review.submitted.approved.json', 'pull_request_review', pullRequest({ trigger: 'pull_request_review.submitted', condition: ['approved'], state: 'approved' })],
    ['pull_request_review.submitted.changes-requested.json', 'pull_request_review', pullRequest({ trigger: 'pull_request_review.submitted', condition: ['changes-requested'], state: 'changes_requested' })],
    ['push.branch-with-keys.json', 'push', facts({ trigger: 'push', branch: 'feature/PROJ-7-login' })],
    ['deployment_status.failure.json', 'deployment_status', facts({ trigger: 'deployment_status', condition: ['failure'], environment: 'production', branch: 'master', version: 'master', state: 'failure' })],
  ])('%s as %s', (file, eventName, expected) => {
    expect(decisionFacts(described(eventName, derivedPayload(file)))).toEqual(expected)
  })

  test('a missing title is left out, not made up', () => {
    const event = described('pull_request', derivedPayload('pull_request.opened.missing-title.json'))
    expect(Object.hasOwn(event, 'title')).toBe(false)
  })

  test('a Dependabot push gets no Actions secrets either; its release does', () => {
    const push = realPayload('push', 4)
    ;(push.sender as Record<string, unknown>).login = 'dependabot[bot]'
    expect(described('push', push).secretsUnavailableReason).toBe(DEPENDABOT)
    const release = realPayload('release', 0)
    ;(release.sender as Record<string, unknown>).login = 'dependabot[bot]'
    expect(described('release', release).secretsUnavailableReason).toBeUndefined()
  })

  test('keys come from title, branch and commits as plain text', () => {
    const merged = described('pull_request', derivedPayload('pull_request.closed.merged.json'))
    const push = described('push', derivedPayload('push.branch-with-keys.json'))
    const injected = described('pull_request', derivedPayload('pull_request.opened.workflow-commands-in-title.json'))
    const keysOf = (event: WardenEvent) =>
      extractIssueKeys(
        [
          { source: 'title', text: event.title ?? '' },
          { source: 'branch', text: event.headBranch ?? event.branch ?? '' },
          ...(event.commits ?? []).map((text) => ({ source: 'commits' as const, text })),
        ],
        { max: 100 },
      ).keys
    expect(keysOf(merged)).toEqual(['PROJ-12', 'PROJ-13'])
    expect(keysOf(push)).toEqual(['PROJ-7', 'OPS-3'])
    expect(keysOf(injected)).toEqual(['PROJ-1', 'PROJ-2', 'PROJ-3'])
  })
})

describe('payloads that are broken or not for us', () => {
  const withChange = (eventName: string, index: number, change: (payload: Record<string, any>) => void) => {
    const payload = realPayload(eventName, index)
    change(payload)
    return payload
  }

  test.each<[string, string, unknown, string]>([
    ['an unknown event', 'issues', realPayload('pull_request', 0), "jira-warden does not act on 'issues' events; it acts on pull_request, pull_request_target, pull_request_review, deployment_status, release, push."],
    ['a prototype name as event', '__proto__', {}, "jira-warden does not act on '__proto__' events; it acts on pull_request, pull_request_target, pull_request_review, deployment_status, release, push."],
    ['a null payload', 'pull_request', null, 'the pull_request payload is not a JSON object.'],
    ['a list payload', 'push', [], 'the push payload is not a JSON object.'],
    ['no repository', 'pull_request', withChange('pull_request', 0, (p) => delete p.repository), 'the pull_request payload names no repository (repository.owner.login and repository.name).'],
    ['no action', 'pull_request', withChange('pull_request', 0, (p) => delete p.action), 'pull_request with no action is not one jira-warden acts on (it acts on opened, reopened, edited, ready_for_review, converted_to_draft, review_requested, synchronize, closed).'],
    ['no pull_request', 'pull_request', withChange('pull_request', 0, (p) => delete p.pull_request), 'the pull_request payload has no pull_request.'],
    ['review edited', 'pull_request_review', withChange('pull_request_review', 0, (p) => (p.action = 'edited')), "pull_request_review with action 'edited' is not one jira-warden acts on (it acts on submitted, dismissed)."],
    ['no deployment_status', 'deployment_status', withChange('deployment_status', 0, (p) => delete p.deployment_status), 'the deployment_status payload has no deployment_status.'],
    ['a deleted branch', 'push', withChange('push', 4, (p) => ((p.deleted = true), (p.commits = []))), 'a branch deletion (refs/heads/master): there is nothing to move.'],
    ['a push to a non-branch ref', 'push', withChange('push', 4, (p) => (p.ref = 'refs/notes/commits')), 'a push to refs/notes/commits, which is not a branch.'],
    ['a push without ref', 'push', withChange('push', 4, (p) => delete p.ref), 'the push payload has no ref.'],
  ])('%s', (_name, eventName, payload, reason) => {
    expect(describeEvent(eventName, payload)).toEqual({ unsupported: true, reason })
  })

  test.each<[string, string, unknown, Partial<Facts>]>([
    ['deployment error holds error and failure', 'deployment_status', withChange('deployment_status', 0, (p) => (p.deployment_status.state = 'error')), { condition: ['error', 'failure'], state: 'error', notes: [] }],
    ['unknown deployment state', 'deployment_status', withChange('deployment_status', 0, (p) => (p.deployment_status.state = 'exploded')), { condition: [], notes: ["deployment state 'exploded' is not one jira-warden knows: no if: condition holds"] }],
    ['deployment without environment', 'deployment_status', withChange('deployment_status', 0, (p) => (delete p.deployment_status.environment, delete p.deployment.environment)), { environment: undefined, notes: ['missing environment: rules with environment: do not match'] }],
    ['deployment of a commit SHA', 'deployment_status', withChange('deployment_status', 0, (p) => (p.deployment.ref = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e')), { branch: undefined, version: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e' }],
    ['deployment of a tag', 'deployment_status', withChange('deployment_status', 0, (p) => (p.deployment.ref = 'refs/tags/v1.2.0')), { branch: undefined, version: 'v1.2.0' }],
    ['unknown review state', 'pull_request_review', withChange('pull_request_review', 0, (p) => (p.review.state = 'weird')), { condition: [], notes: ["review state 'weird' is not one jira-warden knows: no if: condition holds"] }],
    ['uppercase review state', 'pull_request_review', withChange('pull_request_review', 0, (p) => (p.review.state = 'APPROVED')), { condition: ['approved'], state: 'approved' }],
    ['release without tag', 'release', withChange('release', 0, (p) => delete p.release.tag_name), { version: undefined, notes: ['missing tag_name: no version for fix-version'] }],
    ['merged_at without merged flag', 'pull_request', withChange('pull_request', 3, (p) => (delete p.pull_request.merged, (p.pull_request.merged_at = '2019-05-15T15:20:40Z'))), { condition: ['merged'] }],
    ['a blank title', 'pull_request', withChange('pull_request', 0, (p) => (p.pull_request.title = '   ')), { notes: ['missing title: skipped (no keys or template values from the title)'] }],
    ['no sender', 'pull_request', withChange('pull_request', 0, (p) => delete p.sender), { notes: ['no sender: the actor is unknown'] }],
    ['head and base named differently only by case', 'pull_request', withChange('pull_request', 0, (p) => (p.pull_request.head.repo.full_name = 'codertocat/hello-world')), { fromFork: false }],
  ])('%s', (_name, eventName, payload, expected) => {
    expect(decisionFacts(described(eventName, payload))).toMatchObject(expected)
  })

  test('a push that only creates a branch reads the head commit', () => {
    const payload = realPayload('push', 4)
    payload.commits = []
    expect(described('push', payload).commits).toEqual(['Initial commit'])
  })
})
