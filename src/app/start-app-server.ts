/**
 * The server host: a plain Node HTTP server in front of Probot's
 * createNodeMiddleware. In front of it, only what Probot does not do: bodies
 * over the limit are refused before anything reads them, and each delivery
 * gets one info line (event, delivery id, status, what it came to). Signature
 * checks are @octokit/webhooks' (via Probot): a missing or wrong signature
 * is a 4xx and no handler runs. A verified delivery is answered at once and
 * its work runs afterwards in a WorkQueue; its log line is written when the
 * work ends. Closing stops accepting and drains that queue for a bounded time.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createNodeMiddleware, createProbot, type Logger } from 'probot'
import type { AppDependencies } from './app-dependencies.ts'
import { createApp } from './create-app.ts'
import { DeliveryOutcomes } from './delivery-outcomes.ts'
import { failureLogFields } from './failure-cause.ts'
import type { ServerSettings } from './server-settings.ts'
import { WorkQueue, type DrainResult } from './work-queue.ts'

export interface AppServer {
  /** http://HOST:PORT */
  url: string
  webhookUrl: string
  log: Logger
  /** Stops accepting, waits for the work already taken (at most settings.drainTimeoutMs), then closes every connection. */
  close(): Promise<DrainResult>
}

export async function startAppServer(settings: ServerSettings, deps: AppDependencies = {}): Promise<AppServer> {
  const probot = createProbot({
    env: { LOG_FORMAT: settings.logFormat },
    overrides: {
      appId: settings.appId,
      privateKey: settings.privateKey,
      secret: settings.webhookSecret,
      baseUrl: settings.baseUrl,
      logLevel: settings.logLevel,
      webhookPath: settings.webhookPath,
    },
  })
  const outcomes = deps.outcomes ?? new DeliveryOutcomes()
  const workQueue = deps.ackBeforeWork === false ? undefined : (deps.workQueue ?? new WorkQueue())
  const middleware = await createNodeMiddleware(
    createApp({ ...deps, outcomes, ...(workQueue ? { workQueue } : {}), ...(settings.docsUrl && !deps.docsUrl ? { docsUrl: settings.docsUrl } : {}) }),
    { probot, webhooksPath: settings.webhookPath },
  )
  const log = probot.log.child({ name: 'jira-warden' })
  const server = createServer((request, response) => {
    void route(request, response).catch((error: unknown) => {
      log.error(failureLogFields(error), 'request failed')
      if (!response.headersSent) response.writeHead(500).end()
    })
  })

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?')[0]
    if (request.method === 'GET' && path === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n')
      return
    }
    if (path !== settings.webhookPath) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
      return
    }
    const started = Date.now()
    const delivery = headerToken(request.headers['x-github-delivery'])
    const event = headerToken(request.headers['x-github-event'])
    response.on('finish', () => {
      const answeredMs = Date.now() - started
      const line = (outcome: string) => log.info(`delivery ${delivery} ${event} → ${response.statusCode} in ${answeredMs} ms: ${outcome}`)
      // The work runs after the answer: the line waits for it, to say what the delivery came to.
      const settled = delivery === '-' ? undefined : workQueue?.whenSettled(delivery)
      if (settled) return void settled.then(() => line(outcomes.take(delivery) ?? 'done, without an outcome noted'))
      // 202: @octokit/webhooks answered before the handlers finished (its 9 s timeout); the line waits for what they did.
      if (response.statusCode === 202 && delivery !== '-') return outcomes.whenNoted(delivery, line)
      line(outcomes.take(delivery) ?? (response.statusCode >= 500 ? 'failed (the error is logged above)' : response.statusCode >= 400 ? 'refused, nothing ran' : 'no handler for this event'))
    })
    if (request.method === 'POST') {
      const body = await readBounded(request, settings.maxBodyBytes)
      if (body === undefined) {
        outcomes.note(delivery, `refused: body over ${settings.maxBodyBytes} bytes`)
        response.writeHead(413, { 'content-type': 'application/json', connection: 'close' }).end('{"error":"payload too large"}\n')
        return
      }
      // @octokit/webhooks verifies the signature over exactly this text.
      request.body = body
    }
    await middleware(request, response, () => {
      if (!response.headersSent) response.writeHead(404).end()
    })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(settings.port, settings.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${port}`
  log.info(`jira-warden app listening on ${url}${settings.webhookPath} (GitHub API ${settings.baseUrl})`)
  return {
    url,
    webhookUrl: `${url}${settings.webhookPath}`,
    log,
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
      // Requests already being answered finish; idle keep-alive connections go now.
      server.closeIdleConnections()
      const drain = workQueue ? await workQueue.drain(settings.drainTimeoutMs) : { drained: true, unfinished: 0 }
      if (drain.drained) log.info('stopped: all accepted work finished')
      else log.warn(`stopped after ${settings.drainTimeoutMs} ms with the work of ${drain.unfinished} deliveries unfinished (a redelivery or the next command picks it up)`)
      server.closeAllConnections()
      await closed
      return drain
    },
  }
}

/** The body as text, or undefined as soon as it passes the limit (declared or streamed). */
async function readBounded(request: IncomingMessage, limit: number): Promise<string | undefined> {
  const declared = Number(request.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) {
    request.resume()
    return undefined
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) {
      request.resume()
      return undefined
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Header values go into the log line: only a safe, short token. */
function headerToken(value: string | string[] | undefined): string {
  const text = Array.isArray(value) ? value[0] : value
  return text && /^[\w.-]{1,64}$/.test(text) ? text : '-'
}
