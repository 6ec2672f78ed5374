// The bench's arithmetic and reports: the round-trip floor, goals judged met or missed, and the outputs people read.
import { describe, expect, test } from 'vitest'
import { keysFor, measureAction, roundTripFloor, type ActionCase, type ActionMeasurement } from '../../bench/action-bench.ts'
import { actionRows, figuresOf } from '../../bench/action-rows.ts'
import { parseBenchOptions } from '../../bench/bench-options.ts'
import { median, percentile } from '../../bench/bench-row.ts'
import { markdownTable, terminalTable } from '../../bench/results-table.ts'
import { wallTimeChart } from '../../bench/wall-time-chart.ts'

const sample = (wallMs: number, jiraRequests: number, maxRssBytes = 80_000_000) => ({ wallMs, lifetimeMs: wallMs - 10, cpuMs: wallMs / 2, maxRssBytes, jiraRequests, githubRequests: 2, limitHits: 0 })

function caseOf(keys: number, wallMs: number, requests: number, maxRssBytes?: number): ActionCase {
  return { label: `${keys} keys`, keys, floor: roundTripFloor(keys, 40), samples: [sample(wallMs, requests, maxRssBytes)] }
}

describe('the round-trip floor', () => {
  test.each([
    [1, 3, 120],
    [10, 5, 200],
    [50, 15, 600],
    [200, 52, 2080],
  ])('%i keys: one search, a write round per 4, the audit comment', (keys, roundTrips, floorMs) => {
    const floor = roundTripFloor(keys, 40)
    expect(floor.roundTrips).toBe(roundTrips)
    expect(floor.floorMs).toBe(floorMs)
  })

  test('no keys cost nothing but the commit read when keys come from commits', () => {
    expect(roundTripFloor(0, 40).floorMs).toBe(0)
    expect(roundTripFloor(0, 40, 1).floorMs).toBe(40)
  })

  test('200 keys spread over both seeded projects without repeating', () => {
    const keys = keysFor(200)
    expect(new Set(keys).size).toBe(200)
    expect(keys.filter((key) => key.startsWith('PROJ-'))).toHaveLength(100)
    expect(keys).toContain('OPS-100')
  })
})

describe('goals judged', () => {
  const measurement: ActionMeasurement = {
    latencyMs: 40,
    coldStart: { label: 'cold start', keys: 0, floor: roundTripFloor(0, 40), samples: [sample(120, 0), sample(140, 0), sample(130, 0)] },
    cases: [caseOf(1, 300, 2), caseOf(200, 2400, 202, 120_000_000)],
  }
  const rows = actionRows(measurement)
  const verdictOf = (pattern: RegExp) => rows.find((row) => pattern.test(row.measure))?.verdict

  test('cold start is the median of its runs against 150 ms', () => {
    expect(figuresOf(measurement.coldStart).wallMs).toBe(130)
    expect(verdictOf(/cold start/)).toBe('met')
  })

  test('wall time against 1.5 × floor; requests against 1 + N; peak RSS at 200 keys against 100 MB', () => {
    expect(verdictOf(/^1 keys: wall time/)).toBe('missed')
    expect(verdictOf(/^200 keys: wall time/)).toBe('met')
    expect(verdictOf(/^1 keys: Jira requests/)).toBe('met')
    expect(verdictOf(/^200 keys: Jira requests/)).toBe('missed')
    expect(verdictOf(/^200 keys: peak RSS/)).toBe('missed')
    expect(verdictOf(/^1 keys: peak RSS/)).toBe('info')
  })

  test('the table and the Markdown carry every row with its goal and verdict', () => {
    const text = terminalTable(rows)
    const markdown = markdownTable(rows)
    for (const row of rows) {
      expect(text).toContain(row.measure)
      expect(markdown).toContain(row.shown.replace(/\|/g, '\\|'))
    }
    expect(text).toMatch(/MISSED/)
    expect(markdown).toMatch(/\*\*missed\*\*/)
  })

  test('the chart draws wall time, the goal, floor + cold start and the floor, one point per key count', () => {
    const svg = wallTimeChart(measurement.cases.map(figuresOf), 130, 40)
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true)
    expect(svg.match(/<polyline /g)).toHaveLength(4)
    expect(svg.match(/<circle /g)).toHaveLength(8)
    expect(svg).toContain('round-trip floor')
  })
})

describe('options', () => {
  test('the full run writes, the quick run only prints unless told', () => {
    expect(parseBenchOptions([])).toEqual({ quick: false, latencyMs: 40, write: true, help: false })
    expect(parseBenchOptions(['--quick'])).toMatchObject({ quick: true, write: false })
    expect(parseBenchOptions(['--quick', '--write', '--latency=5'])).toMatchObject({ quick: true, write: true, latencyMs: 5 })
    expect(parseBenchOptions(['--latency', '0']).latencyMs).toBe(0)
  })

  test('a bad latency or an unknown option is refused with the fix', () => {
    expect(() => parseBenchOptions(['--latency', 'fast'])).toThrow(/--latency takes whole milliseconds/)
    expect(() => parseBenchOptions(['--fast'])).toThrow(/unknown option '--fast'/)
  })
})

test('percentiles and medians', () => {
  const values = Array.from({ length: 100 }, (_, index) => index + 1)
  expect(percentile(values, 0.99)).toBe(99)
  expect(percentile(values, 0.5)).toBe(50)
  expect(median([3, 1, 2])).toBe(2)
  expect(median([4, 1, 2, 3])).toBe(2.5)
})

test('the built action on the sandboxes: one search and one write for one key, its own peak RSS reported', async () => {
  const measurement = await measureAction({ latencyMs: 0, keyCounts: [1], repetitions: 1, coldStartRepetitions: 1 }, () => {})
  const [oneKey] = measurement.cases
  expect(oneKey?.samples[0]?.jiraRequests).toBe(2)
  expect(oneKey?.samples[0]?.githubRequests).toBe(2)
  expect(oneKey?.samples[0]?.maxRssBytes).toBeGreaterThan(20_000_000)
  expect(measurement.coldStart.samples[0]?.jiraRequests).toBe(0)
})
