// cloud-api-token against the Cloud sandbox: assisted minting, describe and revoke through the org admin API or by instructions, real verification, leak scan on error paths.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCredentialProvider } from '../../src/adapters/providers/create-credential-provider.ts'
import { MintingNotAvailable } from '../../src/adapters/providers/minting-not-available.ts'
import type { ProviderSettings } from '../../src/adapters/providers/provider-settings.ts'
import { AuthenticationError, ConfigurationError, TransientError } from '../../src/core/errors.ts'
import { fingerprintOf } from '../../src/core/fingerprint.ts'
import { startJiraSandbox, type JiraSandbox } from '../../sandbox/jira/jira-sandbox.ts'
import { expectNoLeaks } from '../support/leak-scan.ts'
import { outcomeOf } from './provider-outcome.ts'

const DAY_MS = 24 * 3600 * 1000
const FAST_RETRY = { attempts: 2, maxWaitMs: 10, baseDelayMs: 1 }
const requirements = { projects: ['PROJ', 'OPS'], targetStatuses: ['In Progress', 'Done'], comments: false }

describe('cloud-api-token provider', () => {
  let jira: JiraSandbox
  let adminKey: string
  const settings = (overrides: Partial<ProviderSettings> = {}): ProviderSettings => ({
    provider: 'cloud-api-token',
    jiraUrl: new URL(jira.url),
    requirements,
    email: 'demo@example.com',
    adminKey,
    orgId: jira.orgId,
    timeoutMs: 2_000,
    retry: FAST_RETRY,
    ...overrides,
  })
  const demoTokenId = (label: string) => jira.apiTokens(jira.user('demo')).find((token) => token.label === label)!.id

  beforeAll(async () => {
    jira = await startJiraSandbox()
    adminKey = jira.issueAdminKey()
  })
  afterAll(() => jira.close())

  it('cannot mint: a typed error says a person creates the token at id.atlassian.com', async () => {
    const provider = createCredentialProvider(settings())
    expect(provider.minting).toBe('assisted')
    const minted = await outcomeOf(provider.mint({ rotationId: 'r-1', expirationDays: 90 }))
    expect(minted.error).toBeInstanceOf(MintingNotAvailable)
    expect(minted.error?.message).toContain('https://id.atlassian.com/manage-profile/security/api-tokens')
    expect(minted.error?.message).toContain('next-credential')
  })

  it('describes a token through the admin API: id, label, created and expiry of the one in hand among the owner\'s tokens', async () => {
    const expiresAt = new Date(Date.now() + 200 * DAY_MS)
    const token = jira.issueApiToken(jira.user('demo'), { label: 'ci', expiresAt })
    const laptop = jira.issueApiToken(jira.user('demo'), { label: 'laptop' })
    const held = jira.apiTokens(jira.user('demo')).find((entry) => entry.label === 'ci')!
    expect(await createCredentialProvider(settings()).describe(token)).toEqual({
      fingerprint: fingerprintOf(token),
      id: held.id,
      name: 'ci',
      createdAt: held.createdAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
    })
    expect((await createCredentialProvider(settings()).describe(laptop)).id).toBe(demoTokenId('laptop'))
  })

  it('describes by fingerprint only without an admin key', async () => {
    const token = jira.issueApiToken(jira.user('demo'))
    expect(await createCredentialProvider(settings({ adminKey: undefined })).describe(token)).toEqual({ fingerprint: fingerprintOf(token) })
  })

  it('verifies a token with every check, then revokes it through the admin API: Jira refuses it with 401 and verification fails', async () => {
    const provider = createCredentialProvider(settings())
    const token = jira.issueApiToken(jira.user('demo'), { label: 'to rotate out' })
    const verified = await provider.verify(token)
    expect(verified).toMatchObject({ ok: true, identity: 'Demo User' })
    expect(verified.checks.every((check) => check.ok)).toBe(true)

    const record = await provider.describe(token)
    expect(record.id).toBe(demoTokenId('to rotate out'))
    expect(await provider.revoke(record)).toEqual({ revoked: true })
    expect(jira.credentialState(token)).toBe('revoked')
    const me = await fetch(`${jira.url}/rest/api/3/myself`, { headers: { authorization: `Basic ${Buffer.from(`demo@example.com:${token}`).toString('base64')}` } })
    expect(me.status).toBe(401)

    const refused = await outcomeOf(provider.verify(token))
    expect(refused.result).toMatchObject({ ok: false, checks: [{ name: 'credential', ok: false }] })
    expect(await provider.revoke(record)).toEqual({ revoked: false, reason: 'already-gone' })
    expectNoLeaks(refused.written, [{ secret: token, user: 'demo@example.com' }, { secret: adminKey }])
  })

  it('without an admin key, revoking answers with instructions naming the token and where to revoke it', async () => {
    const token = jira.issueApiToken(jira.user('demo'), { label: 'manual' })
    const provider = createCredentialProvider(settings({ adminKey: undefined }))
    const outcome = await provider.revoke({ fingerprint: fingerprintOf(token), name: 'manual', createdAt: '2026-01-01T00:00:00.000Z' })
    expect(outcome).toMatchObject({ revoked: false, reason: 'manual' })
    const instructions = (outcome as { instructions: string }).instructions
    expect(instructions).toContain(fingerprintOf(token))
    expect(instructions).toContain("labelled 'manual'")
    expect(instructions).toContain('https://id.atlassian.com/manage-profile/security/api-tokens')
    expect(jira.credentialState(token)).toBe('live')
    expectNoLeaks([instructions], [{ secret: token, user: 'demo@example.com' }])
  })

  it('fails verification of a token whose user may not transition, naming the project and the permission', async () => {
    const viewer = jira.issueApiToken(jira.user('viewer'))
    const verification = await createCredentialProvider(settings({ email: 'viewer@example.com' })).verify(viewer)
    expect(verification.ok).toBe(false)
    const failed = verification.checks.filter((check) => !check.ok)
    expect(failed.map((check) => check.name)).toEqual(['project PROJ', 'project OPS'])
    expect(failed.every((check) => check.detail.includes('TRANSITION_ISSUES'))).toBe(true)
    expectNoLeaks([JSON.stringify(verification)], [{ secret: viewer, user: 'viewer@example.com' }])
  })

  it('verifies a scoped token through the gateway URL', async () => {
    const scoped = jira.issueApiToken(jira.user('demo'), { scoped: true })
    const verification = await createCredentialProvider(settings({ jiraUrl: new URL(jira.gatewayUrl) })).verify(scoped)
    expect(verification.ok).toBe(true)
  })

  it('says the admin key is refused when it is revoked, and revokes nothing', async () => {
    const revokedKey = jira.issueAdminKey()
    jira.revoke(revokedKey)
    const token = jira.issueApiToken(jira.user('demo'), { label: 'kept' })
    const provider = createCredentialProvider(settings({ adminKey: revokedKey }))
    const outcome = await outcomeOf(provider.revoke({ fingerprint: fingerprintOf(token), id: demoTokenId('kept') }))
    expect(outcome.error).toBeInstanceOf(AuthenticationError)
    expect(outcome.error?.message).toContain('organization admin API key')
    expect(jira.credentialState(token)).toBe('live')
    expectNoLeaks(outcome.written, [{ secret: revokedKey }, { secret: token, user: 'demo@example.com' }])
  })

  it('turns an admin API that fails or drops into a transient error, and revokes nothing', async () => {
    const token = jira.issueApiToken(jira.user('demo'), { label: 'flaky' })
    const record = { fingerprint: fingerprintOf(token), id: demoTokenId('flaky') }
    for (const fault of [{ kind: 'status' as const, status: 503 }, { kind: 'drop' as const }]) {
      jira.inject({ path: /^\/admin\//, ...fault })
      const outcome = await outcomeOf(createCredentialProvider(settings()).revoke(record))
      expect(outcome.error).toBeInstanceOf(TransientError)
      expect(jira.credentialState(token)).toBe('live')
      expectNoLeaks(outcome.written, [{ secret: adminKey }, { secret: token, user: 'demo@example.com' }])
    }
  })

  it('needs the account email, and the organization id with an admin key', () => {
    expect(() => createCredentialProvider(settings({ email: undefined }))).toThrow(ConfigurationError)
    expect(() => createCredentialProvider(settings({ orgId: undefined }))).toThrow(ConfigurationError)
  })
})
