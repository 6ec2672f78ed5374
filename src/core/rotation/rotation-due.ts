/** When `auto` rotates: a credential older than the period, or expiring within the margin. */
import type { RotationPolicy } from './rotation-events.ts'
import type { StoredCredential } from './rotation-state.ts'

const DAY_MS = 86_400_000

export function rotationDueReason(current: StoredCredential | undefined, policy: RotationPolicy, now: Date): string | undefined {
  if (!current) return undefined
  if (current.expiresAt !== undefined) {
    const left = Date.parse(current.expiresAt) - now.getTime()
    if (left <= 0) return `it expired on ${current.expiresAt}`
    if (left <= policy.expiryMarginMs) return `it expires in ${describeSpan(left)} (${current.expiresAt})`
  }
  const born = current.createdAt ?? current.firstSeenAt
  if (born !== undefined) {
    const age = now.getTime() - Date.parse(born)
    if (age >= policy.periodMs) return `it is ${describeSpan(age)} old, past the ${describeSpan(policy.periodMs)} period`
  }
  return undefined
}

export function describeSpan(ms: number): string {
  if (ms >= 2 * DAY_MS) return `${Math.floor(ms / DAY_MS)} days`
  if (ms >= 2 * 3_600_000) return `${Math.floor(ms / 3_600_000)} hours`
  return `${Math.max(0, Math.floor(ms / 60_000))} minutes`
}

export function ageOf(credential: StoredCredential | undefined, now: Date): string | undefined {
  const born = credential?.createdAt ?? credential?.firstSeenAt
  return born === undefined ? undefined : describeSpan(now.getTime() - Date.parse(born))
}
