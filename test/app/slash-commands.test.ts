/**
 * Slash commands end to end: real issue_comment bodies delivered signed over
 * HTTP to the server started as `npm start` starts it, with the GitHub and
 * Jira sandboxes behind it. Outcomes are read back from the sandbox: replies,
 * reactions, audit entries, workflow runs. Every test ends with the leak scan
 * over the server's debug log and every comment on GitHub.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { createAuditTrail } from '../../src/adapters/github/audit-trail.ts'
import { createGitHubClient } from '../../src/adapters/github/github-client.ts'
import type { AuditEntry } from '../../src/core/audit-entry.ts'
import { fingerprintOf } from '../../src/core/fingerprint.ts'
import { expectNoLeaks } from '../support/leak-scan.ts'
import { BOT, commentPayload, REPOSITORY, startAppWorld, type AppWorld, type Role } from './app-world.ts'

// The app throttles its writes as Probot does for GitHub (a comment every 3 s): whole commands take seconds.
vi.setConfig({ testTimeout: 60_000 })

const WORKFLOW = 'jira-rotate.yml'
const ADMIN = 'mona'

let world: AppWorld
/** Fake Jira credentials made for this file: only their fingerprints may ever appear. */
const CURRENT_PAT = `pat-${randomBytes(16).toString('hex')}`
const OLD_PAT = `pat-${randomBytes(16).toString('hex')}`
const CURRENT = fingerprintOf(CURRENT_PAT)
const OLD = fingerprintOf(OLD_PAT)

beforeAll(async () => {
  world = await startAppWorld()
  world.secrets.push({ secret: CURRENT_PAT }, { secret: OLD_PAT })
  world.addPerson(ADMIN, 'admin')
})

afterAll(async () => {
  await world?.close()
})

afterEach(() => {
  expectNoLeaks(world.everything(), world.secrets)
  // Installation tokens and app JWTs the server obtained at run time: not known to the test, recognisable by shape.
  for (const output of world.everything()) {
    expect(output).not.toMatch(/\bghs_[A-Za-z0-9]{20,}/)
    expect(output).not.toMatch(/\beyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/)
  }
})

function writesSince(start: number) {
  return world.github.log.slice(start).filter((entry) => entry.method !== 'GET')
}

function eyesOn(commentId: number): string[] {
  return world.github.reactions(REPOSITORY, commentId).filter((reaction) => reaction.user === BOT).map((reaction) => reaction.content)
}

/**
 * Times relative to the sandbox's (real) clock, within the last hour: the
 * audit trail files entries in the issue of their month, and the app writes
 * its own in this month's.
 */
const NOW = Date.now()
function minutesAgo(minutes: number): string {
  return new Date(NOW - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
const ROTATED_AT = minutesAgo(50)
const GRACE_ENDS = minutesAgo(45)

function rotationState(): string {
  return JSON.stringify({
    v: 1,
    provider: 'dc-pat',
    secret: 'JIRA_PAT',
    scope: 'repo',
    current: { id: '101', fingerprint: CURRENT, createdAt: minutesAgo(3 * 24 * 60 + 55), expiresAt: '2099-01-30T00:00:00Z' },
    previous: { credential: { id: '100', fingerprint: OLD, createdAt: minutesAgo(90 * 24 * 60) }, graceEndsAt: GRACE_ENDS, rotationId: '20261101T000000Z-a1b2c3' },
    revocations: [{ credential: { id: '100', fingerprint: OLD }, dueAt: GRACE_ENDS, reason: 'grace-ended', rotationId: '20261101T000000Z-a1b2c3' }],
    rotation: { id: '20261203T070000Z-d4e5f6', phase: 'mint', minting: 'automatic', startedAt: minutesAgo(1) },
    last: { rotationId: '20261101T000000Z-a1b2c3', outcome: 'completed', at: ROTATED_AT },
  })
}

/** Entries the transition action writes, as it writes them (github-actions[bot] through the shared audit-trail module). */
async function seedAuditEntries(entries: AuditEntry[]): Promise<void> {
  const token = world.github.issueToken({ kind: 'github-actions', repositories: [REPOSITORY], permissions: { issues: 'write' } })
  world.secrets.push({ secret: token })
  const trail = createAuditTrail(createGitHubClient(token, world.github.url), { owner: 'acme', repo: 'shop' })
  for (const entry of entries) expect((await trail.append(entry)).written).toBe(true)
}

function used(time: string, fingerprint: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  const run = `https://github.com/${REPOSITORY}/actions/runs/${Math.floor(Math.random() * 1e6)}`
  return {
    v: 1,
    time,
    actor: run,
    event: 'credential.used',
    fingerprint,
    issues: ['PROJ-1', 'PROJ-2'],
    outcome: '2 transitioned, 0 skipped, 0 failed',
    run,
    workflow: `${REPOSITORY}/.github/workflows/jira.yml@refs/heads/main`,
    ref: 'refs/heads/main',
    repository: REPOSITORY,
    ...extra,
  }
}

describe('an admin asks', () => {
  test('help: 👀, then one ✅ reply generated from the registry, and nothing on the audit trail', async () => {
    const thread = await world.openThread()
    const entriesBefore = world.auditEntries().length
    const { comment, delivery } = await world.say(ADMIN, '/warden help', thread)
    expect(delivery.status).toBe(200)
    expect(eyesOn(comment.id)).toEqual(['eyes'])
    const replies = world.replies(thread)
    expect(replies).toHaveLength(1)
    expect(replies[0]).toMatch(/^✅ `\/warden help` for @mona/)
    for (const usage of ['/warden help', '/warden status', '/warden audit', '/warden rotate', '/warden verify', '/warden revoke FINGERPRINT']) {
      expect(replies[0]).toContain(`\`${usage}\``)
    }
    expect(world.auditEntries()).toHaveLength(entriesBefore)
  })

  test('status: each credential with provider, fingerprint, age, expiry, last rotation, last use, pending revocations and the rotation in progress', async () => {
    world.github.setVariable({ repo: REPOSITORY }, 'JIRA_WARDEN_STATE', rotationState())
    world.github.setVariable({ repo: REPOSITORY }, 'JIRA_WARDEN_LOCK', JSON.stringify({ ref: 'refs/jira-warden/lock/repo/JIRA_PAT', rotationId: '20261203T070000Z-d4e5f6', since: minutesAgo(1) }))
    const lastUse = minutesAgo(30)
    await seedAuditEntries([used(lastUse, CURRENT)])
    const thread = await world.openThread()
    await world.say(ADMIN, '/warden status', thread)
    const [reply = ''] = world.replies(thread)
    expect(reply).toMatch(/^✅ `\/warden status` for @mona/)
    expect(reply).toContain('**dc-pat** credential in secret `JIRA_PAT` (repo)')
    expect(reply).toContain(`| current | \`${CURRENT}\` | 3 days | 2099-01-30T00:00:00Z | ${lastUse} |`)
    expect(reply).toContain(`| previous | \`${OLD}\``)
    expect(reply).toContain(`grace ends ${GRACE_ENDS}`)
    expect(reply).toContain(`Last rotation: completed at ${ROTATED_AT} (20261101T000000Z-a1b2c3)`)
    expect(reply).toContain('Rotation in progress: 20261203T070000Z-d4e5f6, phase mint')
    expect(reply).toContain(`Lock held by rotation 20261203T070000Z-d4e5f6 since ${minutesAgo(1)} (\`refs/jira-warden/lock/repo/JIRA_PAT\`).`)
    expect(reply).toContain(`Pending revocations: \`${OLD}\` due ${GRACE_ENDS} (grace-ended)`)
    await world.deleteVariable('JIRA_WARDEN_LOCK')
  })

  test('audit: usage per fingerprint since the last rotation, and the anomalies', async () => {
    world.github.setVariable({ repo: REPOSITORY }, 'JIRA_WARDEN_STATE', rotationState())
    const stranger = fingerprintOf(`pat-${randomBytes(8).toString('hex')}`)
    const beforeRotation = minutesAgo(55)
    const [revokedUse, strangerUse, deniedAt] = [minutesAgo(20), minutesAgo(15), minutesAgo(10)]
    await seedAuditEntries([
      used(beforeRotation, OLD),
      { v: 1, time: ROTATED_AT, actor: ADMIN, event: 'rotation.completed', fingerprint: CURRENT, outcome: 'rotated' },
      { v: 1, time: GRACE_ENDS, actor: ADMIN, event: 'credential.revoked', fingerprint: OLD, outcome: 'revoked' },
      used(minutesAgo(25), CURRENT, { issues: ['PROJ-3'] }),
      used(revokedUse, OLD),
      used(strangerUse, stranger, { workflow: 'evil/fork/.github/workflows/steal.yml@refs/heads/main', ref: 'refs/heads/steal' }),
      { v: 1, time: deniedAt, actor: 'mallory', event: 'command.denied', outcome: 'refused: /warden rotate needs admin' },
    ])
    const thread = await world.openThread()
    await world.say(ADMIN, '/warden audit', thread)
    const [reply = ''] = world.replies(thread)
    expect(reply).toMatch(/^✅ `\/warden audit` for @mona/)
    expect(reply).toContain(`usage since the last rotation (${ROTATED_AT})`)
    expect(reply).toMatch(new RegExp(`\\| \`${CURRENT}\` \\| \\d+ \\| \\d+ \\| \`${REPOSITORY}/\\.github/workflows/jira\\.yml@refs/heads/main\` \\| \`refs/heads/main\``))
    expect(reply).toContain(`revoked fingerprint in use \`${OLD}\` at ${revokedUse}`)
    expect(reply).toContain(`unknown fingerprint in use \`${stranger}\` at ${strangerUse}`)
    expect(reply).toContain(`unexpected workflow \`${stranger}\``)
    expect(reply).toContain(`command denied at ${deniedAt}: mallory`)
    expect(reply).not.toContain(beforeRotation)
  })
})

describe('a well-formed command that does not exist', () => {
  test('is answered once, pointing to help', async () => {
    const thread = await world.openThread()
    await world.say(ADMIN, '/warden rotat', thread)
    expect(world.replies(thread)).toEqual(['❌ `/warden rotat` for @mona\n\nThere is no `/warden rotat`. `/warden help` lists the commands.'])
  })
})

describe('in a pull-request conversation', () => {
  test('the command is answered on the pull request', async () => {
    world.github.addPullRequest(REPOSITORY, { number: 500, title: 'PROJ-9 checkout', commits: [{ message: 'PROJ-9 checkout' }] })
    const { comment } = await world.say(ADMIN, '/warden help', 500)
    expect(comment.htmlUrl).toContain('/pull/500#issuecomment-')
    expect(eyesOn(comment.id)).toEqual(['eyes'])
    expect(world.replies(500)).toEqual([expect.stringMatching(/^✅ `\/warden help` for @mona/)])
  })
})

describe('without a rotation workflow', () => {
  test('rotate changes nothing and says how to add one', async () => {
    const thread = await world.openThread()
    const { comment } = await world.say(ADMIN, '/warden rotate', thread)
    expect(world.github.workflowRuns(REPOSITORY)).toEqual([])
    const replies = world.replies(thread)
    expect(replies).toHaveLength(1)
    expect(replies[0]).toMatch(/^❌ `\/warden rotate` for @mona/)
    expect(replies[0]).toContain('There is no rotation workflow `.github/workflows/jira-rotate.yml`')
    expect(replies[0]).toMatch(/\[the rotation guide\]\(https:\/\/\S+\/rotation\.md\)/)
    expect(eyesOn(comment.id)).toEqual(['eyes'])
  })
})

describe('rotate, verify and revoke go through the rotation workflow', () => {
  const dispatched: Array<Record<string, string>> = []

  beforeAll(() => {
    world.github.setVariable({ repo: REPOSITORY }, 'JIRA_WARDEN_STATE', rotationState())
    world.github.addWorkflow(REPOSITORY, WORKFLOW, {
      name: 'jira-warden rotate',
      inputs: { command: { required: true, type: 'choice', options: ['rotate', 'verify', 'finish'] }, fingerprint: { required: false }, comment: { required: false } },
      permissions: { contents: 'read' },
    })
    world.github.onWorkflowDispatch(WORKFLOW, (run) => {
      dispatched.push(run.inputs)
      return run.inputs.command === 'verify' ? 'failure' : 'success'
    })
    world.github.configureWebhooks({ url: world.app.webhookUrl, secret: world.webhookSecret })
  })

  afterAll(() => {
    world.github.configureWebhooks(undefined)
  })

  test('rotate: audited first, dispatched with the command and the comment, then the result in the same thread', async () => {
    const thread = await world.openThread()
    const runsBefore = world.github.workflowRuns(REPOSITORY).length
    const { comment } = await world.say(ADMIN, '/warden rotate', thread)
    await world.github.settle()
    await world.app.waitForOutput(/reported run \d+ \(success\)/, 40_000)
    const runs = world.github.workflowRuns(REPOSITORY).slice(runsBefore)
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({ workflow: WORKFLOW, ref: 'main', actor: BOT, conclusion: 'success', inputs: { command: 'rotate', comment: comment.htmlUrl } })
    const accepted = world.auditEntries().filter((entry) => entry.event === 'command.accepted' && entry.detail === comment.htmlUrl)
    expect(accepted).toEqual([expect.objectContaining({ actor: ADMIN, outcome: `/warden rotate requested; dispatching ${WORKFLOW}` })])
    const replies = world.replies(thread)
    expect(replies).toHaveLength(2)
    expect(replies[0]).toMatch(/^✅ `\/warden rotate` for @mona\n\nStarted: the `jira-rotate.yml` workflow is running `rotate`/)
    expect(replies[1]).toMatch(/^✅ \/warden rotate finished: the \[workflow run\]\(https:\/\/github\.com\/acme\/shop\/actions\/runs\/\d+\) concluded \*\*success\*\*/)
    expect(replies[1]).toContain(`The secret holds \`${CURRENT}\``)
    expect(eyesOn(comment.id).sort()).toEqual(['eyes', 'rocket'])
  }, 60_000)

  test('rotate while a rotation holds the lock: says which one, starts nothing', async () => {
    world.github.setVariable({ repo: REPOSITORY }, 'JIRA_WARDEN_LOCK', JSON.stringify({ ref: 'refs/jira-warden/lock/repo/JIRA_PAT', rotationId: '20261203T070000Z-d4e5f6', since: minutesAgo(2) }))
    try {
      const thread = await world.openThread()
      const runsBefore = world.github.workflowRuns(REPOSITORY).length
      await world.say(ADMIN, '/warden rotate', thread)
      expect(world.github.workflowRuns(REPOSITORY)).toHaveLength(runsBefore)
      expect(world.replies(thread)).toEqual([
        `✅ \`/warden rotate\` for @mona\n\nRotation 20261203T070000Z-d4e5f6 is already in progress (it holds the lock since ${minutesAgo(2)}); I did not start another. \`/warden status\` shows its phase.`,
      ])
    } finally {
      await world.deleteVariable('JIRA_WARDEN_LOCK')
    }
  })

  test('a lock left by a dead run (over 30 minutes old) does not stop rotate: the run resumes or breaks it', async () => {
    world.github.setVariable({ repo: REPOSITORY }, 'JIRA_WARDEN_LOCK', JSON.stringify({ ref: 'refs/jira-warden/lock/repo/JIRA_PAT', rotationId: '20261203T070000Z-d4e5f6', since: minutesAgo(45) }))
    try {
      const thread = await world.openThread()
      const runsBefore = world.github.workflowRuns(REPOSITORY).length
      await world.say(ADMIN, '/warden rotate', thread)
      expect(world.github.workflowRuns(REPOSITORY)).toHaveLength(runsBefore + 1)
      await world.github.settle()
      await world.app.waitForOutput(new RegExp(`reported run \\d+ \\(success\\) on #${thread}`), 40_000)
    } finally {
      await world.deleteVariable('JIRA_WARDEN_LOCK')
    }
  })

  test('verify that fails: ❌ in the thread when the run concludes failure', async () => {
    const thread = await world.openThread()
    await world.say(ADMIN, '/warden verify', thread)
    await world.github.settle()
    await world.app.waitForOutput(/reported run \d+ \(failure\)/, 40_000)
    const replies = world.replies(thread)
    expect(replies).toHaveLength(2)
    expect(replies[1]).toMatch(/^❌ \/warden verify finished: .* concluded \*\*failure\*\*/)
  }, 60_000)

  test('revoke FINGERPRINT of the previous credential: dispatched as finish, the fingerprint travels as an input', async () => {
    const thread = await world.openThread()
    const { comment } = await world.say(ADMIN, `/warden revoke ${OLD}`, thread)
    await world.github.settle()
    expect(dispatched.at(-1)).toEqual({ command: 'finish', fingerprint: OLD, comment: comment.htmlUrl })
    expect(world.auditEntries().find((entry) => entry.detail === comment.htmlUrl)).toMatchObject({ event: 'command.accepted', fingerprint: OLD })
    await world.app.waitForOutput(new RegExp(`reported run \\d+ \\(success\\) on #${thread}`), 40_000)
    expect(world.replies(thread)[1]).toMatch(/^✅ \/warden revoke finished/)
  })

  test.each<[string, () => string, RegExp]>([
    ['the current credential', () => CURRENT, /is the credential the secret holds now\. Run `\/warden rotate` first/],
    ['a fingerprint the rotation does not know', () => fingerprintOf('never-seen'), /no previous credential or pending revocation has the fingerprint/],
  ])('revoke refuses %s and dispatches nothing', async (_name, fingerprintFor, message) => {
    const thread = await world.openThread()
    const runsBefore = world.github.workflowRuns(REPOSITORY).length
    await world.say(ADMIN, `/warden revoke ${fingerprintFor()}`, thread)
    expect(world.github.workflowRuns(REPOSITORY)).toHaveLength(runsBefore)
    const replies = world.replies(thread)
    expect(replies).toHaveLength(1)
    expect(replies[0]).toMatch(/^❌ `\/warden revoke [0-9a-f]{12}` for @mona\n\nNothing was done: /)
    expect(replies[0]).toMatch(message)
  })

  test('a run nobody asked the app for is not reported', async () => {
    const someone = world.github.issueToken({ kind: 'user', login: ADMIN, repositories: [REPOSITORY], permissions: { actions: 'write' } })
    world.secrets.push({ secret: someone })
    const before = world.github.issues(REPOSITORY).reduce((count, issue) => count + issue.comments.length, 0)
    const response = await fetch(`${world.github.url}/repos/${REPOSITORY}/actions/workflows/${WORKFLOW}/dispatches`, {
      method: 'POST',
      headers: { authorization: `token ${someone}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ref: 'main', inputs: { command: 'rotate', comment: `https://github.com/${REPOSITORY}/issues/1#issuecomment-1` } }),
    })
    expect(response.status).toBe(204)
    await world.github.settle()
    await world.app.waitForOutput(/ignored: run \d+ was dispatched by mona, not by this app/)
    expect(world.github.issues(REPOSITORY).reduce((count, issue) => count + issue.comments.length, 0)).toBe(before)
  })
})

describe('anyone but an admin gets one polite refusal, audited, and nothing else', () => {
  test.each<[Role | 'outside', string]>([
    ['read', '/warden rotate'],
    ['triage', '/warden verify'],
    ['write', `/warden revoke ${'a'.repeat(12)}`],
    ['maintain', '/warden rotate'],
    ['outside', '/warden rotate'],
    ['write', '/warden status'],
    ['read', '/warden audit'],
  ])('%s: %s', async (role, command) => {
    const login = `user-${role}-${randomBytes(3).toString('hex')}`
    world.addPerson(login, role)
    const thread = await world.openThread()
    const runsBefore = world.github.workflowRuns(REPOSITORY).length
    const comment = await world.comment(login, command, thread)
    const logStart = world.github.log.length
    await world.deliverComment(comment, { issueNumber: thread })
    await world.github.settle()
    const replies = world.replies(thread)
    expect(replies).toHaveLength(1)
    expect(replies[0]).toMatch(new RegExp(`^❌ \`${command.replace(/[/]/g, '\\/')}\` for @${login}\n\nSorry, I can't do that for you: /warden \\w+ needs admin permission on this repository; the requester has ${role === 'outside' ? 'none' : role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role}\\.`))
    expect(eyesOn(comment.id)).toEqual(['eyes'])
    const denied = world.auditEntries().filter((entry) => entry.event === 'command.denied' && entry.detail === comment.htmlUrl)
    expect(denied).toEqual([expect.objectContaining({ actor: login, repository: REPOSITORY })])
    expect(world.github.workflowRuns(REPOSITORY)).toHaveLength(runsBefore)
    // Only the claim, the audit trail and the reply were written.
    const writes = writesSince(logStart).map((entry) => `${entry.method} ${entry.route}`)
    expect(writes.filter((write) => /dispatches|variables|secrets|git\/refs/.test(write))).toEqual([])
    expect(writes.filter((write) => write.endsWith('/repos/{owner}/{repo}/issues/{issue_number}/comments'))).toHaveLength(2)
    expect(writes.filter((write) => write.endsWith('/reactions'))).toHaveLength(1)
  })
})

describe('comments that are never acted on: no reaction, no reply', () => {
  test.each<[string, string]>([
    ['quoted', '> /warden rotate'],
    ['fenced', '```\n/warden rotate\n```'],
    ['inline code', '`/warden rotate`'],
    ['not on the first line', 'Could someone run this?\n/warden rotate'],
    ['indented', '    /warden rotate'],
    ['fullwidth', '／ｗａｒｄｅｎ rotate'],
    ['Cyrillic о', '/warden r\u043Etate'],
    ['zero-width space', '/war\u200Bden rotate'],
    ['another repository named', '/warden rotate acme/other'],
    ['a path named', '/warden revoke ../../.github/secrets'],
    ['a fingerprint and a repository', `/warden revoke ${OLD} acme/other`],
  ])('%s', async (_name, body) => {
    const thread = await world.openThread()
    const { comment, delivery } = await world.say(ADMIN, body, thread)
    expect(delivery.status).toBe(200)
    await world.app.waitForOutput(new RegExp(`delivery ${delivery.deliveryId} issue_comment → 200 in \\d+ ms: ignored: `))
    expect(world.replies(thread)).toEqual([])
    expect(eyesOn(comment.id)).toEqual([])
  })

  test('an edited comment', async () => {
    const thread = await world.openThread()
    const comment = await world.comment(ADMIN, '/warden rotate', thread)
    const delivery = await world.deliverComment(comment, { action: 'edited', issueNumber: thread })
    await world.app.waitForOutput(new RegExp(`delivery ${delivery.deliveryId} issue_comment → 200 in \\d+ ms: ignored: edited comments are never acted on`))
    expect(world.replies(thread)).toEqual([])
    expect(eyesOn(comment.id)).toEqual([])
  })

  test.each([[BOT], ['github-actions[bot]'], ['dependabot[bot]']])('a bot sender: %s', async (login) => {
    const thread = await world.openThread()
    const comment = await world.comment(ADMIN, '/warden rotate', thread)
    const delivery = await world.deliverComment(comment, { sender: { login, type: 'Bot' }, issueNumber: thread })
    await world.app.waitForOutput(new RegExp(`delivery ${delivery.deliveryId} issue_comment → 200 in \\d+ ms: ignored: sender .* is a bot`))
    expect(world.replies(thread)).toEqual([])
    expect(eyesOn(comment.id)).toEqual([])
  })

  test("the app's own reply, delivered back to it", async () => {
    const thread = await world.openThread()
    await world.say(ADMIN, '/warden help', thread)
    const replyComment = world.github.issues(REPOSITORY).find((issue) => issue.number === thread)?.comments.find((candidate) => candidate.user === BOT)
    expect(replyComment).toBeDefined()
    const delivery = await world.deliverComment(
      { id: replyComment?.id ?? 0, htmlUrl: `https://github.com/${REPOSITORY}/issues/${thread}#issuecomment-${replyComment?.id}`, body: '/warden rotate', user: BOT },
      { sender: { login: BOT, type: 'Bot' }, issueNumber: thread },
    )
    await world.app.waitForOutput(new RegExp(`delivery ${delivery.deliveryId} issue_comment → 200 in \\d+ ms: ignored: sender ${BOT.replace(/[[\]]/g, '\\$&')} is a bot`))
    expect(world.replies(thread)).toHaveLength(1)
  })
})

describe('a re-delivered webhook acts once', () => {
  test('the same delivery twice', async () => {
    const thread = await world.openThread()
    const comment = await world.comment(ADMIN, '/warden help', thread)
    const first = await world.deliverComment(comment, { issueNumber: thread })
    const again = await world.deliverComment(comment, { issueNumber: thread, deliveryId: first.deliveryId })
    expect(again.status).toBe(200)
    await world.app.waitForOutput(new RegExp(`delivery ${first.deliveryId} issue_comment → 200 in \\d+ ms: ignored: delivery ${first.deliveryId} was already handled`))
    expect(world.replies(thread)).toHaveLength(1)
  })

  test('the same comment under a new delivery id', async () => {
    const thread = await world.openThread()
    const comment = await world.comment(ADMIN, '/warden help', thread)
    await world.deliverComment(comment, { issueNumber: thread })
    const second = await world.deliverComment(comment, { issueNumber: thread })
    await world.app.waitForOutput(new RegExp(`delivery ${second.deliveryId} issue_comment → 200 in \\d+ ms: ignored: comment ${comment.id} was already handled`))
    expect(world.replies(thread)).toHaveLength(1)
  })

  test('two replicas given the same comment at once: one 👀 claim wins, one reply', async () => {
    const replica = await world.startReplica()
    const thread = await world.openThread()
    const comment = await world.comment(ADMIN, '/warden help', thread)
    const payload = commentPayload(world, comment, thread)
    const deliveryId = `replicas-${randomBytes(4).toString('hex')}`
    const [one, two] = await Promise.all([
      world.github.deliverWebhook({ url: world.app.webhookUrl, secret: world.webhookSecret, event: 'issue_comment', payload, deliveryId }),
      world.github.deliverWebhook({ url: replica.webhookUrl, secret: world.webhookSecret, event: 'issue_comment', payload, deliveryId }),
    ])
    expect([one.status, two.status]).toEqual([200, 200])
    // Each server writes its line when its work has ended: then both have claimed or stood down.
    await Promise.all([world.app, replica].map((server) => server.waitForOutput(new RegExp(`delivery ${deliveryId} issue_comment → 200 in \\d+ ms`), 30_000)))
    expect(await world.waitForReplies(thread)).toHaveLength(1)
    expect(eyesOn(comment.id)).toEqual(['eyes'])
    const stoodDown = `ignored: the app's eyes reaction was already on comment ${comment.id}`
    expect([world.app.output(), replica.output()].filter((output) => output.includes(stoodDown))).toHaveLength(1)
  })
})

describe('GitHub failing mid-command', () => {
  test('the permission check refused: one ❌ reply naming the cause, nothing run', async () => {
    const thread = await world.openThread()
    const runsBefore = world.github.workflowRuns(REPOSITORY).length
    const comment = await world.comment(ADMIN, '/warden rotate', thread)
    world.github.inject({ method: 'GET', path: `/api/v3/repos/${REPOSITORY}/collaborators/${ADMIN}/permission`, kind: 'status', status: 403, times: 1 })
    const delivery = await world.deliverComment(comment, { issueNumber: thread })
    world.github.clearFaults()
    await world.app.waitForOutput(new RegExp(`delivery ${delivery.deliveryId} issue_comment → \\d+ in \\d+ ms: failed: GitHub answered 403`))
    expect(world.replies(thread)).toEqual(['❌ `/warden rotate` for @mona\n\nSomething went wrong: GitHub answered 403. Try again later.'])
    expect(world.github.workflowRuns(REPOSITORY)).toHaveLength(runsBefore)
  })
})

describe('no audit entry, no state change', () => {
  test('rotate is not dispatched when the audit trail cannot be written', async () => {
    const thread = await world.openThread()
    const runsBefore = world.github.workflowRuns(REPOSITORY).length
    const comment = await world.comment(ADMIN, '/warden rotate', thread)
    const month = new Date().toISOString().slice(0, 7)
    const auditIssue = world.github.issues(REPOSITORY).find((issue) => issue.labels.includes('jira-warden:audit') && issue.title.endsWith(month))
    expect(auditIssue).toBeDefined()
    world.github.inject({ method: 'POST', path: `/api/v3/repos/${REPOSITORY}/issues/${auditIssue?.number}/comments`, kind: 'status', status: 403, times: 1 })
    await world.deliverComment(comment, { issueNumber: thread })
    world.github.clearFaults()
    await world.github.settle()
    expect(world.github.workflowRuns(REPOSITORY)).toHaveLength(runsBefore)
    const replies = world.replies(thread)
    expect(replies).toHaveLength(1)
    expect(replies[0]).toMatch(/^❌ `\/warden rotate` for @mona\n\nNothing was done: the audit entry could not be written \(the GitHub token may not write issues here[^)]*\)\)\. Without an audit record no rotation starts\./)
  })
})
