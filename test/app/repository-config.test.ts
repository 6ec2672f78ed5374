/**
 * What `.github/jira-warden.yml` changes for the app. The GitHub sandbox
 * serves no repository contents yet, so this server runs in-process with
 * the config reader given the file's text (parsed as Probot's loader parses
 * it); everything else is the sandbox, over HTTP, as in the other tests.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { parse } from 'yaml'
import { readServerSettings } from '../../src/app/server-settings.ts'
import { startAppServer, type AppServer } from '../../src/app/start-app-server.ts'
import { expectNoLeaks } from '../support/leak-scan.ts'
import { BOT, commentPayload, REPOSITORY, startAppWorld, type AppWorld } from './app-world.ts'

vi.setConfig({ testTimeout: 60_000 })

let world: AppWorld
let server: AppServer
let configText = ''

beforeAll(async () => {
  world = await startAppWorld()
  world.addPerson('mona', 'admin')
  world.addPerson('wendy', 'write')
  server = await startAppServer(readServerSettings({ ...world.appEnv, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'debug' }), {
    readConfig: async () => (configText.trim() === '' ? null : parse(configText)),
  })
})

afterAll(async () => {
  await server?.close()
  await world?.close()
})

afterEach(() => {
  expectNoLeaks(world.everything(), world.secrets)
})

async function ask(login: string, body: string, config: string): Promise<{ thread: number; replies: string[] }> {
  configText = config
  const thread = await world.openThread()
  const comment = await world.comment(login, body, thread)
  const answer = await world.github.deliverWebhook({ url: server.webhookUrl, secret: world.webhookSecret, event: 'issue_comment', payload: commentPayload(world, comment, thread) })
  // 202 when the throttled writes outlast GitHub's 10 s: the reply still comes.
  expect([200, 202]).toContain(answer.status)
  await vi.waitFor(() => expect(world.replies(thread).length).toBeGreaterThan(0), { timeout: 30_000, interval: 200 })
  await world.github.settle()
  return { thread, replies: world.replies(thread) }
}

describe('commands.open-to-write', () => {
  test('opens status to write users', async () => {
    const { replies } = await ask('wendy', '/warden status', 'commands:\n  open-to-write: [status]\n')
    expect(replies).toHaveLength(1)
    expect(replies[0]).toMatch(/^✅ `\/warden status` for @wendy/)
  })

  test('leaves what it does not name admin-only', async () => {
    const { replies } = await ask('wendy', '/warden audit', 'commands:\n  open-to-write: [status]\n')
    expect(replies[0]).toMatch(/^❌ `\/warden audit` for @wendy\n\nSorry, I can't do that for you: \/warden audit needs admin permission/)
  })

  test('help says who may run what, from the same config', async () => {
    const { replies } = await ask('wendy', '/warden help', 'commands:\n  open-to-write: [help, audit]\n')
    expect(replies[0]).toContain('| `/warden audit` | ')
    expect(replies[0]).toMatch(/\| `\/warden audit` \| [^|]+ \| admins and write users \|/)
    expect(replies[0]).toMatch(/\| `\/warden status` \| [^|]+ \| admins \|/)
  })

  test('cannot open a command that changes state: the config is refused, nothing runs', async () => {
    const runsBefore = world.github.workflowRuns(REPOSITORY).length
    const { replies } = await ask('wendy', '/warden rotate', 'commands:\n  open-to-write: [rotate]\n')
    expect(replies).toHaveLength(1)
    expect(replies[0]).toMatch(/^❌ `\/warden rotate` for @wendy\n\n\.github\/jira-warden\.yml \(as loaded\) line \d+, field 'commands\.open-to-write\[0\]': 'rotate' is not valid; use one of: help, status, audit\./)
    expect(world.github.workflowRuns(REPOSITORY)).toHaveLength(runsBefore)
  })
})

describe('the file is validated by the action\'s schema', () => {
  test('an unknown section is named, with the fix', async () => {
    const { replies } = await ask('mona', '/warden status', 'comands:\n  open-to-write: [status]\n')
    expect(replies[0]).toMatch(/^❌ `\/warden status` for @mona\n\n\.github\/jira-warden\.yml \(as loaded\) line 1, top level: unknown key 'comands' \(did you mean 'commands'\?\)/)
  })
})

describe('commands.workflow', () => {
  test('names the workflow rotate dispatches', async () => {
    world.github.addWorkflow(REPOSITORY, 'custom-rotate.yml', { inputs: { command: { required: true }, fingerprint: {}, comment: {} } })
    const { replies } = await ask('mona', '/warden rotate', 'commands:\n  workflow: custom-rotate.yml\n')
    expect(replies[0]).toMatch(/^✅ `\/warden rotate` for @mona\n\nStarted: the `custom-rotate\.yml` workflow is running `rotate`/)
    expect(world.github.workflowRuns(REPOSITORY).at(-1)).toMatchObject({ workflow: 'custom-rotate.yml', actor: BOT, inputs: { command: 'rotate' } })
  })
})
