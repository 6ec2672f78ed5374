/** One line of the bench's results: a figure, the goal beside it, and whether it was met. */

export type Verdict = 'met' | 'missed' | 'info' | 'not measured'

export interface BenchRow {
  section: 'action' | 'bundle' | 'key extraction' | 'rotation' | 'server host'
  measure: string
  /** The figure in `unit`; null when it was not measured. */
  value: number | null
  unit: string
  /** The figure as people read it, e.g. "212 ms". */
  shown: string
  goal: string
  verdict: Verdict
  /** Why a figure missed, or what it is made of. */
  note?: string
}

export function judged(row: Omit<BenchRow, 'verdict'>, met: boolean): BenchRow {
  return { ...row, verdict: met ? 'met' : 'missed' }
}

export function informative(row: Omit<BenchRow, 'verdict' | 'goal'>): BenchRow {
  return { ...row, goal: '—', verdict: 'info' }
}

export function notMeasured(section: BenchRow['section'], measure: string, goal: string, reason: string): BenchRow {
  return { section, measure, value: null, unit: '', shown: `not measured: ${reason}`, goal, verdict: 'not measured' }
}

export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

export function percentile(samples: readonly number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))
  return sorted[index] as number
}

export const ms = (value: number): string => (value >= 10 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`)
/** MB as the goals are judged: 10^6 bytes, strictly; MiB (2^20) where a row shows both. */
export const mb = (bytes: number): string => `${(bytes / 1_000_000).toFixed(1)} MB`
export const mib = (bytes: number): string => `${(bytes / 1_048_576).toFixed(2)} MiB`
export const ratio = (value: number): string => `${value.toFixed(2)}×`
