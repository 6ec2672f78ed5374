/**
 * `npm run bench`: how close jira-warden is to the floor of its work, and
 * how its cost grows. Prints a table of figures with their goals and writes
 * bench/results.md, bench/results.json and bench/action-wall-time.svg.
 * `npm run bench -- --quick` runs a subset in under a minute.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { ACTION_ENTRY } from '../sandbox/actions-runner.ts'
import { measureAction } from './action-bench.ts'
import { actionRows, figuresOf } from './action-rows.ts'
import { parseBenchOptions, USAGE, type BenchOptions } from './bench-options.ts'
import type { BenchResults } from './bench-results.ts'
import type { BenchRow } from './bench-row.ts'
import { bundleRows, measureBundle } from './bundle-bench.ts'
import { bundlePartRows, measureBundleParts } from './bundle-parts.ts'
import { keyExtractionRows, measureKeyExtraction } from './key-extraction-bench.ts'
import { describeMachine } from './machine.ts'
import { resultsMarkdown } from './results-markdown.ts'
import { terminalTable } from './results-table.ts'
import { wallTimeChart } from './wall-time-chart.ts'
import { rotationRows } from './rotation-bench.ts'
import { serverHostRows } from './webhook-bench.ts'

const KEY_COUNTS = [0, 1, 10, 50, 200]

async function main(options: BenchOptions): Promise<void> {
  if (!existsSync(ACTION_ENTRY)) throw new Error('dist/index.js is missing: run `npm run build` first.')
  const started = performance.now()
  const machine = describeMachine()
  const progress = (line: string) => process.stderr.write(`  ${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s  ${line}\n`)
  const plan = {
    repetitions: options.quick ? 1 : 5,
    coldStartRepetitions: options.quick ? 3 : 15,
    keyRepetitions: options.quick ? 3 : 5,
  }
  process.stderr.write(`jira-warden bench${options.quick ? ' (quick)' : ''}: ${options.latencyMs} ms per request, Node ${machine.node}, ${machine.cpu} ×${machine.cores}\n`)

  const action = await measureAction({ latencyMs: options.latencyMs, keyCounts: KEY_COUNTS, repetitions: plan.repetitions, coldStartRepetitions: plan.coldStartRepetitions }, progress)
  const bundle = await measureBundle(plan.coldStartRepetitions)
  progress('bundle')
  // Rebuilds with ncc: the full run only.
  const bundleParts = options.quick ? undefined : await measureBundleParts(5, progress)
  const keyExtraction = measureKeyExtraction({ sizesMiB: options.quick ? [0.5, 1, 2] : [0.25, 0.5, 1, 2, 4], repetitions: plan.keyRepetitions, realisticCalls: options.quick ? 5_000 : 30_000 })
  progress('key extraction')
  const rotation = await rotationRows({ latencyMs: options.latencyMs, quick: options.quick, repositories: 200, parallelJobs: 8, clockScale: 240, singleRepetitions: options.quick ? 1 : 3, sharedUserRepositories: 40 }, progress)
  const server = await serverHostRows({ quick: options.quick, latencyMs: options.latencyMs, ratePerSecond: 200, durationSeconds: options.quick ? 5 : 20, commandShare: 0.02, replyWaitMs: options.quick ? 0 : 30_000 }, progress)

  const rows: BenchRow[] = [
    ...actionRows(action),
    ...bundleRows(bundle, figuresOf(action.coldStart).lifetimeMs),
    ...(bundleParts ? bundlePartRows(bundleParts, bundle.bytes) : []),
    ...keyExtractionRows(keyExtraction),
    ...rotation.rows,
    ...server.rows,
  ]
  const results: BenchResults = {
    date: new Date().toISOString(),
    quick: options.quick,
    latencyMs: options.latencyMs,
    durationMs: Math.round(performance.now() - started),
    ...plan,
    machine,
    loadAverageAtEnd: Number((loadavg()[0] ?? 0).toFixed(2)),
    rows,
    measurements: { action, bundle, bundleParts, keyExtraction, rotation: rotation.measurement, serverHost: server.measurement },
  }
  process.stdout.write(`${terminalTable(rows)}\n\n`)
  const missed = rows.filter((row) => row.verdict === 'missed').length
  process.stdout.write(`${rows.filter((row) => row.verdict === 'met').length} met, ${missed} missed, ${rows.filter((row) => row.verdict === 'not measured').length} not measured, in ${(results.durationMs / 1000).toFixed(0)} s\n`)
  if (options.write) writeResults(results, action)
  else process.stdout.write('Nothing written (quick run); the full run writes bench/results.md, bench/results.json and bench/action-wall-time.svg.\n')
}

function writeResults(results: BenchResults, action: BenchResults['measurements']['action'] & object): void {
  const here = (name: string) => fileURLToPath(new URL(name, import.meta.url))
  writeFileSync(here('results.json'), `${JSON.stringify(results, null, 2)}\n`)
  writeFileSync(here('results.md'), resultsMarkdown(results))
  writeFileSync(here('action-wall-time.svg'), wallTimeChart(action.cases.map(figuresOf), figuresOf(action.coldStart).wallMs, action.latencyMs))
  process.stdout.write('Wrote bench/results.md, bench/results.json and bench/action-wall-time.svg.\n')
}

try {
  const options = parseBenchOptions(process.argv.slice(2))
  if (options.help) process.stdout.write(`${USAGE}\n`)
  else await main(options)
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}
