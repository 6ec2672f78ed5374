// Self-hosted runners behind a proxy: every request of the action goes through HTTPS_PROXY/HTTP_PROXY.
import { createServer, request, type Server } from 'node:http'
import { connect } from 'node:net'
import { afterEach, expect, it } from 'vitest'
import { pullRequestPayload } from '../../sandbox/webhook-examples.ts'
import { runAction } from '../support/action-harness.ts'
import { REPOSITORY, keysOf, startActionWorld, type ActionWorld } from '../support/action-world.ts'
import { expectNoLeaks } from '../support/leak-scan.ts'

/** A forward proxy: it records each absolute-form request or CONNECT tunnel and passes it on. */
async function startForwardProxy(): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = []
  const server = createServer((incoming, outgoing) => {
    seen.push(`${incoming.method} ${incoming.url}`)
    const target = new URL(incoming.url ?? '/')
    const forwarded = request(target, { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(outgoing)
    })
    forwarded.on('error', () => outgoing.destroy())
    incoming.pipe(forwarded)
  })
  server.on('connect', (incoming, socket, head) => {
    seen.push(`CONNECT ${incoming.url}`)
    const [host = '', port = ''] = (incoming.url ?? '').split(':')
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(socket)
      socket.pipe(upstream)
    })
    upstream.on('error', () => socket.destroy())
    socket.on('error', () => upstream.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { url: `http://127.0.0.1:${port}`, seen, server }
}

let world: ActionWorld
let proxy: Awaited<ReturnType<typeof startForwardProxy>>
afterEach(async () => {
  await world.close()
  await new Promise((resolve) => proxy.server.close(resolve))
})

it('sends every Jira and GitHub request through HTTP_PROXY', async () => {
  world = await startActionWorld({ personality: 'cloud' })
  proxy = await startForwardProxy()
  const payload = pullRequestPayload('opened', { repository: REPOSITORY, number: 7, title: 'PROJ-1 OPS-2', head: 'feature/x', commits: 0 })
  const run = await runAction({
    eventName: 'pull_request',
    payload,
    githubApiUrl: world.github.url,
    repository: REPOSITORY,
    workspaceFiles: { '.github/jira-warden.yml': 'transitions: [{ on: pull_request.opened, to: In Progress }]\nkeys: { from: [title] }' },
    inputs: { ...world.credentialInputs, 'github-token': world.githubToken },
    env: { HTTP_PROXY: proxy.url, NO_PROXY: '' },
  })
  expect(run.exitCode).toBe(0)
  expect(keysOf(run, 'transitioned')).toEqual(['PROJ-1', 'OPS-2'])
  const hostOf = (url: string) => new URL(url).host
  // Node's proxy support tunnels every request (CONNECT), plain http included.
  expect(proxy.seen).toContain(`CONNECT ${hostOf(world.jira.url)}`)
  expect(proxy.seen).toContain(`CONNECT ${hostOf(world.github.url)}`)
  expect(world.jira.log.length + world.github.log.length).toBeGreaterThan(0)
  expectNoLeaks([run.everything], world.secrets)
})
