/** The action's figures against its goals: requests = 1 + N, wall ≤ 1.5 × floor, cold start ≤ 150 ms, peak RSS ≤ 100 MB at 200 keys. */
import type { ActionCase, ActionMeasurement } from './action-bench.ts'
import { informative, judged, mb, median, ms, ratio, type BenchRow } from './bench-row.ts'

export const COLD_START_GOAL_MS = 150
export const WALL_FLOOR_GOAL = 1.5
export const PEAK_RSS_GOAL_BYTES = 100_000_000
export const PEAK_RSS_GOAL_KEYS = 200

export interface ActionFigures {
  label: string
  keys: number
  requests: number
  wallMs: number
  lifetimeMs: number
  cpuMs: number
  floorMs: number
  roundTrips: number
  maxRssBytes: number
  limitHits: number
}

/** Medians over a case's runs; requests and limit hits at their worst. */
export function figuresOf(actionCase: ActionCase): ActionFigures {
  const { samples } = actionCase
  return {
    label: actionCase.label,
    keys: actionCase.keys,
    requests: Math.max(...samples.map((sample) => sample.jiraRequests)),
    wallMs: median(samples.map((sample) => sample.wallMs)),
    lifetimeMs: median(samples.map((sample) => sample.lifetimeMs)),
    cpuMs: median(samples.map((sample) => sample.cpuMs)),
    floorMs: actionCase.floor.floorMs,
    roundTrips: actionCase.floor.roundTrips,
    maxRssBytes: Math.max(...samples.map((sample) => sample.maxRssBytes)),
    limitHits: samples.reduce((sum, sample) => sum + sample.limitHits, 0),
  }
}

export function actionRows(measurement: ActionMeasurement): BenchRow[] {
  const cold = figuresOf(measurement.coldStart)
  const rows: BenchRow[] = [
    judged(
      { section: 'action', measure: 'cold start: spawn to exit, no keys', value: cold.wallMs, unit: 'ms', shown: ms(cold.wallMs), goal: `≤ ${COLD_START_GOAL_MS} ms`, note: `CPU ${ms(cold.cpuMs)}; peak RSS ${mb(cold.maxRssBytes)}; ${measurement.coldStart.samples.length} runs, median` },
      cold.wallMs <= COLD_START_GOAL_MS,
    ),
  ]
  for (const actionCase of measurement.cases) rows.push(...caseRows(figuresOf(actionCase), cold.wallMs, actionCase))
  const hits = [measurement.coldStart, ...measurement.cases].flatMap((actionCase) => actionCase.samples).reduce((sum, sample) => sum + sample.limitHits, 0)
  rows.push(judged({ section: 'action', measure: 'rate-limit answers met, all runs', value: hits, unit: 'count', shown: String(hits), goal: '0', note: 'Jira 429s and GitHub rate-limit 403/429s in the sandbox logs' }, hits === 0))
  return rows
}

function caseRows(figures: ActionFigures, coldStartMs: number, actionCase: ActionCase): BenchRow[] {
  const { keys } = figures
  const budget = keys === 0 ? 0 : 1 + keys
  const wallGoalMs = WALL_FLOOR_GOAL * figures.floorMs
  const afterStart = figures.wallMs - coldStartMs
  const rows: BenchRow[] = [
    judged(
      {
        section: 'action',
        measure: `${figures.label}: Jira requests`,
        value: figures.requests,
        unit: 'requests',
        shown: keys === 0 ? String(figures.requests) : `${figures.requests} (${(figures.requests / (1 + keys)).toFixed(3)} × (1 + N))`,
        goal: keys === 0 ? '0' : `≤ 1 + N = ${budget}`,
        ...(figures.requests > budget ? { note: `${figures.requests - budget} more than the budget: a search page more, or a re-read` } : {}),
      },
      figures.requests <= budget,
    ),
    judged(
      {
        section: 'action',
        measure: `${figures.label}: wall time`,
        value: figures.wallMs,
        unit: 'ms',
        shown: `${ms(figures.wallMs)} = ${ratio(figures.wallMs / figures.floorMs)} floor`,
        goal: `≤ ${WALL_FLOOR_GOAL} × floor ${ms(figures.floorMs)} = ${ms(wallGoalMs)}`,
        note: `floor: ${describeFloor(actionCase)}; less the cold start: ${ms(afterStart)} = ${ratio(afterStart / figures.floorMs)} floor; ${spread(actionCase)}; CPU ${ms(figures.cpuMs)}`,
      },
      figures.wallMs <= wallGoalMs,
    ),
  ]
  const rss = { section: 'action' as const, measure: `${figures.label}: peak RSS`, value: figures.maxRssBytes, unit: 'bytes', shown: mb(figures.maxRssBytes) }
  rows.push(keys === PEAK_RSS_GOAL_KEYS ? judged({ ...rss, goal: `≤ ${mb(PEAK_RSS_GOAL_BYTES)}` }, figures.maxRssBytes <= PEAK_RSS_GOAL_BYTES) : informative(rss))
  return rows
}

/** The runs' range: a wide one means other work on the machine took the CPU during some of them. */
function spread(actionCase: ActionCase): string {
  const walls = actionCase.samples.map((sample) => sample.wallMs)
  return `${walls.length} runs, ${ms(Math.min(...walls))}–${ms(Math.max(...walls))}`
}

function describeFloor(actionCase: ActionCase): string {
  const { githubReads, jiraReads, writeRounds, auditWrites, roundTrips } = actionCase.floor
  const parts = [
    githubReads ? `${githubReads} commits read` : '',
    jiraReads ? `${jiraReads} search` : '',
    writeRounds ? `${writeRounds} write round${writeRounds === 1 ? '' : 's'} of ≤ 4` : '',
    auditWrites ? `${auditWrites} audit` : '',
  ].filter(Boolean)
  return `${roundTrips} round trip${roundTrips === 1 ? '' : 's'} (${parts.join(' + ')})`
}
