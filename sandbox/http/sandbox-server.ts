/**
 * The small HTTP kernel both sandboxes (Jira, GitHub) are built on: routing by
 * the spec's path templates, injectable latency and faults, and a request log
 * that tests read (and that the contract test validates against the specs).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface SandboxRequest {
  method: HttpMethod
  /** Path without the query string, as received. */
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  /** Parsed JSON body, or undefined when there is none or it is not JSON. */
  body: unknown
  rawBody: string
  /** Values of the `{name}` segments of the matched route. */
  params: Record<string, string>
}

export interface SandboxResponse {
  status: number
  headers?: Record<string, string>
  /** Objects are sent as JSON; strings are sent as they are (set content-type in headers). */
  body?: unknown
}

export type RouteHandler = (request: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>

interface Route {
  method: HttpMethod
  /** The spec's path template, e.g. `/rest/api/3/issue/{issueIdOrKey}`. */
  template: string
  pattern: RegExp
  names: string[]
  handler: RouteHandler
}

export class Router {
  readonly #routes: Route[] = []

  add(method: HttpMethod, template: string, handler: RouteHandler): this {
    const names: string[] = []
    const source = template
      .split('/')
      .map((segment) =>
        segment.replace(/\{([^}]+)\}/g, (_, name: string) => {
          names.push(name)
          return '([^/]+)'
        }),
      )
      .join('/')
    this.#routes.push({ method, template, pattern: new RegExp(`^${source}$`), names, handler })
    return this
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.#routes) {
      if (route.method !== method) continue
      const found = route.pattern.exec(path)
      if (!found) continue
      const params: Record<string, string> = {}
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1] ?? '')
      })
      return { route, params }
    }
    return undefined
  }
}

/**
 * A fault answers instead of the route. `times` counts matching requests it
 * takes (default 1); `skip` lets that many matching requests through first.
 */
export interface Fault {
  method?: HttpMethod
  path?: string | RegExp
  times?: number
  skip?: number
  kind: 'status' | 'timeout' | 'drop' | 'html-login' | 'malformed-json' | 'redirect'
  status?: number
  headers?: Record<string, string>
  body?: unknown
  /** For `redirect`: where to send the client. */
  location?: string
}

export interface RequestLogEntry {
  at: number
  method: string
  path: string
  query: string
  /** The route template that answered, or undefined for 404s and faults. */
  route: string | undefined
  status: number
  /** Who the request authenticated as, as the sandbox's authenticate hook says. */
  principal: string | undefined
  /** Set on every request; tests assert headers such as Authorization never leak across hosts. */
  authorization: string | undefined
  requestBody: unknown
  responseBody: unknown
  responseHeaders: Record<string, string>
  fault: Fault['kind'] | undefined
}

export interface SandboxServerOptions {
  name: string
  router: Router
  latencyMs?: number
  /** Loopback address to listen on (default 127.0.0.1); another one (127.0.0.2) plays a foreign host in redirect tests. */
  host?: string
  /** Upper bound of a request body; larger ones get 413 before any work. */
  maxBodyBytes?: number
  /** Names the principal for the log, and may refuse the request outright. */
  authenticate?: (request: SandboxRequest) => string | undefined
  /** Runs before the route; answers instead of it when it returns a response (rate limits live here). */
  before?: (request: SandboxRequest) => SandboxResponse | undefined
  /** Extra headers on every routed answer (e.g. rate-limit counters). */
  decorate?: (request: SandboxRequest, response: SandboxResponse) => void
}

export interface SandboxServer {
  readonly url: string
  readonly port: number
  readonly log: RequestLogEntry[]
  inject(fault: Fault): void
  clearFaults(): void
  setLatency(ms: number): void
  close(): Promise<void>
}

const HTML_LOGIN_PAGE =
  '<!DOCTYPE html><html><head><title>Log in with Atlassian account</title></head><body><form action="/login"></form></body></html>'

export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const log: RequestLogEntry[] = []
  const faults: Array<Fault & { taken: number; seen: number }> = []
  const sockets = new Set<Socket>()
  let latencyMs = options.latencyMs ?? 0
  const maxBodyBytes = options.maxBodyBytes ?? 5 * 1024 * 1024

  const takeFault = (method: string, path: string): Fault | undefined => {
    for (const fault of faults) {
      if (fault.method && fault.method !== method) continue
      if (fault.path !== undefined) {
        const matches = typeof fault.path === 'string' ? path === fault.path || path.startsWith(`${fault.path}/`) : fault.path.test(path)
        if (!matches) continue
      }
      fault.seen += 1
      if (fault.seen <= (fault.skip ?? 0)) continue
      if (fault.taken >= (fault.times ?? 1)) continue
      fault.taken += 1
      return fault
    }
    return undefined
  }

  const server = createServer((incoming, outgoing) => {
    void handle(incoming, outgoing)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? '/', 'http://sandbox.invalid')
    const method = (incoming.method ?? 'GET').toUpperCase() as HttpMethod
    const rawBody = await readBody(incoming, maxBodyBytes)
    const entry: RequestLogEntry = {
      at: Date.now(),
      method,
      path: url.pathname,
      query: url.search,
      route: undefined,
      status: 0,
      principal: undefined,
      authorization: headerValue(incoming.headers.authorization),
      requestBody: undefined,
      responseBody: undefined,
      responseHeaders: {},
      fault: undefined,
    }
    log.push(entry)
    if (latencyMs > 0) await delay(latencyMs)

    if (rawBody === undefined) {
      return send(outgoing, entry, { status: 413, body: { message: 'Request body too large' } })
    }
    const request: SandboxRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      body: parseJson(rawBody),
      rawBody,
      params: {},
    }
    entry.requestBody = request.body ?? (rawBody || undefined)

    const fault = takeFault(method, url.pathname)
    if (fault) {
      entry.fault = fault.kind
      return answerWithFault(incoming, outgoing, entry, fault)
    }

    entry.principal = options.authenticate?.(request)
    const early = options.before?.(request)
    if (early) return send(outgoing, entry, early)

    const matched = options.router.match(method, url.pathname)
    if (!matched) {
      return send(outgoing, entry, { status: 404, body: { message: `No ${options.name} sandbox route for ${method} ${url.pathname}` } })
    }
    entry.route = matched.route.template
    request.params = matched.params
    let response: SandboxResponse
    try {
      response = await matched.route.handler(request)
    } catch (error) {
      response = { status: 500, body: { message: `sandbox handler failed: ${(error as Error).message}` } }
    }
    options.decorate?.(request, response)
    send(outgoing, entry, response)
  }

  function answerWithFault(incoming: IncomingMessage, outgoing: ServerResponse, entry: RequestLogEntry, fault: Fault): void {
    switch (fault.kind) {
      case 'timeout':
        entry.status = -1
        // Never answer; the socket is destroyed when the server closes.
        return
      case 'drop':
        entry.status = -1
        incoming.socket.destroy()
        return
      case 'html-login':
        return send(outgoing, entry, { status: 200, headers: { 'content-type': 'text/html;charset=UTF-8' }, body: HTML_LOGIN_PAGE })
      case 'malformed-json':
        return send(outgoing, entry, { status: fault.status ?? 200, headers: { 'content-type': 'application/json' }, body: '{"issues": [' })
      case 'redirect':
        return send(outgoing, entry, { status: fault.status ?? 302, headers: { location: fault.location ?? 'http://127.0.0.2/' } })
      case 'status':
        return send(outgoing, entry, { status: fault.status ?? 500, headers: fault.headers ?? {}, body: fault.body ?? { message: 'injected fault' } })
    }
  }

  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const port = (server.address() as AddressInfo).port

  return {
    url: `http://${host}:${port}`,
    port,
    log,
    inject(fault) {
      faults.push({ ...fault, taken: 0, seen: 0 })
    },
    clearFaults() {
      faults.length = 0
    },
    setLatency(ms) {
      latencyMs = ms
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function send(outgoing: ServerResponse, entry: RequestLogEntry, response: SandboxResponse): void {
  const headers: Record<string, string> = { ...response.headers }
  let payload: string | undefined
  if (typeof response.body === 'string') {
    payload = response.body
    headers['content-type'] ??= 'text/plain;charset=UTF-8'
  } else if (response.body !== undefined) {
    payload = JSON.stringify(response.body)
    headers['content-type'] ??= 'application/json;charset=UTF-8'
  }
  entry.status = response.status
  entry.responseBody = response.body
  entry.responseHeaders = headers
  if (outgoing.destroyed) return
  outgoing.writeHead(response.status, headers)
  outgoing.end(payload)
}

function readBody(incoming: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) tooLarge = true
      else chunks.push(chunk)
    })
    incoming.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')))
    incoming.on('error', () => resolve(''))
  })
}

function parseJson(text: string): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Random secrets for fake credentials, made per test. */
export function randomSecret(prefix: string, bytes = 24): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
  const random = crypto.getRandomValues(new Uint8Array(bytes))
  return prefix + Array.from(random, (byte) => alphabet[byte % alphabet.length]).join('')
}
