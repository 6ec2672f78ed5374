// The jira-warden CLI (dist/cli/index.js, the package bin) against the Jira sandbox.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startJiraSandbox, type JiraSandbox } from '../../sandbox/jira/jira-sandbox.ts'
import { pullRequestPayload } from '../../sandbox/webhook-examples.ts'
import { expectNoLeaks } from '../support/leak-scan.ts'

const CLI = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url))
const BLOCK_NETWORK = fileURLToPath(new URL('../support/block-network.js', import.meta.url))
const CONFIG = `projects: [PROJ, OPS]
transitions:
  - { on: pull_request.opened, to: In Progress }
  - { on: pull_request.closed, if: merged, to: Done, fields: { resolution: Done } }
comment: "{{ event }}"
`

let jira: JiraSandbox
let dir: string
beforeEach(async () => {
  jira = await startJiraSandbox({ personality: 'cloud' })
  dir = mkdtempSync(join(tmpdir(), 'jira-warden-cli-'))
  writeFileSync(join(dir, 'jira-warden.yml'), CONFIG)
})
afterEach(async () => {
  await jira.close()
  rmSync(dir, { recursive: true, force: true })
})

function cli(args: string[], user = 'demo'): Promise<{ code: number; out: string; token: string; email: string }> {
  const account = jira.user(user)
  const token = jira.issueApiToken(account)
  const env = { PATH: process.env.PATH ?? '', NODE_OPTIONS: `--import ${BLOCK_NETWORK}`, JIRA_URL: jira.url, JIRA_EMAIL: account.email, JIRA_API_TOKEN: token }
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, cwd: dir }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}`, token, email: account.email })
    })
  })
}

describe('jira-warden doctor', () => {
  it('a credential that can do the work: ready, with least-privilege warnings', async () => {
    const result = await cli(['doctor', '--config', 'jira-warden.yml'])
    expect(result.code).toBe(0)
    expect(result.out).toContain('✓ credential: authenticated as Demo User')
    expect(result.out).toContain('✓ PROJ: may browse, transition and comment')
    expect(result.out).toContain("✓ OPS: status 'Done' is in the workflow")
    expect(result.out).toMatch(/! PROJ: holds ADMINISTER_PROJECTS, DELETE_ISSUES/)
    expect(result.out).toMatch(/Verdict: ready, with \d+ warning/)
    expectNoLeaks([result.out], [{ secret: result.token, user: result.email }])
  })

  it('a read-only credential: not ready, naming what it lacks per project', async () => {
    const result = await cli(['doctor', '--config', 'jira-warden.yml'], 'viewer')
    expect(result.code).toBe(1)
    expect(result.out).toContain('✗ PROJ: lacks TRANSITION_ISSUES, ADD_COMMENTS')
    expect(result.out).toContain('Verdict: not ready')
    expectNoLeaks([result.out], [{ secret: result.token, user: result.email }])
  })

  it('a target status no workflow has: named, with the statuses that exist', async () => {
    writeFileSync(join(dir, 'jira-warden.yml'), CONFIG.replace('to: In Progress', 'to: Shipped'))
    const result = await cli(['doctor', '--config', 'jira-warden.yml'])
    expect(result.code).toBe(1)
    expect(result.out).toContain("✗ PROJ: status 'Shipped' is not in this project's workflows (it has: ")
  })

  it('a revoked credential: says Jira refused it, and nothing else is tried', async () => {
    const account = jira.user('demo')
    const token = jira.issueApiToken(account)
    jira.revoke(token)
    const result = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(process.execPath, [CLI, 'doctor', '--config', 'jira-warden.yml'], { cwd: dir, env: { PATH: process.env.PATH ?? '', JIRA_URL: jira.url, JIRA_EMAIL: account.email, JIRA_API_TOKEN: token } }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` }),
      )
    })
    expect(result.code).toBe(1)
    expect(result.out).toMatch(/✗ credential: .*(refused|not accept)/i)
    expect(jira.log).toHaveLength(1)
    expectNoLeaks([result.out], [{ secret: token, user: account.email }])
  })
})

describe('jira-warden plan', () => {
  it('prints what an event would do and changes nothing', async () => {
    const event = pullRequestPayload('opened', { repository: 'acme/shop', number: 7, title: 'PROJ-1 and OPS-2', head: 'feature/PROJ-3' })
    writeFileSync(join(dir, 'event.json'), JSON.stringify(event))
    const result = await cli(['plan', '--event', 'event.json', '--config', 'jira-warden.yml'])
    expect(result.code).toBe(0)
    expect(result.out).toContain("pull_request.opened → 'In Progress' for PROJ-1, OPS-2, PROJ-3")
    expect(result.out).toContain("PROJ-1: To Do → In Progress: transition (via 'Start progress')")
    expect(result.out).toContain("OPS-2: To Do → In Progress: transition (via 'Begin work')")
    expect(jira.issue('PROJ-1').status).toBe('To Do')
    expect(jira.log.every((entry) => entry.method === 'GET' || entry.path.endsWith('/search/jql'))).toBe(true)
  })

  it('an unreadable event file: says what to give', async () => {
    writeFileSync(join(dir, 'event.json'), '{ not json')
    const result = await cli(['plan', '--event', 'event.json', '--config', 'jira-warden.yml'])
    expect(result.code).toBe(1)
    expect(result.out).toContain('Cannot read event.json as JSON')
  })
})
