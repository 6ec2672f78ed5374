// The rotation's GitHub adapters against the GitHub sandbox: sealed secrets per scope, the state variable, the git-ref lock.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createActionsSecretStore } from '../../src/adapters/github/actions-secret-store.ts'
import { createGitRefLock, LOCK_HOLDER_VARIABLE, lockRefName } from '../../src/adapters/github/git-ref-lock.ts'
import { createVariableStateStore } from '../../src/adapters/github/repository-variable.ts'
import { createRotationGitHubClient } from '../../src/adapters/github/rotation-github-client.ts'
import { startGitHubSandbox, type GitHubSandbox } from '../../sandbox/github/github-sandbox.ts'

const repository = { owner: 'acme', repo: 'shop' }
let github: GitHubSandbox
let token: string
const client = () => createRotationGitHubClient(token, github.url, { writeIntervalMs: 0, retryBaseMs: 1, timeoutMs: 2_000 })

beforeAll(async () => {
  github = await startGitHubSandbox()
  github.addRepository('acme/shop')
  github.addRepository('acme/web')
  github.addEnvironment('acme/shop', 'production')
  token = github.issueToken({
    repositories: ['acme/shop'],
    kind: 'installation',
    permissions: { secrets: 'write', environments: 'write', organization_secrets: 'write', actions_variables: 'write', contents: 'write', metadata: 'read' },
  })
})
afterAll(() => github.close())

describe('secret store', () => {
  test.each([
    ['repo', { kind: 'repo' as const }, { repo: 'acme/shop' }],
    ['environment', { kind: 'environment' as const, environment: 'production' }, { repo: 'acme/shop', environment: 'production' }],
    ['org', { kind: 'org' as const }, { org: 'acme' }],
  ])('%s: the sealed value decrypts to what was written, and updated_at moved', async (_name, scope, sandboxScope) => {
    const store = createActionsSecretStore(client(), repository, scope)
    const value = `pat-${crypto.randomUUID()}`
    const first = await store.write('JIRA_PAT', value)
    expect(github.secretValue(sandboxScope, 'JIRA_PAT')).toBe(value)
    const next = `pat-${crypto.randomUUID()}`
    const second = await store.write('JIRA_PAT', next)
    expect(github.secretValue(sandboxScope, 'JIRA_PAT')).toBe(next)
    expect(Date.parse(second.updatedAt)).toBeGreaterThan(Date.parse(first.updatedAt))
    expect(await store.describe('JIRA_PAT')).toEqual({ updatedAt: second.updatedAt })
    const requests = github.log.filter((entry) => entry.method === 'PUT' && entry.path.endsWith('/JIRA_PAT'))
    expect(JSON.stringify(requests.map((entry) => entry.requestBody))).not.toContain(next)
    await store.remove('JIRA_PAT')
    await store.remove('JIRA_PAT')
    expect(await store.describe('JIRA_PAT')).toBeUndefined()
  })

  test('an organization secret keeps its visibility and every selected repository', async () => {
    github.setSecret({ org: 'acme' }, 'SHARED_PAT', 'old-value', { visibility: 'selected', selectedRepositories: ['acme/shop', 'acme/web'] })
    await createActionsSecretStore(client(), repository, { kind: 'org' }).write('SHARED_PAT', 'new-value-123')
    expect(github.secret({ org: 'acme' }, 'SHARED_PAT')).toMatchObject({ visibility: 'selected', selectedRepositories: ['acme/shop', 'acme/web'] })
    expect(github.secretValue({ org: 'acme' }, 'SHARED_PAT')).toBe('new-value-123')
  })

  test('a token without the Secrets permission gets an error naming the permission, not a retry loop', async () => {
    const weak = github.issueToken({ repositories: ['acme/shop'], kind: 'installation', permissions: { issues: 'write', metadata: 'read' } })
    const store = createActionsSecretStore(createRotationGitHubClient(weak, github.url, { writeIntervalMs: 0, retryBaseMs: 1 }), repository, { kind: 'repo' })
    await expect(store.write('JIRA_PAT', 'x-value-123')).rejects.toThrow(/Secrets and Variables permissions/)
  })
})

test('state store: absent, created, updated', async () => {
  const state = createVariableStateStore(client(), repository, 'JIRA_WARDEN_STATE_TEST')
  expect(await state.load()).toBeUndefined()
  await state.save('{"v":1}')
  await state.save('{"v":1,"x":2}')
  expect(await state.load()).toBe('{"v":1,"x":2}')
  expect(github.variable({ repo: 'acme/shop' }, 'JIRA_WARDEN_STATE_TEST')?.value).toBe('{"v":1,"x":2}')
})

describe('git-ref lock', () => {
  const target = 'repo/LOCK_TEST'
  let now = new Date('2026-03-02T06:00:00Z')
  const lock = () => createGitRefLock(client(), repository, { target, staleAfterMs: 30 * 60_000, now: () => now })

  test('create acquires; a second acquire names the holder; release frees it', async () => {
    const first = { rotationId: '20260302T060000Z-aaaaaa', since: now.toISOString() }
    expect(await lock().acquire(first)).toEqual({ acquired: true })
    expect(github.ref('acme/shop', lockRefName(target))).toMatch(/^[0-9a-f]{40}$/)
    expect(await lock().acquire({ rotationId: '20260302T060001Z-bbbbbb', since: now.toISOString() })).toEqual({ acquired: false, holder: first })
    await lock().release(first)
    expect(github.ref('acme/shop', lockRefName(target))).toBeUndefined()
    expect(github.variable({ repo: 'acme/shop' }, LOCK_HOLDER_VARIABLE)).toBeUndefined()
  })

  test('a lock older than the stale timeout is broken and taken', async () => {
    const dead = { rotationId: '20260302T060000Z-cccccc', since: now.toISOString() }
    expect(await lock().acquire(dead)).toEqual({ acquired: true })
    now = new Date(now.getTime() + 31 * 60_000)
    const next = { rotationId: '20260302T063100Z-dddddd', since: now.toISOString() }
    expect(await lock().acquire(next)).toEqual({ acquired: true })
    expect(JSON.parse(github.variable({ repo: 'acme/shop' }, LOCK_HOLDER_VARIABLE)?.value ?? '{}')).toMatchObject(next)
    await lock().release(dead)
    expect(github.ref('acme/shop', lockRefName(target)), 'a stale holder cannot release the new holder’s lock').toBeDefined()
    await lock().release(next)
    expect(github.ref('acme/shop', lockRefName(target))).toBeUndefined()
  })
})
