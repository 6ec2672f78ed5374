/**
 * The serverless host as docs/app.md shows it: Probot's createNodeMiddleware
 * around createApp(), in any Node HTTP handler, configured by createProbot
 * from the environment, with `ackBeforeWork: false` so the answer comes
 * only once the work is done. Same sandbox, same signed example delivery.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createNodeMiddleware, createProbot } from 'probot'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { createApp } from '../../src/app/create-app.ts'
import { expectNoLeaks } from '../support/leak-scan.ts'
import { commentPayload, startAppWorld, type AppWorld } from './app-world.ts'

vi.setConfig({ testTimeout: 60_000 })

let world: AppWorld
let server: Server
let url = ''

beforeAll(async () => {
  world = await startAppWorld()
  world.addPerson('mona', 'admin')
  const probot = createProbot({ env: { ...world.appEnv, LOG_LEVEL: 'fatal' } })
  // A function host may freeze once it has answered: the answer waits for the work.
  const middleware = await createNodeMiddleware(createApp({ ackBeforeWork: false }), { probot })
  server = createServer((request, response) => {
    void middleware(request, response, () => response.writeHead(404).end())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`
})

afterAll(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve))
  await world?.close()
})

test('a signed comment delivered to the middleware is answered like the server answers it', async () => {
  const thread = await world.openThread()
  const comment = await world.comment('mona', '/warden help', thread)
  const answer = await world.github.deliverWebhook({ url, secret: world.webhookSecret, event: 'issue_comment', payload: commentPayload(world, comment, thread) })
  expect(answer.status).toBe(200)
  // No waiting: the work was done before the answer.
  expect(world.replies(thread)).toEqual([expect.stringMatching(/^✅ `\/warden help` for @mona/)])
  const forged = await world.github.deliverWebhook({ url, secret: 'not-the-secret', event: 'issue_comment', payload: commentPayload(world, comment, thread) })
  expect(forged.status).toBeGreaterThanOrEqual(400)
  expect(forged.status).toBeLessThan(500)
  expect(world.replies(thread)).toHaveLength(1)
  expectNoLeaks(world.everything(), world.secrets)
})
