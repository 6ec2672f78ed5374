/**
 * An experiment, not part of `npm run bench`: how fast and small would the
 * action be without @actions/core's and @actions/github's HTTP stack? Both
 * bring @actions/http-client and the npm undici (with its llhttp WASM) into
 * the bundle, evaluated at load, while Octokit and jira.js can use Node's
 * built-in fetch. The action's own source is compiled unchanged into a
 * scratch folder where two stand-in packages shadow those two: a
 * runner-protocol @actions/core (inputs, outputs file, masks, annotations,
 * job summary) and a getOctokit of @octokit/core + rest + paginate on the
 * global fetch. Then both bundles run the same action bench, interleaved.
 *
 *   node bench/lean-bundle-experiment.ts [--latency MS] [--repetitions ROUNDS] [--keys 1,200] [--node-options '--max-semi-space-size=1']
 *
 * Nothing in the work tree changes; the scratch folder is
 * node_modules/.cache/jira-warden-lean and is removed at the end.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ACTION_ENTRY } from '../sandbox/actions-runner.ts'
import { measureAction, type ActionMeasurement } from './action-bench.ts'
import { figuresOf } from './action-rows.ts'
import { mb, ms } from './bench-row.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SCRATCH = `${ROOT}node_modules/.cache/jira-warden-lean`
const BIN = `${ROOT}node_modules/.bin`

const CORE_STAND_IN = `// The runner's file and stdout protocol, as @actions/core speaks it, without its HTTP client.
import { appendFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { EOL } from 'node:os'
const escapeData = (text) => String(text).replace(/%/g, '%25').replace(/\\r/g, '%0D').replace(/\\n/g, '%0A')
const command = (name, message) => process.stdout.write('::' + name + '::' + escapeData(message) + EOL)
export function getInput(name, options = {}) {
  const value = process.env['INPUT_' + name.replace(/ /g, '_').toUpperCase()] || ''
  if (options.required && !value) throw new Error('Input required and not supplied: ' + name)
  return options.trimWhitespace === false ? value : value.trim()
}
export function setOutput(name, value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  const delimiter = 'ghadelimiter_' + randomUUID()
  appendFileSync(process.env.GITHUB_OUTPUT, name + '<<' + delimiter + EOL + text + EOL + delimiter + EOL)
}
export const setSecret = (secret) => command('add-mask', secret)
export const info = (message) => process.stdout.write(message + EOL)
export const warning = (message) => command('warning', message instanceof Error ? message.toString() : message)
export const error = (message) => command('error', message instanceof Error ? message.toString() : message)
export function setFailed(message) { process.exitCode = 1; error(message) }
const cell = (item) => typeof item === 'string' ? '<td>' + item + '</td>' : '<' + (item.header ? 'th' : 'td') + '>' + item.data + '</' + (item.header ? 'th' : 'td') + '>'
class Summary {
  buffer = ''
  addRaw(text, addEOL = false) { this.buffer += text + (addEOL ? EOL : ''); return this }
  addHeading(text, level = 1) { return this.addRaw('<h' + level + '>' + text + '</h' + level + '>', true) }
  addTable(rows) { return this.addRaw('<table>' + rows.map((row) => '<tr>' + row.map(cell).join('') + '</tr>').join('') + '</table>', true) }
  addList(items, ordered = false) { const tag = ordered ? 'ol' : 'ul'; return this.addRaw('<' + tag + '>' + items.map((item) => '<li>' + item + '</li>').join('') + '</' + tag + '>', true) }
  async write() { appendFileSync(process.env.GITHUB_STEP_SUMMARY, this.buffer); this.buffer = ''; return this }
}
export const summary = new Summary()
`

const GITHUB_STAND_IN = `// getOctokit as @actions/github builds it, on Node's own fetch instead of the npm undici.
import { Octokit } from '@octokit/core'
import { restEndpointMethods } from '@octokit/plugin-rest-endpoint-methods'
import { paginateRest } from '@octokit/plugin-paginate-rest'
const GitHub = Octokit.plugin(restEndpointMethods, paginateRest)
export function getOctokit(token, options = {}) {
  return new GitHub({ baseUrl: process.env.GITHUB_API_URL || 'https://api.github.com', ...options, auth: 'token ' + token })
}
`

interface Comparison {
  label: string
  bytes: number
  measurement: ActionMeasurement
}

async function main(latencyMs: number, repetitions: number, keyCounts: number[], nodeOptions: string | undefined): Promise<void> {
  rmSync(SCRATCH, { recursive: true, force: true })
  try {
    const lean = await buildLeanBundle()
    // Rounds alternate the two builds, so a change in the machine's load falls on both alike.
    const dist: ActionMeasurement[] = []
    const leaner: ActionMeasurement[] = []
    for (let round = 0; round < repetitions; round += 1) {
      dist.push(await bench(undefined))
      leaner.push(await bench(lean))
    }
    print([
      { label: 'dist/index.js (as built)', bytes: statSync(ACTION_ENTRY).size, measurement: merged(dist) },
      { label: 'lean (stand-ins for @actions/core, @actions/github)', bytes: statSync(lean).size, measurement: merged(leaner) },
    ])
  } finally {
    rmSync(SCRATCH, { recursive: true, force: true })
  }

  function bench(entry: string | undefined): Promise<ActionMeasurement> {
    return measureAction({ latencyMs, keyCounts, repetitions: 1, coldStartRepetitions: 3, ...(entry ? { entry } : {}), ...(nodeOptions ? { nodeOptions } : {}) }, (line) => process.stderr.write(`  ${entry ? 'lean' : 'dist'}: ${line}\n`))
  }
}

/** The rounds' samples together, case by case. */
function merged(rounds: readonly ActionMeasurement[]): ActionMeasurement {
  const [first] = rounds
  if (!first) throw new Error('no rounds')
  return {
    latencyMs: first.latencyMs,
    coldStart: { ...first.coldStart, samples: rounds.flatMap((round) => round.coldStart.samples) },
    cases: first.cases.map((actionCase, index) => ({ ...actionCase, samples: rounds.flatMap((round) => round.cases[index]?.samples ?? []) })),
  }
}

async function buildLeanBundle(): Promise<string> {
  await run(`${BIN}/tsc`, ['-p', `${ROOT}tsconfig.build.json`, '--outDir', `${SCRATCH}/build`])
  for (const [name, source] of [['@actions/core', CORE_STAND_IN], ['@actions/github', GITHUB_STAND_IN]] as const) {
    const dir = `${SCRATCH}/build/node_modules/${name}`
    mkdirSync(dir, { recursive: true })
    writeFileSync(`${dir}/package.json`, JSON.stringify({ name, type: 'module', exports: './index.js' }))
    writeFileSync(`${dir}/index.js`, source)
  }
  await run(`${BIN}/ncc`, ['build', `${SCRATCH}/build/src/action/index.js`, '-o', `${SCRATCH}/dist`, '--minify', '--quiet'])
  return `${SCRATCH}/dist/index.js`
}

function print(results: readonly Comparison[]): void {
  for (const { label, bytes, measurement } of results) {
    const cold = figuresOf(measurement.coldStart)
    console.log(`\n${label}: ${bytes.toLocaleString('en')} B; cold start ${ms(cold.wallMs)} (CPU ${ms(cold.cpuMs)}), peak RSS ${mb(cold.maxRssBytes)}`)
    for (const actionCase of measurement.cases) {
      const figures = figuresOf(actionCase)
      console.log(`  ${figures.label.padEnd(24)} ${ms(figures.wallMs).padStart(8)}  ${(figures.wallMs / figures.floorMs).toFixed(2)}× floor ${ms(figures.floorMs)}  CPU ${ms(figures.cpuMs)}  RSS ${mb(figures.maxRssBytes)}  Jira ${figures.requests}`)
    }
  }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { PATH: `${BIN}:${process.env.PATH ?? ''}` } })
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`))))
  })
}

const option = (name: string): string | undefined => {
  const at = process.argv.indexOf(name)
  return at > 0 ? process.argv[at + 1] : undefined
}
await main(
  Number(option('--latency') ?? 40),
  Number(option('--repetitions') ?? 3),
  (option('--keys') ?? '0,1,10,50,200').split(',').map(Number),
  option('--node-options'),
)
