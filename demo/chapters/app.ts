/**
 * The app chapter of `npm run demo`: the Probot app's server starts against
 * the sandboxes (registered and installed as a GitHub App there), and an
 * admin asks it `/warden status` and `/warden audit` in an issue; the
 * replies it posts are printed.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import type { GitHubSandbox } from '../../sandbox/github/github-sandbox.ts'
import type { JiraSandbox } from '../../sandbox/jira/jira-sandbox.ts'
import { onRepository, realPayload } from '../../sandbox/webhook-examples.ts'
import { readServerSettings } from '../../src/app/server-settings.ts'
import { startAppServer } from '../../src/app/start-app-server.ts'

const APP_SLUG = 'jira-warden'
const ADMIN = 'mona'

export async function runAppChapter(world: { jira: JiraSandbox; github: GitHubSandbox; repository: string }, say: (line: string) => void): Promise<void> {
  const { github, repository } = world
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
  const webhookSecret = randomBytes(24).toString('hex')
  const appId = 4242
  github.addApp({ id: appId, slug: APP_SLUG, privateKey, owner: repository.split('/')[0], permissions: { issues: 'write', pull_requests: 'write', contents: 'read', actions: 'write', actions_variables: 'write', secrets: 'write' }, events: ['issue_comment', 'workflow_run'] })
  const installationId = github.addInstallation({ appId, account: repository.split('/')[0] ?? '', repositories: [repository] })
  github.setCollaborator(repository, ADMIN, 'admin')
  const server = await startAppServer(
    readServerSettings({ APP_ID: String(appId), PRIVATE_KEY: privateKey, WEBHOOK_SECRET: webhookSecret, PORT: '0', HOST: '127.0.0.1', GHE_HOST: new URL(github.url).host, GHE_PROTOCOL: 'http', LOG_LEVEL: 'error' }),
  )
  try {
    say(`The app: Probot server at ${server.webhookUrl}, installed on ${repository} as ${APP_SLUG}[bot].`)
    const token = github.issueToken({ kind: 'user', login: ADMIN, repositories: [repository], permissions: { issues: 'write' } })
    const issue = await api(github, token, 'POST', `/repos/${repository}/issues`, { title: 'Jira credential', body: 'Where admins ask jira-warden.' })
    for (const command of ['/warden status', '/warden audit']) {
      const comment = await api(github, token, 'POST', `/repos/${repository}/issues/${issue.number}/comments`, { body: command })
      const payload = onRepository(realPayload('issue_comment', 3), repository)
      Object.assign(payload.comment, { id: comment.id, html_url: comment.html_url, body: command })
      Object.assign(payload.comment.user, { login: ADMIN, type: 'User' })
      Object.assign(payload.sender, { login: ADMIN, type: 'User' })
      Object.assign(payload.issue, { number: issue.number })
      payload.installation.id = installationId
      payload.repository.default_branch = 'main'
      const delivery = await github.deliverWebhook({ url: server.webhookUrl, secret: webhookSecret, event: 'issue_comment', payload })
      const reply = github
        .issues(repository)
        .find((candidate) => candidate.number === issue.number)
        ?.comments.filter((candidate) => candidate.user === `${APP_SLUG}[bot]`)
        .at(-1)
      say(`\n@${ADMIN}: ${command}   (delivery answered ${delivery.status})`)
      for (const line of (reply?.body ?? '(no reply)').split('\n')) say(`  ${line}`)
    }
    say('')
  } finally {
    await server.close()
  }
}

async function api(github: GitHubSandbox, token: string, method: string, path: string, body: unknown): Promise<Record<string, any>> {
  const response = await fetch(`${github.url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`)
  return (await response.json()) as Record<string, any>
}
