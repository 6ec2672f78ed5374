/**
 * What `.github/jira-warden.yml` changes for the app. The file is put on the
 * repository's default branch in the GitHub sandbox and read by the server
 * started as `npm start` starts it, through Probot's own config loader
 * (`context.config`, GET .../contents/.github/jira-warden.yml over HTTP).
 */
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { expectNoLeaks } from '../support/leak-scan.ts'
import { BOT, REPOSITORY, startAppWorld, type AppWorld } from './app-world.ts'

vi.setConfig({ testTimeout: 60_000 })

const CONFIG_PATH = '.github/jira-warden.yml'

let world: AppWorld

beforeAll(async () => {
  world = await startAppWorld()
  world.addPerson('mona', 'admin')
  world.addPerson('wendy', 'write')
})

afterAll(async () => {
  await world?.close()
})

afterEach(() => {
  expectNoLeaks(world.everything(), world.secrets)
})

async function ask(login: string, body: string, config: string): Promise<{ thread: number; replies: string[] }> {
  world.github.addFile(REPOSITORY, CONFIG_PATH, config)
  const thread = await world.openThread()
  await world.say(login, body, thread)
  const replies = await world.waitForReplies(thread)
  await world.github.settle()
  return { thread, replies: world.replies(thread) }
}

test("the server read the file through Probot's loader, over the contents API", async () => {
  await ask('wendy', '/warden status', 'commands:\n  open-to-write: [status]\n')
  const reads = world.github.log.filter((entry) => entry.method === 'GET' && decodeURIComponent(entry.path).endsWith(`/repos/${REPOSITORY}/contents/${CONFIG_PATH}`))
  expect(reads.length).toBeGreaterThan(0)
  expect(reads.every((entry) => entry.status === 200 && typeof entry.responseBody === 'string')).toBe(true)
})

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
