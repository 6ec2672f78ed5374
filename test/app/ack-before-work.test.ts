/**
 * The server answers a verified delivery at once and does its work after:
 * shown without clocks by holding the work's first GitHub request (the 👀
 * claim) at a gate between the server and the sandbox until the answer has
 * arrived. Shutdown stops accepting and lets accepted work finish, for a
 * bounded time.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest'
import { startAppHost, type AppHost } from '../support/app-host.ts'
import { expectNoLeaks } from '../support/leak-scan.ts'
import { BOT, commentPayload, REPOSITORY, startAppWorld, type AppWorld } from './app-world.ts'

vi.setConfig({ testTimeout: 60_000 })

/** A pass-through to the GitHub sandbox that holds the requests `holds` picks until `release()`. */
interface GitHubGate {
  host: string
  /** Requests waiting at the gate, as `METHOD path`. */
  held: string[]
  release(): void
  close(): Promise<void>
}

async function startGitHubGate(target: string, holds: (method: string, path: string) => boolean): Promise<GitHubGate> {
  let open: () => void = () => {}
  const opened = new Promise<void>((resolve) => {
    open = resolve
  })
  const held: string[] = []
  const server: Server = createServer((request, response) => {
    void pass(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(502).end()
    })
  })
  async function pass(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk)
    const method = request.method ?? 'GET'
    const path = request.url ?? '/'
    if (holds(method, path)) {
      held.push(`${method} ${path}`)
      await opened
      // The server may have exited while its request waited: nothing to answer, nothing to forward.
      if (response.destroyed) return
    }
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>
    const answer = await fetch(`${target}${path}`, { method, headers, ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}) })
    const body = Buffer.from(await answer.arrayBuffer())
    const answerHeaders = Object.fromEntries([...answer.headers].filter(([name]) => !['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(name)))
    response.writeHead(answer.status, answerHeaders).end(body)
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    release: () => open(),
    close: async () => {
      open()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

const isClaim = (method: string, path: string) => method === 'POST' && /\/issues\/comments\/\d+\/reactions$/.test(path)

let world: AppWorld
const gates: GitHubGate[] = []
const hosts: AppHost[] = []

beforeAll(async () => {
  world = await startAppWorld()
  world.addPerson('mona', 'admin')
})

afterEach(() => {
  expectNoLeaks([...world.everything(), ...hosts.map((host) => host.output())], world.secrets)
})

afterAll(async () => {
  await Promise.all(hosts.map((host) => host.stop()))
  await Promise.all(gates.map((gate) => gate.close()))
  await world?.close()
})

/** `npm start` again, its GitHub requests going through a gate that holds the 👀 claims. */
async function startGatedServer(env: Record<string, string> = {}): Promise<{ host: AppHost; gate: GitHubGate }> {
  const gate = await startGitHubGate(world.github.url, isClaim)
  gates.push(gate)
  const host = await startAppHost({ ...world.appEnv, GHE_HOST: gate.host, ...env })
  hosts.push(host)
  return { host, gate }
}

async function deliverHelp(host: AppHost) {
  const thread = await world.openThread()
  const comment = await world.comment('mona', '/warden help', thread)
  const answer = await world.github.deliverWebhook({ url: host.webhookUrl, secret: world.webhookSecret, event: 'issue_comment', payload: commentPayload(world, comment, thread) })
  return { thread, comment, answer }
}

const eyesOf = (commentId: number) => world.github.reactions(REPOSITORY, commentId).filter((reaction) => reaction.user === BOT)

test('a command is answered while its work still waits on GitHub: the answer first, the 👀 and the reply after', async () => {
  const { host, gate } = await startGatedServer()
  const { thread, comment, answer } = await deliverHelp(host)

  // The work cannot pass the gate before the answer: the answer did not wait for it.
  expect(answer.status).toBe(200)
  await vi.waitFor(() => expect(gate.held).toHaveLength(1), { timeout: 10_000, interval: 20 })
  expect(world.replies(thread)).toEqual([])
  expect(eyesOf(comment.id)).toEqual([])

  gate.release()
  expect(await world.waitForReplies(thread)).toEqual([expect.stringMatching(/^✅ `\/warden help` for @mona/)])
  expect(eyesOf(comment.id).map((reaction) => reaction.content)).toEqual(['eyes'])
  // The one line per delivery is written when the work ends, with what it came to.
  await host.waitForOutput(new RegExp(`delivery ${answer.deliveryId} issue_comment → 200 in \\d+ ms: ran /warden help for mona: ok`))
})

test('SIGTERM stops accepting, lets the accepted work finish, then exits', async () => {
  const { host, gate } = await startGatedServer()
  const { thread, answer } = await deliverHelp(host)
  expect(answer.status).toBe(200)
  await vi.waitFor(() => expect(gate.held).toHaveLength(1), { timeout: 10_000, interval: 20 })

  const stopped = host.stop()
  await vi.waitFor(() => expect(fetch(`${host.url}/healthz`)).rejects.toThrow(), { timeout: 10_000, interval: 50 })
  expect(world.replies(thread)).toEqual([])

  gate.release()
  await stopped
  expect(world.replies(thread)).toEqual([expect.stringMatching(/^✅ `\/warden help` for @mona/)])
  expect(host.output()).toMatch(new RegExp(`delivery ${answer.deliveryId} issue_comment → 200 in \\d+ ms: ran /warden help for mona: ok`))
  expect(host.output()).toContain('stopped: all accepted work finished')
})

test('the drain is bounded: work still waiting when SHUTDOWN_DRAIN_MS ends is named, and the process exits', async () => {
  const { host, gate } = await startGatedServer({ SHUTDOWN_DRAIN_MS: '300' })
  const { thread, answer } = await deliverHelp(host)
  expect(answer.status).toBe(200)
  await vi.waitFor(() => expect(gate.held).toHaveLength(1), { timeout: 10_000, interval: 20 })

  await host.stop()
  expect(host.output()).toContain('stopped after 300 ms with the work of 1 deliveries unfinished')
  gate.release()
  expect(world.replies(thread)).toEqual([])
})

test('work that fails after the answer is logged by its kind and named in the delivery line; nothing else happens', async () => {
  const thread = await world.openThread()
  const comment = await world.comment('mona', '/warden help', thread)
  // The 👀 claim is the work's first write: GitHub refusing it ends the work before anything is said.
  world.github.inject({ method: 'POST', path: `/api/v3/repos/${REPOSITORY}/issues/comments/${comment.id}/reactions`, kind: 'status', status: 404, times: 1 })
  const delivery = await world.deliverComment(comment, { issueNumber: thread })
  world.github.clearFaults()
  expect(delivery.status).toBe(200)
  await world.app.waitForOutput(new RegExp(`delivery ${delivery.deliveryId} issue_comment → 200 in \\d+ ms: failed: GitHub answered 404`))
  const failure = world.app
    .output()
    .split('\n')
    .find((line) => line.includes('delivery work failed') && line.includes(delivery.deliveryId))
  expect(JSON.parse(failure ?? '{}')).toMatchObject({ level: 50, delivery: delivery.deliveryId, event: 'issue_comment', status: 404, msg: 'delivery work failed: GitHub answered 404' })
  expect(world.replies(thread)).toEqual([])
  expect(eyesOf(comment.id)).toEqual([])
})
