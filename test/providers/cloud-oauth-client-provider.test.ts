// cloud-oauth-client against the Cloud sandbox: verification exchanges the secret and runs every check; a rotated-out secret fails; minting and revoking are a person's job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCredentialProvider } from '../../src/adapters/providers/create-credential-provider.ts'
import { MintingNotAvailable } from '../../src/adapters/providers/minting-not-available.ts'
import type { ProviderSettings } from '../../src/adapters/providers/provider-settings.ts'
import { ConfigurationError } from '../../src/core/errors.ts'
import { fingerprintOf } from '../../src/core/fingerprint.ts'
import { startJiraSandbox, type JiraSandbox } from '../../sandbox/jira/jira-sandbox.ts'
import { expectNoLeaks } from '../support/leak-scan.ts'
import { outcomeOf } from './provider-outcome.ts'

const requirements = { projects: ['PROJ', 'OPS'], targetStatuses: ['In Review', 'Done'], comments: true }

describe('cloud-oauth-client provider', () => {
  let jira: JiraSandbox
  const derived: string[] = []
  const settings = (clientId: string, overrides: Partial<ProviderSettings> = {}): ProviderSettings => ({
    provider: 'cloud-oauth-client',
    jiraUrl: new URL(jira.url),
    requirements,
    clientId,
    timeoutMs: 2_000,
    retry: { attempts: 2, maxWaitMs: 10, baseDelayMs: 1 },
    onSecret: (secret) => derived.push(secret),
    ...overrides,
  })

  beforeAll(async () => {
    jira = await startJiraSandbox()
  })
  afterAll(() => jira.close())

  it('exchanges the secret for an access token, hands the token to the host for masking, and runs every check with it', async () => {
    const client = jira.issueOAuthClient(jira.user('demo'))
    derived.length = 0
    const verification = await createCredentialProvider(settings(client.clientId)).verify(client.clientSecret)
    expect(verification).toMatchObject({ ok: true, identity: 'Demo User' })
    expect(derived).toHaveLength(1)
    expect(jira.credentialState(derived[0]!)).toBe('live')
    expect(jira.log.some((entry) => entry.path.startsWith('/ex/jira/') && entry.principal === 'demo (oauth)')).toBe(true)
    expectNoLeaks([JSON.stringify(verification)], [{ secret: client.clientSecret, user: client.clientId }, { secret: derived[0]! }])
  })

  it('fails verification of a secret an admin rotated out, naming the refused credential; the new secret passes', async () => {
    const client = jira.issueOAuthClient(jira.user('demo'))
    const provider = createCredentialProvider(settings(client.clientId))
    const rotated = jira.rotateOAuthClientSecret(client.clientId)
    const old = await outcomeOf(provider.verify(client.clientSecret))
    expect(old.result).toMatchObject({ ok: false, checks: [{ name: 'credential', ok: false, detail: expect.stringContaining('refused') }] })
    expect((await provider.verify(rotated)).ok).toBe(true)
    expectNoLeaks(old.written, [{ secret: client.clientSecret, user: client.clientId }, { secret: rotated, user: client.clientId }])
  })

  it('fails verification of a service account that may not transition or comment', async () => {
    const client = jira.issueOAuthClient(jira.user('viewer'))
    const verification = await createCredentialProvider(settings(client.clientId)).verify(client.clientSecret)
    expect(verification.ok).toBe(false)
    const failed = verification.checks.filter((check) => !check.ok)
    expect(failed.map((check) => check.name)).toEqual(['project PROJ', 'project OPS'])
    expect(failed[0]!.detail).toContain('TRANSITION_ISSUES, ADD_COMMENTS')
  })

  it('cannot mint or revoke by API: a typed error and instructions naming the fingerprint and the client', async () => {
    const client = jira.issueOAuthClient(jira.user('demo'))
    const provider = createCredentialProvider(settings(client.clientId))
    const minted = await outcomeOf(provider.mint({ rotationId: 'r-1', expirationDays: 90 }))
    expect(minted.error).toBeInstanceOf(MintingNotAvailable)
    expect(minted.error?.message).toContain(client.clientId)
    const record = await provider.describe(client.clientSecret)
    expect(record).toEqual({ fingerprint: fingerprintOf(client.clientSecret) })
    const revoked = await provider.revoke(record)
    expect(revoked).toMatchObject({ revoked: false, reason: 'manual', instructions: expect.stringContaining(record.fingerprint) })
    expect(jira.credentialState(client.clientSecret)).toBe('live')
    expect(await provider.listMinted()).toEqual([])
    expectNoLeaks([...minted.written, JSON.stringify(revoked)], [{ secret: client.clientSecret, user: client.clientId }])
  })

  it('needs the client id', () => {
    expect(() => createCredentialProvider({ provider: 'cloud-oauth-client', jiraUrl: new URL(jira.url), requirements })).toThrow(ConfigurationError)
  })
})
