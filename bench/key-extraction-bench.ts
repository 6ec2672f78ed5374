/**
 * extractIssueKeys (src/core/issue-keys.ts) in this process: throughput on
 * text shaped like a real pull request, and time on adversarial text at
 * doubling sizes, where linear time shows as ×2 per doubling.
 */
import { extractIssueKeys, type KeySourceText } from '../src/core/issue-keys.ts'
import { informative, judged, ms, type BenchRow } from './bench-row.ts'

export interface AdversarialShape {
  name: string
  /** Text of exactly `length` UTF-16 units. */
  make(length: number): string
}

export interface ShapeTiming {
  shape: string
  /** Size in MiB → the fastest run's time in ms. */
  timings: Array<{ mebibytes: number; ms: number }>
  /** How much the time grows when the text doubles, fitted over every size (2 for linear time). */
  doublingFactor: number
}

export interface KeyExtractionMeasurement {
  realistic: { bytes: number; keysFound: number; callsPerSecond: number; megabytesPerSecond: number }
  adversarial: ShapeTiming[]
}

const OPTIONS = { projects: ['PROJ', 'OPS'], max: 100 }

const fill = (unit: string, length: number): string => unit.repeat(Math.ceil(length / unit.length)).slice(0, length)

export const ADVERSARIAL_SHAPES: readonly AdversarialShape[] = [
  { name: 'keys back to back', make: (length) => fill(Array.from({ length: 5000 }, (_, i) => `PROJ-${i + 1} `).join(''), length) },
  { name: 'one 1 MiB word, then -1', make: (length) => `${'A'.repeat(length - 2)}-1` },
  { name: 'A_A_A_… word, then -1', make: (length) => `${fill('A_', length - 2)}-1` },
  { name: 'AB-AB-AB-… chains', make: (length) => fill('AB-', length) },
  { name: 'PROJ-1-1-1-… identifiers', make: (length) => fill('PROJ-1', 6) + fill('-1', length - 6) },
  { name: 'PROJ-999… (long number)', make: (length) => `PROJ-${'9'.repeat(length - 5)}` },
  { name: 'look-alikes, zero-width', make: (length) => fill('ＰROJ-1 PROJ\u200B-1 𝐀PROJ-1 РROJ-2 ', length) },
]

/** A pull request as people write them: title, branch, a Markdown body with links and code, thirty commits. */
export function realisticSources(): KeySourceText[] {
  const body = [
    '## What', 'Fixes PROJ-128 and the follow-up OPS-41: the login page times out under load (see SHA-256 note and UTF-8 handling).',
    '## How', '```ts', 'const key = `${project}-${number}` // not a key: template', '```',
    'Links: https://acme.atlassian.net/browse/PROJ-128, https://github.com/acme/shop/pull/7, CVE-2024-1234 is unrelated.',
    '## Checklist', '- [x] tests (PROJ-129)', '- [x] docs', '- [ ] ISO-8601 timestamps in the audit log',
  ].join('\n')
  const commits = Array.from({ length: 30 }, (_, index) =>
    `${index % 3 === 0 ? `PROJ-${130 + index}: ` : ''}Refactor the session store (step ${index + 1})\n\nCo-authored-by: Dev ${index} <dev${index}@example.com>\nMoves the retry into the transport; see OPS-${40 + (index % 5)}.`,
  )
  return [
    { source: 'title', text: 'PROJ-128 Login page times out under load' },
    { source: 'branch', text: 'feature/proj-128-login-timeout' },
    { source: 'body', text: body },
    ...commits.map((text) => ({ source: 'commits' as const, text })),
  ]
}

export function measureKeyExtraction(options: { sizesMiB: readonly number[]; repetitions: number; realisticCalls: number }): KeyExtractionMeasurement {
  const sources = realisticSources()
  const bytes = sources.reduce((sum, { text }) => sum + Buffer.byteLength(text), 0)
  const keysFound = extractIssueKeys(sources, OPTIONS).keys.length
  // Warm up to the optimising tier first; then a fixed count, timed in CPU time.
  for (let index = 0; index < 2_000; index += 1) extractIssueKeys(sources, OPTIONS)
  const calls = options.realisticCalls
  const cpuBefore = process.cpuUsage()
  for (let index = 0; index < calls; index += 1) extractIssueKeys(sources, OPTIONS)
  const cpu = process.cpuUsage(cpuBefore)
  // Per CPU second, so other work on the machine does not show as a slower scanner.
  const seconds = (cpu.user + cpu.system) / 1_000_000
  const realistic = { bytes, keysFound, callsPerSecond: calls / seconds, megabytesPerSecond: (calls * bytes) / seconds / 1_048_576 }

  const adversarial = ADVERSARIAL_SHAPES.map((shape) => {
    const texts = options.sizesMiB.map((mebibytes) => ({ mebibytes, text: flat(shape.make(Math.round(mebibytes * 1_048_576))) }))
    // Warm the scanner up on this shape at every size first, so no size pays for the JIT's tiers.
    for (const { text } of texts) timeOnce(text)
    const timings = texts.map(({ mebibytes, text }) => ({ mebibytes, ms: fastestRun(text, options.repetitions) }))
    return { shape: shape.name, timings, doublingFactor: 2 ** growthExponent(timings) }
  })
  return { realistic, adversarial }
}

/**
 * The fastest of at least `repetitions` runs, running on until 100 ms were
 * spent (at most 200 runs): the fastest run is the scanner's own cost, slower
 * ones met a GC pause or other work on the machine.
 */
function fastestRun(text: string, repetitions: number): number {
  let fastest = Number.POSITIVE_INFINITY
  let spent = 0
  for (let run = 0; run < 200 && (run < repetitions || spent < 100); run += 1) {
    const ms = timeOnce(text)
    fastest = Math.min(fastest, ms)
    spent += ms
  }
  return fastest
}

/** k in time ∝ size^k, by least squares over every size on log–log axes: 1 is linear, 2 quadratic. */
export function growthExponent(timings: ReadonlyArray<{ mebibytes: number; ms: number }>): number {
  const points = timings.map((timing) => ({ x: Math.log2(timing.mebibytes), y: Math.log2(timing.ms) }))
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / points.length
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / points.length
  const covariance = points.reduce((sum, point) => sum + (point.x - meanX) * (point.y - meanY), 0)
  const variance = points.reduce((sum, point) => sum + (point.x - meanX) ** 2, 0)
  return variance === 0 ? Number.NaN : covariance / variance
}

/** A string built by repeat and slice is a rope; flattening it first keeps that one-off cost out of the timing. */
function flat(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le')
}

/** CPU time of one extraction, in ms: unlike wall time, it does not count the time other processes on the machine had the CPU. */
function timeOnce(text: string): number {
  const started = process.cpuUsage()
  extractIssueKeys([{ source: 'body', text }], OPTIONS)
  const spent = process.cpuUsage(started)
  return (spent.user + spent.system) / 1000
}

/** Linear time: doubling the text at most this much more than doubles the time (noise allowed for). */
export const LINEAR_DOUBLING_GOAL = 2.5

export function keyExtractionRows(measurement: KeyExtractionMeasurement): BenchRow[] {
  const { realistic } = measurement
  const rows: BenchRow[] = [
    informative({
      section: 'key extraction',
      measure: 'realistic pull request',
      note: `${(realistic.bytes / 1024).toFixed(1)} KiB: title, branch, Markdown body, 30 commits; ${realistic.keysFound} keys`,
      value: realistic.megabytesPerSecond,
      unit: 'MB/s',
      shown: `${realistic.megabytesPerSecond.toFixed(0)} MB/s, ${Math.round(realistic.callsPerSecond).toLocaleString('en')} PRs/s`,
    }),
  ]
  for (const shape of measurement.adversarial) {
    const oneMiB = shape.timings.find((timing) => timing.mebibytes === 1)
    const sizes = shape.timings.map((timing) => `${timing.mebibytes} MiB ${ms(timing.ms)}`).join(', ')
    rows.push(
      judged(
        {
          section: 'key extraction',
          measure: `1 MiB adversarial: ${shape.shape}`,
          value: shape.doublingFactor,
          unit: '× per doubling',
          shown: `${oneMiB ? ms(oneMiB.ms) : '?'}; ×${shape.doublingFactor.toFixed(2)} per doubling`,
          goal: `linear (≤ ×${LINEAR_DOUBLING_GOAL})`,
          note: sizes,
        },
        shape.doublingFactor <= LINEAR_DOUBLING_GOAL,
      ),
    )
  }
  return rows
}
