// Matching a value to its listed token by use: only an unambiguous match counts.
import { describe, expect, it } from 'vitest'
import { identifyUsedToken, isoTimestamp, unseenCredentialFingerprint } from '../../src/adapters/providers/used-token-match.ts'

const token = (id: string, lastUsedAt?: string) => ({ id, lastUsedAt })
const observations = (...lists: Array<Array<ReturnType<typeof token>>>) => {
  let next = 0
  return () => Promise.resolve(lists[Math.min(next++, lists.length - 1)]!)
}

describe('identifyUsedToken', () => {
  it.each([
    ['the owner has one token', [[token('a')]], 'a'],
    ['only one last use moved', [[token('a', '2026-01-01T00:00:00Z'), token('b', '2026-01-01T00:00:05Z')], [token('a', '2026-01-01T00:01:00Z'), token('b', '2026-01-01T00:00:05Z')]], 'a'],
    ['a never-used token was used now', [[token('a'), token('b', '2026-01-01T00:00:05Z')], [token('a', '2026-01-01T00:01:00Z'), token('b', '2026-01-01T00:00:05Z')]], 'a'],
    ['two moved at once (another user of the account)', [[token('a', '2026-01-01T00:00:00Z'), token('b', '2026-01-01T00:00:00Z')], [token('a', '2026-01-01T00:01:00Z'), token('b', '2026-01-01T00:01:00Z')]], undefined],
    ['Jira did not record the use', [[token('a', '2026-01-01T00:00:00Z'), token('b')], [token('a', '2026-01-01T00:00:00Z'), token('b')]], undefined],
  ])('%s', async (_case, lists, expected) => {
    expect((await identifyUsedToken(observations(...lists)))?.id).toBe(expected)
  })
})

describe('record helpers', () => {
  it('reads Jira timestamps as ISO 8601 and ignores what is not a time', () => {
    expect(isoTimestamp('2026-08-14T11:32:13.000+0000')).toBe('2026-08-14T11:32:13.000Z')
    expect(isoTimestamp('2026-08-14T13:32:13.000+0200')).toBe('2026-08-14T11:32:13.000Z')
    expect(isoTimestamp('soon')).toBeUndefined()
  })

  it('names an unseen credential by provider and id, stably, as a fingerprint-shaped value', () => {
    expect(unseenCredentialFingerprint('dc-pat', '7')).toMatch(/^[0-9a-f]{12}$/)
    expect(unseenCredentialFingerprint('dc-pat', '7')).toBe(unseenCredentialFingerprint('dc-pat', '7'))
    expect(unseenCredentialFingerprint('dc-pat', '7')).not.toBe(unseenCredentialFingerprint('dc-pat', '8'))
  })
})
