/**
 * The transition action as the runner runs it (dist/index.js in a child
 * process), against both sandboxes with injected latency: cold start, then
 * 0…200 issue keys. Each measured run gets a fresh Jira (every issue in
 * To Do, so every key costs a real write); the GitHub side keeps one
 * repository whose audit issue already exists, as in steady use.
 */
import { fileURLToPath } from 'node:url'
import { runAction, type ActionRun } from '../sandbox/actions-runner.ts'
import { startGitHubSandbox, type GitHubSandbox, type RequestLogEntry } from '../sandbox/github/github-sandbox.ts'
import { defaultSeed, startJiraSandbox, type JiraSandbox } from '../sandbox/jira/jira-sandbox.ts'
import { pullRequestPayload } from '../sandbox/webhook-examples.ts'

const VITALS_PRELOAD = fileURLToPath(new URL('./process-vitals-preload.js', import.meta.url))
const REPOSITORY = 'acme/shop'
const PULL_NUMBER = 7

/** src/action/transition-for-event.ts WRITE_CONCURRENCY: transitions in flight at once. */
export const WRITE_CONCURRENCY = 4
/**
 * The audit entry after the Jira work: one comment. Finding this month's
 * audit issue can overlap the Jira work (src/adapters/github/audit-trail.ts
 * `prepare`), so it is not on the floor's path.
 */
export const AUDIT_ROUND_TRIPS = 1
/** Enough issues per project for 200 keys (100 each in PROJ and OPS). */
const ISSUES_PER_PROJECT = 120

const CONFIG_BASE = `projects: [PROJ, OPS]
transitions:
  - on: pull_request.opened
    to: In Progress
comment: "{{ event }} by {{ actor }}"
`

export interface ActionBenchOptions {
  latencyMs: number
  keyCounts: readonly number[]
  repetitions: number
  coldStartRepetitions: number
  /** Another build of the action to measure (default dist/index.js). */
  entry?: string
  /** Extra Node options for the action process (experiments, e.g. '--max-semi-space-size=2'). */
  nodeOptions?: string
}

export interface ActionSample {
  wallMs: number
  /** The child's own lifetime, from its time origin to its exit. */
  lifetimeMs: number
  /** The child's CPU time, user + system. */
  cpuMs: number
  maxRssBytes: number
  jiraRequests: number
  githubRequests: number
  /** 429s, and 403s that say "rate limit", in either log. */
  limitHits: number
}

export interface RoundTripFloor {
  githubReads: number
  jiraReads: number
  writeRounds: number
  auditWrites: number
  roundTrips: number
  floorMs: number
}

export interface ActionCase {
  label: string
  keys: number
  floor: RoundTripFloor
  samples: ActionSample[]
}

export interface ActionMeasurement {
  latencyMs: number
  coldStart: ActionCase
  cases: ActionCase[]
}

/**
 * The round-trip floor: every round trip the work cannot avoid, at the
 * injected latency, with nothing else costing any time (no process start,
 * no CPU). Reading: the PR's commits when keys come from them, then one
 * search for all issues (as the issue defines it: the action's own 100 per
 * page is not the floor's); writing: ceil(N / concurrency) rounds of
 * transitions; then the audit entry's round trips.
 */
export function roundTripFloor(keys: number, latencyMs: number, githubReads = 0): RoundTripFloor {
  const jiraReads = keys > 0 ? 1 : 0
  const writeRounds = Math.ceil(keys / WRITE_CONCURRENCY)
  const auditWrites = keys > 0 ? AUDIT_ROUND_TRIPS : 0
  const roundTrips = githubReads + jiraReads + writeRounds + auditWrites
  return { githubReads, jiraReads, writeRounds, auditWrites, roundTrips, floorMs: roundTrips * latencyMs }
}

export function keysFor(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${index % 2 === 0 ? 'PROJ' : 'OPS'}-${Math.floor(index / 2) + 1}`)
}

export async function measureAction(options: ActionBenchOptions, progress: (line: string) => void): Promise<ActionMeasurement> {
  const github = await startGitHubSandbox({ latencyMs: options.latencyMs })
  try {
    github.addRepository(REPOSITORY, { private: true })
    github.addPullRequest(REPOSITORY, { number: PULL_NUMBER, title: 'Tidy the README', head: 'docs/readme', commits: [{ message: 'Tidy the README wording' }] })
    const githubToken = github.issueToken({ repositories: [REPOSITORY], permissions: { issues: 'write', pull_requests: 'read', contents: 'read' } })
    const bench = new ActionBench(github, githubToken, options.latencyMs, options.entry, options.nodeOptions)
    // Not measured: creates the audit issue (steady state from then on) and warms the file cache.
    await bench.runOnce({ keys: keysFor(1) })

    const coldStart: ActionCase = { label: 'cold start', keys: 0, floor: roundTripFloor(0, options.latencyMs), samples: [] }
    for (let index = 0; index < options.coldStartRepetitions; index += 1) {
      coldStart.samples.push(await bench.runOnce({ keySources: '[title, branch]' }))
    }
    progress(`action: cold start ×${coldStart.samples.length}`)

    const cases: ActionCase[] = []
    for (const keys of options.keyCounts) {
      const fromCommits = keys === 0
      const actionCase: ActionCase = {
        label: fromCommits ? '0 keys (commits read)' : `${keys} key${keys === 1 ? '' : 's'}`,
        keys,
        floor: roundTripFloor(keys, options.latencyMs, fromCommits ? 1 : 0),
        samples: [],
      }
      for (let index = 0; index < options.repetitions; index += 1) {
        actionCase.samples.push(await bench.runOnce(fromCommits ? { keySources: '[title, branch, commits]' } : { keys: keysFor(keys) }))
      }
      progress(`action: ${actionCase.label} ×${actionCase.samples.length}`)
      cases.push(actionCase)
    }
    return { latencyMs: options.latencyMs, coldStart, cases }
  } finally {
    await github.close()
  }
}

class ActionBench {
  readonly #github: GitHubSandbox
  readonly #githubToken: string
  readonly #latencyMs: number
  readonly #entry: string | undefined
  readonly #nodeOptions: string | undefined

  constructor(github: GitHubSandbox, githubToken: string, latencyMs: number, entry: string | undefined, nodeOptions: string | undefined) {
    this.#github = github
    this.#githubToken = githubToken
    this.#latencyMs = latencyMs
    this.#entry = entry
    this.#nodeOptions = nodeOptions
  }

  /** One run on a fresh Jira: with explicit keys, or extracting them from the given sources. */
  async runOnce(work: { keys?: string[]; keySources?: string }): Promise<ActionSample> {
    const seed = defaultSeed()
    for (const project of seed.projects) project.issues = ISSUES_PER_PROJECT
    const jira = await startJiraSandbox({ latencyMs: this.#latencyMs, seed })
    try {
      return await this.#measure(jira, work)
    } finally {
      await jira.close()
    }
  }

  async #measure(jira: JiraSandbox, work: { keys?: string[]; keySources?: string }): Promise<ActionSample> {
    const demo = jira.user('demo')
    const githubBefore = this.#github.log.length
    const config = `${CONFIG_BASE}${work.keySources ? `keys:\n  from: ${work.keySources}\n` : ''}`
    const started = performance.now()
    const run = await runAction({
      eventName: 'pull_request',
      payload: pullRequestPayload('opened', { repository: REPOSITORY, number: PULL_NUMBER, title: 'Tidy the README', head: 'docs/readme', commits: 1 }),
      githubApiUrl: this.#github.url,
      repository: REPOSITORY,
      workspaceFiles: { '.github/jira-warden.yml': config },
      inputs: {
        'jira-url': jira.url,
        'jira-email': demo.email,
        'jira-api-token': jira.issueApiToken(demo),
        'github-token': this.#githubToken,
        ...(work.keys ? { 'issue-keys': work.keys.join(',') } : {}),
      },
      preload: [VITALS_PRELOAD],
      ...(this.#entry ? { entry: this.#entry } : {}),
      ...(this.#nodeOptions ? { env: { NODE_OPTIONS: `--import ${VITALS_PRELOAD} ${this.#nodeOptions}` } } : {}),
    })
    const wallMs = performance.now() - started
    expectSuccess(run, work.keys?.length ?? 0)
    const githubLog = this.#github.log.slice(githubBefore)
    const vitals = vitalsOf(run)
    return {
      wallMs,
      lifetimeMs: vitals.lifetimeMs,
      cpuMs: vitals.cpuMs,
      maxRssBytes: vitals.maxRssKb * 1024,
      jiraRequests: jira.log.length,
      githubRequests: githubLog.length,
      limitHits: limitHitsIn([...jira.log, ...githubLog]),
    }
  }
}

/** A run that did not do its work measures nothing worth printing. */
function expectSuccess(run: ActionRun, keys: number): void {
  const transitioned = JSON.parse(run.outputs.transitioned ?? '[]') as unknown[]
  if (run.exitCode !== 0 || transitioned.length !== keys) {
    throw new Error(`the action run failed (exit ${run.exitCode}, ${transitioned.length} of ${keys} transitioned):\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`)
  }
}

function vitalsOf(run: ActionRun): { maxRssKb: number; lifetimeMs: number; cpuMs: number } {
  const found = /bench:vitals maxRssKb=(\d+) lifetimeMs=([\d.]+) cpuMs=([\d.]+)/.exec(run.stderr)
  if (!found) throw new Error(`the measured process did not report its vitals; stderr:\n${run.stderr.slice(-2000)}`)
  return { maxRssKb: Number(found[1]), lifetimeMs: Number(found[2]), cpuMs: Number(found[3]) }
}

export function limitHitsIn(log: readonly RequestLogEntry[]): number {
  return log.filter((entry) => entry.status === 429 || (entry.status === 403 && /rate limit/i.test(JSON.stringify(entry.responseBody ?? '')))).length
}
