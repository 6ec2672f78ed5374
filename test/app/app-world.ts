/**
 * The app's world: both sandboxes, a repository with the app registered and
 * installed, people with live permissions, the server started as `npm start`
 * starts it against the GitHub sandbox (GHE_HOST), and comments delivered to
 * it as GitHub delivers them: a real @octokit/webhooks-examples issue_comment
 * body, adapted to the sandbox comment, signed with the webhook secret.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { startGitHubSandbox, type GitHubSandbox } from '../../sandbox/github/github-sandbox.ts'
import { startJiraSandbox, type JiraSandbox } from '../../sandbox/jira/jira-sandbox.ts'
import { onRepository, realPayload } from '../../sandbox/webhook-examples.ts'
import { parseAuditComment, type AuditEntry } from '../../src/core/audit-entry.ts'
import { startAppHost, type AppHost } from '../support/app-host.ts'
import type { ScannedSecret } from '../support/leak-scan.ts'

export const REPOSITORY = 'acme/shop'
export const APP_SLUG = 'jira-warden'
export const BOT = `${APP_SLUG}[bot]`
export const APP_PERMISSIONS = {
  issues: 'write',
  pull_requests: 'write',
  contents: 'write',
  actions: 'write',
  actions_variables: 'write',
  secrets: 'write',
} as const

export type Role = 'admin' | 'maintain' | 'write' | 'triage' | 'read'

export interface PostedComment {
  id: number
  htmlUrl: string
  body: string
  user: string
}

export interface Delivery {
  status: number
  deliveryId: string
}

export interface AppWorld {
  github: GitHubSandbox
  jira: JiraSandbox
  app: AppHost
  installationId: number
  webhookSecret: string
  /** The environment `npm start` was given (an in-process server can be built from it). */
  appEnv: Record<string, string>
  /** Issue every test talks in. */
  issueNumber: number
  /** Secrets the leak scan looks for: the app's private key and webhook secret, and every token made for the test. */
  secrets: ScannedSecret[]
  addPerson(login: string, role: Role | 'outside'): void
  /** Writes the comment on GitHub as that person. */
  comment(login: string, body: string, issueNumber?: number): Promise<PostedComment>
  /**
   * Delivers issue_comment (created unless told) for that comment, signed, and
   * waits for the server's line about it: the server answers at once and
   * writes that line when the delivery's work has ended, so what the work
   * did (replies, reactions, audit entries) is there when this resolves.
   */
  deliverComment(comment: PostedComment, options?: { action?: 'created' | 'edited'; deliveryId?: string; sender?: { login: string; type: 'User' | 'Bot' }; issueNumber?: number }): Promise<Delivery>
  /** Both: what a person typing a command does. */
  say(login: string, body: string, issueNumber?: number): Promise<{ comment: PostedComment; delivery: Delivery }>
  /** Comments the app wrote in the thread (replies), oldest first. */
  replies(issueNumber?: number): string[]
  /** Waits until the app has written at least `count` replies in the thread (work runs after the HTTP answer), then returns them all. */
  waitForReplies(issueNumber: number, count?: number): Promise<string[]>
  auditEntries(): AuditEntry[]
  /** Deletes a repository variable over the REST API (the sandbox handle only sets them). */
  deleteVariable(name: string): Promise<void>
  /** A new issue to talk in, so each test reads only its own replies. */
  openThread(title?: string): Promise<number>
  /** Another server process with the same app settings: a second replica behind the same webhook. */
  startReplica(): Promise<AppHost>
  /** Everything the test world's programs wrote: server logs (every replica) and every comment on GitHub. */
  everything(): string[]
  close(): Promise<void>
}

export async function startAppWorld(options: { env?: Record<string, string> } = {}): Promise<AppWorld> {
  const github = await startGitHubSandbox()
  const jira = await startJiraSandbox({ personality: 'data-center' })
  github.addRepository(REPOSITORY, { private: true })
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
  const webhookSecret = `whsec-${randomBytes(18).toString('hex')}`
  const appId = 1000 + Math.floor(Math.random() * 1000)
  github.addApp({ id: appId, slug: APP_SLUG, privateKey, owner: 'acme', permissions: { ...APP_PERMISSIONS }, events: ['issue_comment', 'workflow_run'] })
  const installationId = github.addInstallation({ appId, account: 'acme', repositories: [REPOSITORY] })
  const secrets: ScannedSecret[] = [{ secret: webhookSecret }, ...pemSecrets(privateKey)]
  const appEnv = {
    APP_ID: String(appId),
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: webhookSecret,
    GHE_HOST: new URL(github.url).host,
    GHE_PROTOCOL: 'http',
    LOG_LEVEL: 'debug',
    ...options.env,
  }
  const app = await startAppHost(appEnv)
  const replicas: AppHost[] = []
  const opener = userToken(github, 'octocat', secrets)
  const issueNumber = (await api(github, opener, 'POST', `/repos/${REPOSITORY}/issues`, { title: 'Jira credential', body: 'Talk to jira-warden here.' })).number as number
  const tokens = new Map<string, string>()
  const tokenOf = (login: string) => {
    let token = tokens.get(login)
    if (!token) tokens.set(login, (token = userToken(github, login, secrets)))
    return token
  }

  const world: AppWorld = {
    github,
    jira,
    app,
    installationId,
    webhookSecret,
    appEnv,
    issueNumber,
    secrets,
    addPerson(login, role) {
      if (role !== 'outside') github.setCollaborator(REPOSITORY, login, role)
    },
    async comment(login, body, number = issueNumber) {
      const created = await api(github, tokenOf(login), 'POST', `/repos/${REPOSITORY}/issues/${number}/comments`, { body })
      return { id: created.id as number, htmlUrl: created.html_url as string, body, user: login }
    },
    async deliverComment(comment, deliveryOptions = {}) {
      const payload = commentPayload(world, comment, deliveryOptions.issueNumber ?? issueNumber, deliveryOptions)
      const answer = await github.deliverWebhook({
        url: app.webhookUrl,
        secret: webhookSecret,
        event: 'issue_comment',
        payload,
        ...(deliveryOptions.deliveryId ? { deliveryId: deliveryOptions.deliveryId } : {}),
      })
      await app.waitForOutput(new RegExp(`delivery ${answer.deliveryId} issue_comment → \\d+`), 30_000)
      return { status: answer.status, deliveryId: answer.deliveryId }
    },
    async say(login, body, number = issueNumber) {
      const comment = await world.comment(login, body, number)
      return { comment, delivery: await world.deliverComment(comment, { issueNumber: number }) }
    },
    replies(number = issueNumber) {
      return github
        .issues(REPOSITORY)
        .find((issue) => issue.number === number)
        ?.comments.filter((comment) => comment.user === BOT)
        .map((comment) => comment.body) ?? []
    },
    async waitForReplies(number, count = 1) {
      const deadline = Date.now() + 30_000
      while (world.replies(number).length < count) {
        if (Date.now() > deadline) throw new Error(`no ${count} replies from the app in #${number} within 30 s; it has ${world.replies(number).length}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      return world.replies(number)
    },
    auditEntries() {
      return github
        .issues(REPOSITORY)
        .filter((issue) => issue.labels.includes('jira-warden:audit'))
        .flatMap((issue) => issue.comments.map((comment) => parseAuditComment(comment.body)).filter((entry): entry is AuditEntry => entry !== undefined))
    },
    async deleteVariable(name) {
      const token = github.issueToken({ kind: 'installation', appSlug: APP_SLUG, repositories: [REPOSITORY], permissions: { actions_variables: 'write' } })
      secrets.push({ secret: token })
      const response = await fetch(`${github.url}/repos/${REPOSITORY}/actions/variables/${name}`, { method: 'DELETE', headers: { authorization: `token ${token}` } })
      if (response.status !== 204 && response.status !== 404) throw new Error(`DELETE variable ${name} answered ${response.status}`)
    },
    async openThread(title = 'Jira credential') {
      return (await api(github, opener, 'POST', `/repos/${REPOSITORY}/issues`, { title, body: 'Talk to jira-warden here.' })).number as number
    },
    async startReplica() {
      const replica = await startAppHost(appEnv)
      replicas.push(replica)
      return replica
    },
    everything() {
      const comments = github.issues(REPOSITORY).flatMap((issue) => [issue.title, issue.body ?? '', ...issue.comments.map((comment) => comment.body)])
      return [app.output(), ...replicas.map((replica) => replica.output()), ...comments]
    },
    async close() {
      await Promise.all(replicas.map((replica) => replica.stop()))
      await app.stop()
      await Promise.all([github.close(), jira.close()])
    },
  }
  return world
}

/** The real example (examples[3], which carries an installation), moved onto the sandbox comment. */
export function commentPayload(
  world: Pick<AppWorld, 'github' | 'installationId'>,
  comment: PostedComment,
  issueNumber: number,
  options: { action?: 'created' | 'edited'; sender?: { login: string; type: 'User' | 'Bot' } } = {},
): Record<string, any> {
  const { github, installationId } = world
  const payload = onRepository(realPayload('issue_comment', 3), REPOSITORY)
  const sender = options.sender ?? { login: comment.user, type: 'User' as const }
  payload.action = options.action ?? 'created'
  if (payload.action === 'edited') payload.changes = { body: { from: 'hello' } }
  payload.installation.id = installationId
  payload.repository.private = true
  payload.repository.default_branch = 'main'
  payload.issue.number = issueNumber
  payload.issue.html_url = `https://github.com/${REPOSITORY}/issues/${issueNumber}`
  payload.comment.id = comment.id
  payload.comment.html_url = comment.htmlUrl
  payload.comment.url = `${github.url}/repos/${REPOSITORY}/issues/comments/${comment.id}`
  payload.comment.body = comment.body
  payload.comment.user.login = sender.login
  payload.comment.user.type = sender.type
  payload.sender.login = sender.login
  payload.sender.type = sender.type
  return payload
}

function userToken(github: GitHubSandbox, login: string, secrets: ScannedSecret[]): string {
  const token = github.issueToken({ kind: 'user', login, repositories: [REPOSITORY], permissions: { issues: 'write', pull_requests: 'write', metadata: 'read' } })
  secrets.push({ secret: token })
  return token
}

async function api(github: GitHubSandbox, token: string, method: string, path: string, body?: unknown): Promise<Record<string, any>> {
  const response = await fetch(`${github.url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`)
  return (await response.json()) as Record<string, any>
}

/** The PEM and each line of its body: any fragment of the key in a log is a leak. */
function pemSecrets(pem: string): ScannedSecret[] {
  return [{ secret: pem }, ...pem.split('\n').filter((line) => line.length >= 40 && !line.startsWith('-----')).map((line) => ({ secret: line }))]
}
