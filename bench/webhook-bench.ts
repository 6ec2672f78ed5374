/**
 * The app's server host as `npm start` runs it (node src/app/server.ts,
 * configured by environment only), registered and installed on the GitHub
 * sandbox, under a fixed rate of signed deliveries sent open-loop (each on
 * its schedule, whether or not earlier ones were answered): mostly events the
 * app ignores or guards out (push, pull_request, check_run, ordinary
 * comments), some admin commands (/warden help, /warden status) that answer
 * through the GitHub API at the injected latency. Measures the time to the
 * acknowledgement (the HTTP answer GitHub waits for), throughput, and the
 * server's memory at the end (VmRSS and its peak VmHWM from /proc).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createHmac, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startGitHubSandbox, type GitHubSandbox } from '../sandbox/github/github-sandbox.ts'
import { onRepository, realPayload } from '../sandbox/webhook-examples.ts'
import { informative, judged, mb, median, ms, notMeasured, percentile, type BenchRow } from './bench-row.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const REPOSITORY = 'acme/shop'
const ADMIN = 'alice'
export const ACK_P99_GOAL_MS = 50
export const GOAL_RATE = 200

export interface WebhookOptions {
  latencyMs: number
  ratePerSecond: number
  durationSeconds: number
  /** Share of deliveries that are commands, 0–1. */
  commandShare: number
  /** How long to wait after the load for the commands' replies (they are counted, not timed). */
  replyWaitMs: number
}

interface Delivery {
  event: string
  body: string
  command: boolean
}

export interface WebhookMeasurement {
  ratePerSecond: number
  durationSeconds: number
  sent: number
  answered: number
  /** Status code → count. */
  statuses: Record<string, number>
  ackMs: { all: number[]; ignored: number[]; commands: number[] }
  /** Ignored deliveries answered per second, from the first send to the last such answer (commands wait on GitHub: see their own figures). */
  throughput: number
  /** How late the sender was against its schedule, worst case: a late sender would understate the load. */
  worstSendLagMs: number
  serverRssBytes: number
  serverPeakRssBytes: number
  /** Replies the app posted for the commands, read from the sandbox afterwards. */
  commandReplies: number
  commands: number
  /** The app's GitHub requests from the load's start to the end: all, content-creating, and the median gap between content-creating ones. */
  appRequests: number
  appWrites: number
  medianWriteGapMs: number
}

export interface ServerHostSection {
  rows: BenchRow[]
  measurement: unknown
}

export async function serverHostRows(options: WebhookOptions & { quick: boolean }, progress: (line: string) => void): Promise<ServerHostSection> {
  try {
    const measurement = await measureWebhooks(options, progress)
    // results.json keeps the distribution, not thousands of samples.
    const summary = (samples: number[]) => ({ count: samples.length, p50: median(samples), p90: percentile(samples, 0.9), p99: percentile(samples, 0.99), max: Math.max(...samples) })
    const { all, ignored, commands } = measurement.ackMs
    return { rows: webhookRows(measurement), measurement: { ...measurement, ackMs: { all: summary(all), ignored: summary(ignored), commands: summary(commands) } } }
  } catch (error) {
    const reason = `the server host could not be measured (${(error as Error).message.split('\n')[0]})`
    progress(`server host: ${reason}`)
    return { rows: [notMeasured('server host', `webhook ack p99 at ${GOAL_RATE} deliveries/s`, `p99 ≤ ${ACK_P99_GOAL_MS} ms`, reason)], measurement: { measured: false, reason } }
  }
}

export async function measureWebhooks(options: WebhookOptions, progress: (line: string) => void): Promise<WebhookMeasurement> {
  const github = await startGitHubSandbox({ latencyMs: options.latencyMs })
  let server: RunningServer | undefined
  try {
    const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
    const webhookSecret = `whsec-${randomBytes(18).toString('hex')}`
    const appId = 4000 + Math.floor(Math.random() * 1000)
    github.addRepository(REPOSITORY, { private: true })
    github.addApp({ id: appId, slug: 'jira-warden', privateKey, owner: 'acme', permissions: { issues: 'write', pull_requests: 'write', contents: 'read', actions: 'write', actions_variables: 'write', secrets: 'write' }, events: ['issue_comment', 'workflow_run'] })
    const installationId = github.addInstallation({ appId, account: 'acme', repositories: [REPOSITORY] })
    github.setCollaborator(REPOSITORY, ADMIN, 'admin')

    const total = Math.round(options.ratePerSecond * options.durationSeconds)
    const commandCount = Math.round(total * options.commandShare)
    const deliveries = await prepareDeliveries(github, installationId, total, commandCount, options.latencyMs)
    // Measured before the stop: queued commands need not drain at the end.
    server = await startServer({ APP_ID: String(appId), PRIVATE_KEY: privateKey, WEBHOOK_SECRET: webhookSecret, GHE_HOST: new URL(github.url).host, GHE_PROTOCOL: 'http', LOG_LEVEL: 'info', SHUTDOWN_DRAIN_MS: '0' })
    progress(`server host: ${total} deliveries prepared (${commandCount} commands), server up`)
    // Not measured: JIT warm-up and the app's first installation token.
    for (const delivery of deliveries.slice(0, 20)) await send(server.webhookUrl, webhookSecret, delivery.ignoredTwin)

    const logStart = github.log.length
    const result = await fireAtRate(server.webhookUrl, webhookSecret, deliveries.map((delivery) => delivery.measured), options.ratePerSecond)
    // The commands' replies are written after the acknowledgement when the app answers early: wait for them, bounded.
    const deadline = Date.now() + options.replyWaitMs
    const repliesNow = () => github.issues(REPOSITORY).flatMap((issue) => issue.comments).filter((comment) => comment.user.endsWith('[bot]')).length
    while (repliesNow() < commandCount && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
    const memory = server.memory()
    progress(`server host: ${result.sent} deliveries at ${options.ratePerSecond}/s`)
    const appLog = github.log.slice(logStart)
    const writes = appLog.filter((entry) => entry.method !== 'GET').map((entry) => entry.at)
    const gaps = writes.slice(1).map((at, index) => at - (writes[index] as number))
    return {
      ...result,
      ratePerSecond: options.ratePerSecond,
      durationSeconds: options.durationSeconds,
      serverRssBytes: memory.rss,
      serverPeakRssBytes: memory.peak,
      commandReplies: repliesNow(),
      commands: commandCount,
      appRequests: appLog.length,
      appWrites: writes.length,
      medianWriteGapMs: gaps.length ? median(gaps) : Number.NaN,
    }
  } finally {
    await server?.stop()
    await github.close()
  }
}

/** Each measured delivery, and an ignored one of the same size for the warm-up. */
async function prepareDeliveries(github: GitHubSandbox, installationId: number, total: number, commandCount: number, latencyMs: number) {
  const ignoredKinds: Array<() => Delivery> = [
    () => ignored('push', realPayload('push', 0)),
    () => ignored('pull_request', realPayload('pull_request', 0)),
    () => ignored('check_run', realPayload('check_run', 0)),
    () => {
      const payload = realPayload('issue_comment', 3)
      payload.comment.body = 'Looks good to me, thanks!'
      return ignored('issue_comment', payload)
    },
  ]
  function ignored(event: string, payload: Record<string, any>): Delivery {
    const moved = onRepository(payload, REPOSITORY)
    moved.installation = { id: installationId, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u' }
    return { event, body: JSON.stringify(moved), command: false }
  }
  // Commands need real comments on GitHub: the app reacts to them and replies beside them. Seeding them costs no latency.
  github.setLatency(0)
  const issue = await createAsAdmin(github, 'POST', `/repos/${REPOSITORY}/issues`, { title: 'Jira credential', body: 'Talk to jira-warden here.' })
  const commands: Delivery[] = []
  for (let index = 0; index < commandCount; index += 1) {
    const body = index % 2 === 0 ? '/warden help' : '/warden status'
    const comment = await createAsAdmin(github, 'POST', `/repos/${REPOSITORY}/issues/${issue.number}/comments`, { body })
    commands.push({ event: 'issue_comment', body: JSON.stringify(github.issueCommentEvent(REPOSITORY, comment.id as number)), command: true })
  }
  github.setLatency(latencyMs)
  // Commands spread evenly through the load.
  const every = commandCount > 0 ? total / commandCount : Number.POSITIVE_INFINITY
  return Array.from({ length: total }, (_, index) => {
    const ignoredTwin = (ignoredKinds[index % ignoredKinds.length] as () => Delivery)()
    const isCommand = Math.floor(index / every) !== Math.floor((index - 1) / every) && commands.length > 0
    return { measured: isCommand ? (commands.pop() as Delivery) : ignoredTwin, ignoredTwin }
  })
}

let adminToken: string | undefined
async function createAsAdmin(github: GitHubSandbox, method: string, path: string, body: unknown): Promise<Record<string, any>> {
  adminToken ??= github.issueToken({ kind: 'user', login: ADMIN, repositories: [REPOSITORY], permissions: { issues: 'write', pull_requests: 'write', metadata: 'read' } })
  const response = await fetch(`${github.url}${path}`, {
    method,
    headers: { authorization: `token ${adminToken}`, accept: 'application/vnd.github+json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`)
  return (await response.json()) as Record<string, any>
}

function signed(secret: string, delivery: Delivery): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/bench',
    'x-github-event': delivery.event,
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(delivery.body).digest('hex')}`,
  }
}

async function send(url: string, secret: string, delivery: Delivery): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: signed(secret, delivery), body: delivery.body })
  await response.arrayBuffer()
  return response.status
}

async function fireAtRate(url: string, secret: string, deliveries: readonly Delivery[], ratePerSecond: number) {
  const interval = 1000 / ratePerSecond
  const statuses: Record<string, number> = {}
  const all: number[] = []
  const ignored: number[] = []
  const commands: number[] = []
  let worstSendLagMs = 0
  let lastIgnoredAnswer = 0
  const inFlight: Promise<void>[] = []
  const started = performance.now()
  for (const [index, delivery] of deliveries.entries()) {
    const due = started + index * interval
    const wait = due - performance.now()
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait))
    worstSendLagMs = Math.max(worstSendLagMs, performance.now() - due)
    const headers = signed(secret, delivery)
    const sentAt = performance.now()
    inFlight.push(
      fetch(url, { method: 'POST', headers, body: delivery.body })
        .then(async (response) => {
          await response.arrayBuffer()
          const ackMs = performance.now() - sentAt
          if (!delivery.command) lastIgnoredAnswer = performance.now()
          statuses[response.status] = (statuses[response.status] ?? 0) + 1
          all.push(ackMs)
          ;(delivery.command ? commands : ignored).push(ackMs)
        })
        .catch(() => {
          statuses.error = (statuses.error ?? 0) + 1
        }),
    )
  }
  await Promise.all(inFlight)
  return { sent: deliveries.length, answered: all.length, statuses, ackMs: { all, ignored, commands }, throughput: ignored.length / ((lastIgnoredAnswer - started) / 1000), worstSendLagMs }
}

interface RunningServer {
  webhookUrl: string
  memory(): { rss: number; peak: number }
  stop(): Promise<void>
}

/** `npm start`'s command line (package.json scripts.start), run directly so npm's own start-up is not measured. */
async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const start = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts.start ?? ''
  const [command, ...args] = start.split(' ')
  if (command !== 'node') throw new Error(`npm start is '${start}', not a node command`)
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
  const webhookUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not say it was listening within 20 s: ${output.slice(-500)}`)), 20_000)
    const look = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000)
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(output)
      if (found) {
        clearTimeout(timer)
        resolve(found[1] as string)
      }
    }
    child.stdout?.on('data', look)
    child.stderr?.on('data', look)
    child.once('close', (code) => reject(new Error(`npm start exited ${code}: ${output.slice(-500)}`)))
  })
  return {
    webhookUrl,
    memory() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
      const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) * 1024
      return { rss: kb('VmRSS'), peak: kb('VmHWM') }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

export function webhookRows(measurement: WebhookMeasurement): BenchRow[] {
  const { ackMs } = measurement
  const p99 = percentile(ackMs.all, 0.99)
  const failures = measurement.sent - (measurement.statuses['200'] ?? 0) - (measurement.statuses['202'] ?? 0)
  const statuses = Object.entries(measurement.statuses).map(([status, count]) => `${count}× ${status}`).join(', ')
  return [
    judged(
      {
        section: 'server host',
        measure: `webhook ack at ${measurement.ratePerSecond} deliveries/s: p50 / p99`,
        value: p99,
        unit: 'ms',
        shown: `${ms(median(ackMs.all))} / ${ms(p99)}`,
        goal: `p99 ≤ ${ACK_P99_GOAL_MS} ms at ${GOAL_RATE}/s`,
        note: `${measurement.sent} signed deliveries over ${measurement.durationSeconds} s (${statuses}); max ${ms(Math.max(...ackMs.all))}; sender at most ${ms(measurement.worstSendLagMs)} behind schedule`,
      },
      p99 <= ACK_P99_GOAL_MS && measurement.ratePerSecond >= GOAL_RATE && failures === 0,
    ),
    informative({ section: 'server host', measure: 'ignored events: p50 / p99', value: percentile(ackMs.ignored, 0.99), unit: 'ms', shown: `${ms(median(ackMs.ignored))} / ${ms(percentile(ackMs.ignored, 0.99))}`, note: `${ackMs.ignored.length} deliveries: push, pull_request, check_run, ordinary comments` }),
    informative({ section: 'server host', measure: 'commands: p50 / p99', value: percentile(ackMs.commands, 0.99), unit: 'ms', shown: ackMs.commands.length ? `${ms(median(ackMs.commands))} / ${ms(percentile(ackMs.commands, 0.99))}` : 'none', note: `${ackMs.commands.length} admin commands (/warden help, /warden status), ${measurement.commandReplies} replied by the end; the app made ${measurement.appRequests} GitHub requests, ${measurement.appWrites} of them writes, a median ${ms(measurement.medianWriteGapMs)} apart` }),
    informative({ section: 'server host', measure: 'throughput of ignored events', value: measurement.throughput, unit: 'deliveries/s', shown: `${measurement.throughput.toFixed(0)}/s`, note: `offered ${measurement.ratePerSecond}/s; ${measurement.answered} of ${measurement.sent} deliveries answered in all` }),
    informative({ section: 'server host', measure: 'server memory at the end (RSS, peak)', value: measurement.serverRssBytes, unit: 'bytes', shown: `${mb(measurement.serverRssBytes)}, peak ${mb(measurement.serverPeakRssBytes)}` }),
  ]
}
