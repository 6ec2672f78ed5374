/**
 * Which listed token is the value in hand? Neither Jira's PAT list nor the
 * Atlassian admin API shows values, so the value is matched by its use: the
 * owner's only token, or else the only one whose last use moved between two
 * observations that each used the value. Anything ambiguous (another token
 * used at the same moment, a Jira that records last use coarsely) stays
 * unmatched rather than guessed: a wrong match would revoke the wrong token.
 */
import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'

export interface ListedToken {
  id: string
  lastUsedAt: string | undefined
}

/** Long enough for a millisecond clock to move between the two uses. */
const PAUSE_BETWEEN_OBSERVATIONS_MS = 25

/** `useThenList` uses the value (so Jira records the use) and lists the owner's tokens. */
export async function identifyUsedToken<T extends ListedToken>(useThenList: () => Promise<T[]>): Promise<T | undefined> {
  const before = await useThenList()
  if (before.length === 1) return before[0]
  await sleep(PAUSE_BETWEEN_OBSERVATIONS_MS)
  const after = await useThenList()
  const earlier = new Map(before.map((token) => [token.id, timeOf(token.lastUsedAt)]))
  const moved = after.filter((token) => timeOf(token.lastUsedAt) > (earlier.get(token.id) ?? Number.NEGATIVE_INFINITY))
  return moved.length === 1 ? moved[0] : undefined
}

const timeOf = (text: string | undefined) => (text === undefined ? Number.NEGATIVE_INFINITY : Date.parse(text))

/**
 * A record's fingerprint when its value was never seen (a token found by
 * listing, after a run died between minting and saving): a stable name
 * derived from the provider and the token id, never from a value, so it
 * cannot collide with a real fingerprint in practice.
 */
export function unseenCredentialFingerprint(provider: string, id: string): string {
  return createHash('sha256').update(`jira-warden:unseen:${provider}:${id}`, 'utf8').digest('hex').slice(0, 12)
}

/** Jira writes `2026-08-14T11:32:13.000+0000`; records carry ISO 8601. */
export function isoTimestamp(text: string | undefined): string | undefined {
  if (text === undefined) return undefined
  const time = Date.parse(text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'))
  return Number.isNaN(time) ? undefined : new Date(time).toISOString()
}
