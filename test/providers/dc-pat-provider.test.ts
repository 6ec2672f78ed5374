// dc-pat against the Data Center sandbox: mint, describe, verify, revoke and list, with faults and the leak scan on every error path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCredentialProvider } from '../../src/adapters/providers/create-credential-provider.ts'
import type { ProviderSettings } from '../../src/adapters/providers/provider-settings.ts'
import { AuthenticationError, ConfigurationError, PermissionError, TransientError } from '../../src/core/errors.ts'
import { fingerprintOf } from '../../src/core/fingerprint.ts'
import type { CredentialProvider } from '../../src/ports/rotation.ts'
import { startJiraSandbox, type JiraSandbox } from '../../sandbox/jira/jira-sandbox.ts'
import { expectNoLeaks } from '../support/leak-scan.ts'
import { outcomeOf } from './provider-outcome.ts'

const DAY_MS = 24 * 3600 * 1000
const FAST_RETRY = { attempts: 2, maxWaitMs: 10, baseDelayMs: 1 }
const requirements = { projects: ['PROJ', 'OPS'], targetStatuses: ['In Progress', 'Done'], comments: true }

describe('dc-pat provider', () => {
  let jira: JiraSandbox
  let current: string
  let provider: CredentialProvider
  const settings = (overrides: Partial<ProviderSettings> = {}): ProviderSettings => ({
    provider: 'dc-pat',
    jiraUrl: new URL(jira.url),
    requirements,
    currentCredential: current,
    timeoutMs: 2_000,
    retry: FAST_RETRY,
    ...overrides,
  })

  beforeAll(async () => {
    jira = await startJiraSandbox({ personality: 'data-center' })
    current = jira.issuePat(jira.user('demo'), { name: 'installed by hand', expiresAt: new Date(Date.now() + 40 * DAY_MS) }).token
    provider = createCredentialProvider(settings())
  })
  afterAll(() => jira.close())

  it('mints a PAT named after the rotation that Jira accepts, with its id and expiry on the record', async () => {
    const before = Date.now()
    const minted = await provider.mint({ rotationId: 'r-mint', expirationDays: 90 })
    expect(minted.record).toMatchObject({ name: 'jira-warden:r-mint', fingerprint: fingerprintOf(minted.value) })
    const held = jira.pats(jira.user('demo')).find((pat) => String(pat.id) === minted.record.id)
    expect(held?.name).toBe('jira-warden:r-mint')
    expect(Date.parse(minted.record.expiresAt!) - before).toBeGreaterThanOrEqual(90 * DAY_MS - 1000)
    expect(minted.record.expiresAt).toBe(held?.expiresAt?.toISOString())
    expect(jira.credentialState(minted.value)).toBe('live')

    const verification = await provider.verify(minted.value)
    expect(verification).toMatchObject({ ok: true, identity: 'Demo User' })
    expect(verification.checks.filter((check) => !check.ok)).toEqual([])
    expect(verification.checks.map((check) => check.name)).toEqual(expect.arrayContaining(['credential', 'project PROJ', 'project OPS']))
  })

  it('revokes a minted PAT: Jira treats it as anonymous afterwards, verification fails naming the credential, a second revoke finds it gone', async () => {
    const minted = await provider.mint({ rotationId: 'r-revoke', expirationDays: 30 })
    expect(await provider.revoke(minted.record)).toEqual({ revoked: true })
    expect(jira.credentialState(minted.value)).toBe('revoked')
    const me = await fetch(`${jira.url}/rest/api/2/myself`, { headers: { authorization: `Bearer ${minted.value}` } })
    expect(me.status).toBe(401)

    const verification = await outcomeOf(provider.verify(minted.value))
    expect(verification.result).toMatchObject({ ok: false, checks: [{ name: 'credential', ok: false, detail: expect.stringContaining('401') }] })
    expect(await provider.revoke(minted.record)).toEqual({ revoked: false, reason: 'already-gone' })
    expectNoLeaks(verification.written, [{ secret: minted.value }, { secret: current }])
  })

  it('describes a PAT it did not mint: the id, name and expiry of the one used, among several of the same owner', async () => {
    const other = jira.issuePat(jira.user('demo'), { name: 'laptop' })
    const described = await provider.describe(current)
    const held = jira.pats(jira.user('demo')).find((pat) => pat.name === 'installed by hand')!
    expect(described).toEqual({
      fingerprint: fingerprintOf(current),
      id: String(held.id),
      name: 'installed by hand',
      createdAt: held.createdAt.toISOString(),
      expiresAt: held.expiresAt!.toISOString(),
    })
    expect((await provider.describe(other.token)).id).toBe(String(other.id))
  })

  it('lists the PATs rotations minted, an orphan of a crashed run included, by their names', async () => {
    const orphan = await provider.mint({ rotationId: 'r-crashed', expirationDays: 7 })
    const minted = await provider.listMinted()
    expect(minted.map((record) => record.name)).toContain('jira-warden:r-crashed')
    expect(minted.every((record) => record.name?.startsWith('jira-warden:'))).toBe(true)
    const found = minted.find((record) => record.name === 'jira-warden:r-crashed')!
    expect(found.id).toBe(orphan.record.id)
    expect(found.fingerprint).toMatch(/^[0-9a-f]{12}$/)
    expect(found.fingerprint).not.toBe(orphan.record.fingerprint)
    expect(JSON.stringify(minted)).not.toContain(orphan.value)
    expect(await provider.revoke(found)).toEqual({ revoked: true })
    expect(jira.credentialState(orphan.value)).toBe('revoked')
  })

  it('fails verification of a PAT whose user may browse but not transition, naming the project and the permission', async () => {
    const viewer = jira.issuePat(jira.user('viewer')).token
    const verification = await provider.verify(viewer)
    expect(verification.ok).toBe(false)
    expect(verification.identity).toBe('Read Only Viewer')
    const failed = verification.checks.filter((check) => !check.ok)
    expect(failed.map((check) => check.name)).toEqual(['project PROJ', 'project OPS'])
    expect(failed[0]!.detail).toContain('TRANSITION_ISSUES')
    expectNoLeaks([JSON.stringify(verification)], [{ secret: viewer }])
  })

  it('fails verification naming a target status no workflow has', async () => {
    const strict = createCredentialProvider(settings({ requirements: { ...requirements, targetStatuses: ['Shipped'] } }))
    const verification = await strict.verify(current)
    expect(verification.ok).toBe(false)
    expect(verification.checks.find((check) => !check.ok)?.detail).toContain("status 'Shipped'")
  })

  it('refuses to describe a revoked PAT with an error naming its fingerprint, not its value', async () => {
    const revoked = jira.issuePat(jira.user('demo')).token
    jira.revoke(revoked)
    const described = await outcomeOf(provider.describe(revoked))
    expect(described.error).toBeInstanceOf(AuthenticationError)
    expect(described.error?.message).toContain(fingerprintOf(revoked))
    expectNoLeaks(described.written, [{ secret: revoked }, { secret: current }])
  })

  it('says the managing PAT is the problem when it is revoked, and mints nothing', async () => {
    const doomed = jira.issuePat(jira.user('demo')).token
    const managing = createCredentialProvider(settings({ currentCredential: doomed }))
    jira.revoke(doomed)
    const before = jira.pats(jira.user('demo')).length
    const minted = await outcomeOf(managing.mint({ rotationId: 'r-dead', expirationDays: 30 }))
    expect(minted.error).toBeInstanceOf(AuthenticationError)
    expect(minted.error?.message).toContain('current-credential')
    expect(jira.pats(jira.user('demo'))).toHaveLength(before)
    const revoked = await outcomeOf(managing.revoke({ fingerprint: 'abcdefabcdef', id: '1' }))
    expect(revoked.error).toBeInstanceOf(AuthenticationError)
    expectNoLeaks([...minted.written, ...revoked.written], [{ secret: doomed }, { secret: current }])
  })

  it('never retries a mint that failed on Jira\'s side: one POST, a transient error', async () => {
    jira.inject({ method: 'POST', path: '/rest/pat/latest/tokens', kind: 'status', status: 503 })
    const posts = () => jira.log.filter((entry) => entry.method === 'POST' && entry.path === '/rest/pat/latest/tokens').length
    const before = posts()
    const minted = await outcomeOf(provider.mint({ rotationId: 'r-503', expirationDays: 30 }))
    expect(minted.error).toBeInstanceOf(TransientError)
    expect(posts() - before).toBe(1)
    expectNoLeaks(minted.written, [{ secret: current }])
  })

  it('turns a mint that times out or drops into a transient error', async () => {
    for (const kind of ['timeout', 'drop'] as const) {
      jira.inject({ method: 'POST', path: '/rest/pat/latest/tokens', kind })
      const minted = await outcomeOf(createCredentialProvider(settings({ timeoutMs: 300 })).mint({ rotationId: `r-${kind}`, expirationDays: 30 }))
      expect(minted.error).toBeInstanceOf(TransientError)
      expectNoLeaks(minted.written, [{ secret: current }])
    }
  })

  it('answers a revoke of a record without an id with instructions instead of guessing', async () => {
    const deletes = () => jira.log.filter((entry) => entry.method === 'DELETE').length
    const before = deletes()
    const underContextPath = createCredentialProvider(settings({ jiraUrl: new URL(`${jira.url}/jira`) }))
    const outcome = await underContextPath.revoke({ fingerprint: 'abcdefabcdef', name: 'old' })
    expect(outcome).toMatchObject({ revoked: false, reason: 'manual', instructions: expect.stringContaining('abcdefabcdef') })
    expect((outcome as { instructions: string }).instructions).toContain(`${jira.url}/jira/secure/ViewProfile.jspa`)
    expect(deletes()).toBe(before)
  })

  it('needs the PAT the run holds', () => {
    expect(() => createCredentialProvider(settings({ currentCredential: undefined }))).toThrow(ConfigurationError)
  })
})

describe('dc-pat provider on a Jira that lets only passwords manage PATs', () => {
  it('explains the 403 and mints nothing', async () => {
    const jira = await startJiraSandbox({ personality: 'data-center', patEndpointsAcceptPat: false })
    try {
      const current = jira.issuePat(jira.user('demo')).token
      const provider = createCredentialProvider({ provider: 'dc-pat', jiraUrl: new URL(jira.url), requirements, currentCredential: current, retry: FAST_RETRY })
      const minted = await outcomeOf(provider.mint({ rotationId: 'r-403', expirationDays: 30 }))
      expect(minted.error).toBeInstanceOf(PermissionError)
      expect(minted.error?.message).toContain('create the PAT by hand')
      expect(jira.pats(jira.user('demo'))).toHaveLength(1)
      expectNoLeaks(minted.written, [{ secret: current }])
    } finally {
      await jira.close()
    }
  })
})
