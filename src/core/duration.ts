/** Durations in the config: a whole number and a unit, `30d`, `24h`, `90m`, `45s`, `2w`. */
import { ConfigurationError } from './errors.ts'

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
}

const DURATION = /^(\d{1,9})([smhdw])$/

/** Milliseconds in the duration; throws ConfigurationError naming the expected form. */
export function parseDuration(text: string): number {
  const milliseconds = durationMilliseconds(text)
  if (milliseconds === undefined) throw new ConfigurationError(durationProblem(text))
  return milliseconds
}

/** Milliseconds, or undefined when the text is not a duration greater than zero. */
export function durationMilliseconds(text: string): number | undefined {
  const match = DURATION.exec(text.trim())
  const amount = Number(match?.[1])
  const unit = UNIT_MS[match?.[2] ?? '']
  if (!match || unit === undefined || amount <= 0) return undefined
  return amount * unit
}

export function durationProblem(text: string): string {
  const shown = text.length > 20 ? `${text.slice(0, 20)}…` : text
  if (/^0+[smhdw]$/.test(text.trim())) return `'${shown}' is zero: a duration must be longer than that (e.g. 24h).`
  return `'${shown}' is not a duration: write a whole number and one unit, s, m, h, d or w (e.g. 30d, 24h, 2w).`
}
