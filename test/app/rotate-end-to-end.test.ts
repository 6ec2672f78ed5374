/**
 * The whole path of `/warden rotate`: an admin's comment, delivered signed to
 * the server started as `npm start` starts it; the app audits and dispatches
 * the rotation workflow; the sandbox plays that workflow's job by running the
 * built rotate action (dist/rotate/index.js) with an installation token of
 * the same app, as actions/create-github-app-token would give it; the run's
 * workflow_run comes back to the app, which reports in the thread. At the end
 * the secret decrypts to a new PAT that Jira accepts.
 */
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import type { ActionRun } from '../../sandbox/actions-runner.ts'
import type { WorkflowRunContext } from '../../sandbox/github/workflow-runner.ts'
import { ROTATION_RUN_NAME } from '../../src/app/workflow-run-result.ts'
import { fingerprintOf } from '../../src/core/fingerprint.ts'
import { runAction } from '../support/action-harness.ts'
import { expectNoLeaks } from '../support/leak-scan.ts'
import { APP_SLUG, BOT, commentPayload, REPOSITORY, startAppWorld, type AppWorld } from './app-world.ts'

vi.setConfig({ testTimeout: 90_000 })

const ROTATE_ENTRY = fileURLToPath(new URL('../../dist/rotate/index.js', import.meta.url))
const WORKFLOW = 'jira-rotate.yml'
const SECRET = 'JIRA_PAT'
const ADMIN = 'mona'

let world: AppWorld
const runs: ActionRun[] = []

beforeAll(async () => {
  world = await startAppWorld()
  world.addPerson(ADMIN, 'admin')
  world.github.addWorkflow(REPOSITORY, WORKFLOW, {
    name: 'jira-warden rotate',
    // An older rotation workflow, without fingerprint, comment or run-name: the app sends only `command`, and finds the thread from the run id it remembers.
    inputs: { command: { type: 'choice', options: ['auto', 'rotate', 'verify', 'status', 'finish'], default: 'auto' }, 'dry-run': { type: 'boolean', default: 'false' } },
  })
  world.github.onWorkflowDispatch(WORKFLOW, playRotation)
  world.github.configureWebhooks({ url: world.app.webhookUrl, secret: world.webhookSecret })
})

afterAll(async () => {
  await world?.close()
})

/** The workflow's one job: a token of the app (Secrets, Variables, Contents, Issues), then the rotate action with the current secret. */
async function playRotation(run: WorkflowRunContext): Promise<'success' | 'failure'> {
  const appToken = world.github.issueToken({
    kind: 'installation',
    appSlug: APP_SLUG,
    repositories: [REPOSITORY],
    permissions: { secrets: 'write', actions_variables: 'write', contents: 'write', issues: 'write', metadata: 'read' },
  })
  world.secrets.push({ secret: appToken }, { secret: run.githubToken })
  const current = world.github.secretValue({ repo: REPOSITORY }, SECRET) ?? ''
  const result = await runAction({
    entry: ROTATE_ENTRY,
    eventName: 'workflow_dispatch',
    payload: { inputs: run.inputs },
    githubApiUrl: run.apiUrl,
    repository: run.repository,
    inputs: {
      'github-token': appToken,
      'jira-url': world.jira.url,
      provider: 'dc-pat',
      'current-credential': current,
      'secret-name': SECRET,
      'secret-scope': 'repo',
      'expiration-days': '90',
      grace: '24h',
      command: run.inputs.command ?? 'auto',
      'dry-run': run.inputs['dry-run'] ?? 'false',
    },
  })
  runs.push(result)
  return result.exitCode === 0 ? 'success' : 'failure'
}

test('an admin’s /warden rotate ends with the secret rotated, reported in the same thread', async () => {
  const original = world.jira.issuePat(world.jira.user('demo'), { name: 'installed by hand', expiresAt: new Date(Date.now() + 5 * 86_400_000) }).token
  world.secrets.push({ secret: original })
  world.github.setSecret({ repo: REPOSITORY }, SECRET, original)
  const thread = await world.openThread()

  const { comment } = await world.say(ADMIN, '/warden rotate', thread)
  await world.github.settle()
  await world.app.waitForOutput(/reported run \d+ \((success|failure)\)/, 60_000)

  expect(runs).toHaveLength(1)
  expect(runs[0]?.exitCode, runs[0]?.stdout.split('\n').filter((line) => line.startsWith('::error')).join('\n')).toBe(0)
  const stored = world.github.secretValue({ repo: REPOSITORY }, SECRET) ?? ''
  world.secrets.push({ secret: stored })
  expect(stored).not.toBe(original)
  expect(world.jira.credentialState(stored)).toBe('live')
  // The old PAT stays valid through its grace period.
  expect(world.jira.credentialState(original)).toBe('live')

  const replies = world.replies(thread)
  expect(replies).toHaveLength(2)
  expect(replies[0]).toMatch(/^✅ `\/warden rotate` for @mona\n\nStarted: /)
  expect(replies[0]).toContain('The workflow declares only the `command` input')
  expect(replies[1]).toMatch(/^✅ \/warden rotate finished: the \[workflow run\]\(.+\) concluded \*\*success\*\*/)
  expect(replies[1]).toContain(`The secret holds \`${fingerprintOf(stored)}\``)
  expect(world.github.reactions(REPOSITORY, comment.id).filter((reaction) => reaction.user === BOT).map((reaction) => reaction.content).sort()).toEqual(['eyes', 'rocket'])

  const events = world.auditEntries().map((entry) => entry.event)
  expect(events[0]).toBe('command.accepted')
  expect(events).toContain('rotation.completed')
  const state = world.github.variable({ repo: REPOSITORY }, 'JIRA_WARDEN_STATE')?.value ?? ''
  expect(JSON.parse(state)).toMatchObject({ current: { fingerprint: fingerprintOf(stored) }, previous: { credential: { fingerprint: fingerprintOf(original) } } })

  expectNoLeaks([...world.everything(), ...runs.map((run) => run.everything)], world.secrets)
})

test('two admins ask at once, on two replicas: never two rotations at the same time, and the secret ends live', async () => {
  world.addPerson('hubot', 'admin')
  const replica = await world.startReplica()
  const entriesBefore = world.auditEntries().length
  const runsBefore = runs.length
  const threadOne = await world.openThread()
  const threadTwo = await world.openThread()
  const one = await world.comment(ADMIN, '/warden rotate', threadOne)
  const two = await world.comment('hubot', '/warden rotate', threadTwo)
  await Promise.all([
    world.github.deliverWebhook({ url: world.app.webhookUrl, secret: world.webhookSecret, event: 'issue_comment', payload: commentPayload(world, one, threadOne) }),
    world.github.deliverWebhook({ url: replica.webhookUrl, secret: world.webhookSecret, event: 'issue_comment', payload: commentPayload(world, two, threadTwo) }),
  ])
  await vi.waitFor(() => expect(world.replies(threadOne).length + world.replies(threadTwo).length).toBeGreaterThanOrEqual(2), { timeout: 60_000, interval: 250 })
  await world.github.settle()

  // Each request either started a run or was told which rotation runs; every run that rotated did so alone.
  for (const reply of [...world.replies(threadOne), ...world.replies(threadTwo)].filter((text) => text.startsWith('✅ `/warden rotate`'))) {
    expect(reply).toMatch(/Started: |is already in progress/)
  }
  const rotations = world
    .auditEntries()
    .slice(entriesBefore)
    .filter((entry) => entry.event === 'rotation.intent' || entry.event === 'rotation.completed')
    .map((entry) => entry.event)
  expect(rotations.join(',')).toMatch(/^(rotation\.intent,rotation\.completed,?)+$/)
  expect(rotations.filter((event) => event === 'rotation.completed')).toHaveLength(runs.slice(runsBefore).filter((run) => run.outputs.rotated === 'true').length)
  const stored = world.github.secretValue({ repo: REPOSITORY }, SECRET) ?? ''
  world.secrets.push({ secret: stored })
  expect(world.jira.credentialState(stored)).toBe('live')
  expectNoLeaks([...world.everything(), ...runs.slice(runsBefore).map((run) => run.everything)], world.secrets)
})

test("with the documented run-name, the replica that gets the workflow_run finds the thread from the run's title alone", async () => {
  const titled = 'jira-rotate-titled.yml'
  // docs/rotation.md's workflow in full: command, fingerprint and comment inputs, and the run-name that carries them.
  world.github.addWorkflow(REPOSITORY, titled, {
    name: 'jira-warden rotate',
    inputs: {
      command: { type: 'choice', options: ['auto', 'rotate', 'verify', 'status', 'finish'], default: 'auto' },
      fingerprint: {},
      comment: {},
      'dry-run': { type: 'boolean', default: 'false' },
    },
    runName: ROTATION_RUN_NAME,
  })
  world.github.onWorkflowDispatch(titled, playRotation)
  // Read by the app through Probot's config loader, over the sandbox's contents API.
  world.github.addFile(REPOSITORY, '.github/jira-warden.yml', `commands:\n  workflow: ${titled}\n`)
  // The run's result goes to a replica that never saw the dispatch: it has only the title to go by.
  const replica = await world.startReplica()
  world.github.configureWebhooks({ url: replica.webhookUrl, secret: world.webhookSecret })
  const thread = await world.openThread()

  const { comment } = await world.say(ADMIN, '/warden verify', thread)
  const replies = await world.waitForReplies(thread, 2)
  await world.github.settle()

  const run = world.github.workflowRuns(REPOSITORY).at(-1)
  expect(run).toMatchObject({ workflow: titled, conclusion: 'success', inputs: { command: 'verify', comment: comment.htmlUrl } })
  expect(run?.displayTitle).toBe(`jira-warden verify  ${comment.htmlUrl}`)
  // Two processes write these, each behind its own write spacing: a fast run's result may come before "Started".
  const started = replies.find((reply) => reply.startsWith('✅ `/warden verify` for @mona'))
  const finished = replies.find((reply) => reply.startsWith('✅ /warden verify finished'))
  expect(replies).toHaveLength(2)
  expect(started).toMatch(/^✅ `\/warden verify` for @mona\n\nStarted: /)
  expect(started).not.toContain('declares only the `command` input')
  expect(finished).toMatch(/^✅ \/warden verify finished: the \[workflow run\]\(.+\) concluded \*\*success\*\*/)
  expect(finished).toContain(`(asked in ${comment.htmlUrl})`)
  expect(replica.output()).toMatch(new RegExp(`reported run ${run?.id} \\(success\\) on #${thread}`))
  expect(world.app.output()).not.toMatch(new RegExp(`reported run ${run?.id} `))
  expect(world.github.reactions(REPOSITORY, comment.id).filter((reaction) => reaction.user === BOT).map((reaction) => reaction.content).sort()).toEqual(['eyes', 'rocket'])
  expectNoLeaks([...world.everything(), ...runs.map((entry) => entry.everything)], world.secrets)
})
