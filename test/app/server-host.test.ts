/**
 * The server host as `npm start` runs it: what it refuses to start with, and
 * what it refuses to let in (RELIABILITY.md, "Webhooks (server host)").
 * Every case scans all the server wrote, at debug level, for the private
 * key and the webhook secret.
 */
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { startGitHubSandbox, type GitHubSandbox } from '../../sandbox/github/github-sandbox.ts'
import { realPayload } from '../../sandbox/webhook-examples.ts'
import { runAppHostToExit, startAppHost, type AppHost } from '../support/app-host.ts'
import { expectNoLeaks, type ScannedSecret } from '../support/leak-scan.ts'

function freshAppCredentials() {
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
  return { privateKey, webhookSecret: `whsec-${randomBytes(18).toString('hex')}` }
}

function secretsOf(credentials: { privateKey: string; webhookSecret: string }): ScannedSecret[] {
  // The key's base64 body, line by line, so any part of it that reaches the log is found.
  const keyLines = credentials.privateKey.split('\n').filter((line) => line.length >= 40 && !line.startsWith('-----'))
  return [{ secret: credentials.webhookSecret }, { secret: credentials.privateKey }, ...keyLines.map((line) => ({ secret: line }))]
}

function sign(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

describe('the server refuses to start without what makes it safe', () => {
  test.each<[string, (credentials: ReturnType<typeof freshAppCredentials>) => Record<string, string>, RegExp]>([
    ['an empty webhook secret', (c) => ({ APP_ID: '1', PRIVATE_KEY: c.privateKey, WEBHOOK_SECRET: '' }), /WEBHOOK_SECRET is empty: the server refuses to start/],
    ['a blank webhook secret', (c) => ({ APP_ID: '1', PRIVATE_KEY: c.privateKey, WEBHOOK_SECRET: '   ' }), /WEBHOOK_SECRET is empty/],
    ['no webhook secret at all', (c) => ({ APP_ID: '1', PRIVATE_KEY: c.privateKey }), /WEBHOOK_SECRET is empty/],
    ["Probot's default secret", (c) => ({ APP_ID: '1', PRIVATE_KEY: c.privateKey, WEBHOOK_SECRET: 'development' }), /well-known default 'development'/],
    ['no app id', (c) => ({ PRIVATE_KEY: c.privateKey, WEBHOOK_SECRET: c.webhookSecret }), /APP_ID is not set/],
    ['no private key', (c) => ({ APP_ID: '1', WEBHOOK_SECRET: c.webhookSecret }), /Neither PRIVATE_KEY nor PRIVATE_KEY_PATH is set/],
    ['a private key that is not PEM', (c) => ({ APP_ID: '1', PRIVATE_KEY: c.webhookSecret.repeat(3), WEBHOOK_SECRET: c.webhookSecret }), /PRIVATE_KEY is not a PEM private key/],
    ['a key path that does not exist', (c) => ({ APP_ID: '1', PRIVATE_KEY_PATH: '/nonexistent/key.pem', WEBHOOK_SECRET: c.webhookSecret }), /PRIVATE_KEY_PATH does not name a readable \.pem file/],
  ])('%s', async (_name, envOf, message) => {
    const credentials = freshAppCredentials()
    const env = envOf(credentials)
    const exit = await runAppHostToExit({ ...env, LOG_LEVEL: 'debug' })
    expect(exit.exitCode).toBe(1)
    expect(exit.output).toMatch(message)
    expect(exit.output).not.toMatch(/listening on/)
    expectNoLeaks([exit.output], [...secretsOf(credentials), { secret: credentials.webhookSecret.repeat(3) }])
  })
})

describe('deliveries the server refuses before any handler runs', () => {
  let github: GitHubSandbox
  let app: AppHost
  let credentials: ReturnType<typeof freshAppCredentials>

  beforeAll(async () => {
    github = await startGitHubSandbox()
    credentials = freshAppCredentials()
    const dir = mkdtempSync(join(tmpdir(), 'jira-warden-key-'))
    writeFileSync(join(dir, 'app.pem'), credentials.privateKey)
    app = await startAppHost({
      APP_ID: '4242',
      PRIVATE_KEY_PATH: join(dir, 'app.pem'),
      WEBHOOK_SECRET: credentials.webhookSecret,
      GHE_HOST: new URL(github.url).host,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'debug',
      WEBHOOK_MAX_BODY_BYTES: '65536',
    })
  })

  afterAll(async () => {
    await app?.stop()
    await github?.close()
  })

  afterEach(() => {
    // Whatever was refused made no GitHub request at all.
    expect(github.log).toEqual([])
    expectNoLeaks([app.output()], secretsOf(credentials))
  })

  const comment = () => JSON.stringify(realPayload('issue_comment', 3))

  async function post(body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
    const response = await fetch(app.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'issue_comment', ...headers },
      body,
    })
    return { status: response.status, text: await response.text() }
  }

  test.each<[string, (body: string) => Record<string, string>]>([
    ['a missing signature', () => ({ 'x-github-delivery': 'd-missing' })],
    ['a malformed signature', () => ({ 'x-github-delivery': 'd-malformed', 'x-hub-signature-256': 'sha256=not-hex' })],
    ['a SHA-1 signature only', (body) => ({ 'x-github-delivery': 'd-sha1', 'x-hub-signature-256': `sha1=${createHmac('sha1', credentials.webhookSecret).update(body).digest('hex')}` })],
    ['a signature made with another secret', (body) => ({ 'x-github-delivery': 'd-wrong', 'x-hub-signature-256': sign('another-secret', body) })],
    ['a signature of another body', () => ({ 'x-github-delivery': 'd-other', 'x-hub-signature-256': sign(credentials.webhookSecret, '{}') })],
    ['an empty signature', () => ({ 'x-github-delivery': 'd-empty', 'x-hub-signature-256': '' })],
  ])('%s: 4xx and nothing runs', async (_name, headersOf) => {
    const body = comment()
    const headers = headersOf(body)
    const answer = await post(body, headers)
    expect(answer.status).toBeGreaterThanOrEqual(400)
    expect(answer.status).toBeLessThan(500)
    const line = await app.waitForOutput(new RegExp(`delivery ${headers['x-github-delivery']} issue_comment → 4\\d\\d in \\d+ ms: refused, nothing ran`))
    expect(line).toBeTruthy()
  })

  test('a body over the limit is refused with 413 before it is read, however it is signed', async () => {
    const payload = realPayload('issue_comment', 3)
    payload.comment.body = `/warden rotate\n${'x'.repeat(70_000)}`
    const body = JSON.stringify(payload)
    const answer = await post(body, { 'x-github-delivery': 'd-huge', 'x-hub-signature-256': sign(credentials.webhookSecret, body) })
    expect(answer.status).toBe(413)
    await app.waitForOutput(/delivery d-huge issue_comment → 413 in \d+ ms: refused: body over 65536 bytes/)
  })

  test('a body that streams past the limit without a length is cut off too', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(16_384))
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i += 1) controller.enqueue(chunk)
        controller.close()
      },
    })
    // The server answers 413 and closes while the client may still be sending: either the answer or the reset reaches it.
    const status = await fetch(app.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'issue_comment', 'x-github-delivery': 'd-stream', 'x-hub-signature-256': 'sha256=00' },
      body: stream,
      duplex: 'half',
    } as RequestInit).then(
      (response) => response.status,
      () => 'connection closed',
    )
    expect([413, 'connection closed']).toContain(status)
    await app.waitForOutput(/delivery d-stream issue_comment → 413 in \d+ ms: refused: body over 65536 bytes/)
  })

  test('an edited comment, correctly signed, is answered 200 and ignored: one info line says why', async () => {
    const payload = realPayload('issue_comment', 7)
    payload.comment.body = '/warden rotate'
    const body = JSON.stringify(payload)
    const answer = await post(body, { 'x-github-delivery': 'd-edited', 'x-hub-signature-256': sign(credentials.webhookSecret, body) })
    expect(answer.status).toBe(200)
    await app.waitForOutput(/delivery d-edited issue_comment → 200 in \d+ ms: ignored: edited comments are never acted on/)
    const infoLines = app
      .output()
      .split('\n')
      .filter((line) => line.includes('"level":30') && line.includes('d-edited'))
    expect(infoLines).toHaveLength(1)
  })

  test('log lines cannot be forged through delivery headers', async () => {
    const body = comment()
    await post(body, { 'x-github-delivery': 'x\n{"level":30,"msg":"forged"}', 'x-hub-signature-256': 'sha256=00' }).catch(() => undefined)
    await post(body, { 'x-github-delivery': 'abc def', 'x-hub-signature-256': 'sha256=00' })
    await app.waitForOutput(/delivery - issue_comment → 4\d\d/)
    expect(app.output()).not.toContain('"msg":"forged"')
  })
})
