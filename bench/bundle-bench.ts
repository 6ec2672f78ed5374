/**
 * The action bundle: its size, and what loading it adds to a bare Node
 * start. Loading cannot be timed without running (the bundle's top level
 * runs the action), so it is told apart by difference: a no-op run of the
 * action (measured by action-bench.ts as the cold start) less a bare
 * `node -e ""`, with the parse alone (vm.SourceTextModule, nothing
 * evaluated) beside it.
 */
import { spawn } from 'node:child_process'
import { statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ACTION_ENTRY } from '../sandbox/actions-runner.ts'
import { informative, judged, mb, median, mib, ms, type BenchRow } from './bench-row.ts'

const VITALS_PRELOAD = fileURLToPath(new URL('./process-vitals-preload.js', import.meta.url))

export interface BundleMeasurement {
  path: string
  bytes: number
  /** Lifetime of `node -e ""` with the same preload: Node's own start and exit. */
  bareNodeMs: number[]
  bareNodeMaxRssBytes: number
  /** Reading and parsing the bundle as an ES module, nothing evaluated. */
  parseMs: number[]
}

export async function measureBundle(repetitions: number): Promise<BundleMeasurement> {
  const bareNodeMs: number[] = []
  const rss: number[] = []
  const parseMs: number[] = []
  for (let index = 0; index < repetitions; index += 1) {
    const bare = await runNode(['--import', VITALS_PRELOAD, '-e', ''])
    bareNodeMs.push(bare.lifetimeMs)
    rss.push(bare.maxRssKb * 1024)
    const parse = await runNode(['--experimental-vm-modules', '--no-warnings', '-e', PARSE_ONLY, ACTION_ENTRY])
    const parsed = /parseMs=([\d.]+)/.exec(parse.stdout)
    if (!parsed) throw new Error(`the parse probe printed no time: ${parse.stdout}`)
    parseMs.push(Number(parsed[1]))
  }
  return { path: 'dist/index.js', bytes: statSync(ACTION_ENTRY).size, bareNodeMs, bareNodeMaxRssBytes: median(rss), parseMs }
}

const PARSE_ONLY = `
const { readFileSync } = require('node:fs')
const { SourceTextModule } = require('node:vm')
const started = performance.now()
new SourceTextModule(readFileSync(process.argv[1], 'utf8'))
console.log('parseMs=' + (performance.now() - started).toFixed(2))
`

function runNode(args: string[]): Promise<{ stdout: string; lifetimeMs: number; maxRssKb: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr}`))
      const vitals = /bench:vitals maxRssKb=(\d+) lifetimeMs=([\d.]+)/.exec(stderr)
      resolve({ stdout, lifetimeMs: Number(vitals?.[2] ?? Number.NaN), maxRssKb: Number(vitals?.[1] ?? Number.NaN) })
    })
  })
}

/** 1 MB read strictly (10^6 bytes); the MiB figure is shown beside it. */
export const BUNDLE_GOAL_BYTES = 1_000_000

/** `coldStartMs`: the action's no-op run (action-bench.ts), whose difference from a bare Node start is the bundle's load. */
export function bundleRows(bundle: BundleMeasurement, coldStartLifetimeMs: number): BenchRow[] {
  const bareMs = median(bundle.bareNodeMs)
  const loadMs = coldStartLifetimeMs - bareMs
  return [
    judged({ section: 'bundle', measure: `size of ${bundle.path}`, value: bundle.bytes, unit: 'bytes', shown: `${bundle.bytes.toLocaleString('en')} B (${mib(bundle.bytes)})`, goal: `≤ 1 MB (${BUNDLE_GOAL_BYTES.toLocaleString('en')} B)` }, bundle.bytes <= BUNDLE_GOAL_BYTES),
    informative({ section: 'bundle', measure: 'load: cold start less bare Node', value: loadMs, unit: 'ms', shown: ms(loadMs), note: `cold start ${ms(coldStartLifetimeMs)} in-process, bare \`node -e ""\` ${ms(bareMs)} (peak RSS ${mb(bundle.bareNodeMaxRssBytes)})` }),
    informative({ section: 'bundle', measure: 'of which parsing (nothing evaluated)', value: median(bundle.parseMs), unit: 'ms', shown: ms(median(bundle.parseMs)) }),
  ]
}
