import { execFileSync } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getOctokit } from '@actions/github'
import { createNodeMiddleware, Probot, ProbotOctokit, type ApplicationFunction } from 'probot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomSecret } from '../../sandbox/http/sandbox-server.ts'
import { secondaryRateLimitFault, startGitHubSandbox, type GitHubSandbox, type SandboxApp } from '../../sandbox/github/github-sandbox.ts'
import { expectNoLeaks } from '../support/leak-scan.ts'

type Octokit = ReturnType<typeof getOctokit>

const REPO = { owner: 'acme', repo: 'shop' }

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
}

describe('GitHub sandbox: collaborators, reactions, workflow dispatch, webhooks, secondary limits', () => {
  let sandbox: GitHubSandbox
  let app: SandboxApp
  let installationId: number
  let bot: Octokit
  const client = (token: string): Octokit => getOctokit(token, { baseUrl: sandbox.url, request: { retries: 0 } })

  beforeAll(async () => {
    sandbox = await startGitHubSandbox()
    sandbox.addRepository('acme/shop')
    app = sandbox.addApp({ id: 5150, slug: 'jira-warden', permissions: { issues: 'write', actions: 'write', metadata: 'read' }, events: ['issue_comment', 'workflow_run'] })
    installationId = sandbox.addInstallation({ appId: app.id, account: 'acme', repositories: ['acme/shop'] })
    bot = client(sandbox.issueToken({ kind: 'installation', appSlug: 'jira-warden', repositories: ['acme/shop'], permissions: { issues: 'write', actions: 'write', metadata: 'read' } }))
  })

  afterAll(async () => {
    await sandbox.close()
  })

  describe('collaborator permission', () => {
    it('answers the live role and legacy permission, and 404 for non-collaborators', async () => {
      sandbox.setCollaborator('acme/shop', 'alice', 'admin')
      sandbox.setCollaborator('acme/shop', 'mia', 'maintain')
      sandbox.setCollaborator('acme/shop', 'tom', 'triage')
      const alice = await bot.rest.repos.getCollaboratorPermissionLevel({ ...REPO, username: 'alice' })
      expect(alice.data).toMatchObject({ permission: 'admin', role_name: 'admin', user: { login: 'alice', permissions: { admin: true, push: true, pull: true } } })
      expect((await bot.rest.repos.getCollaboratorPermissionLevel({ ...REPO, username: 'MIA' })).data).toMatchObject({ permission: 'write', role_name: 'maintain' })
      expect((await bot.rest.repos.getCollaboratorPermissionLevel({ ...REPO, username: 'tom' })).data).toMatchObject({ permission: 'read', role_name: 'triage' })
      await expect(bot.rest.repos.getCollaboratorPermissionLevel({ ...REPO, username: 'mallory' })).rejects.toMatchObject({ status: 404 })

      sandbox.setCollaborator('acme/shop', 'alice', 'write')
      expect((await bot.rest.repos.getCollaboratorPermissionLevel({ ...REPO, username: 'alice' })).data).toMatchObject({ permission: 'write', role_name: 'write' })
    })

    it('stamps collaborators COLLABORATOR on what they write, whatever their token holds', async () => {
      sandbox.setCollaborator('acme/shop', 'tina', 'triage')
      const tina = client(sandbox.issueToken({ kind: 'user', login: 'tina', repositories: ['acme/shop'], permissions: { issues: 'write' } }))
      const stranger = client(sandbox.issueToken({ kind: 'user', login: 'sam', repositories: ['acme/shop'], permissions: { issues: 'write' } }))
      const issue = await bot.rest.issues.create({ ...REPO, title: 'associations' })
      expect((await tina.rest.issues.createComment({ ...REPO, issue_number: issue.data.number, body: 'hi' })).data.author_association).toBe('COLLABORATOR')
      expect((await stranger.rest.issues.createComment({ ...REPO, issue_number: issue.data.number, body: 'hi' })).data.author_association).toBe('NONE')
    })

    it('needs push access from people', async () => {
      const reader = client(sandbox.issueToken({ kind: 'user', login: 'rita', repositories: ['acme/shop'], permissions: { issues: 'write' } }))
      await expect(reader.rest.repos.getCollaboratorPermissionLevel({ ...REPO, username: 'alice' })).rejects.toMatchObject({
        status: 403,
        response: { data: { message: 'Must have push access to view collaborator permission.' } },
      })
    })
  })

  describe('reactions', () => {
    it('answers 201 for a new reaction and 200 with the same one when it exists, counted on the comment', async () => {
      const issue = await bot.rest.issues.create({ ...REPO, title: 'commands' })
      const comment = await bot.rest.issues.createComment({ ...REPO, issue_number: issue.data.number, body: '/warden status' })
      const eyes = await bot.rest.reactions.createForIssueComment({ ...REPO, comment_id: comment.data.id, content: 'eyes' })
      expect(eyes.status).toBe(201)
      expect(eyes.data).toMatchObject({ content: 'eyes', user: { login: 'jira-warden[bot]' } })
      const again = await bot.rest.reactions.createForIssueComment({ ...REPO, comment_id: comment.data.id, content: 'eyes' })
      expect(again.status).toBe(200)
      expect(again.data.id).toBe(eyes.data.id)
      const alice = client(sandbox.issueToken({ kind: 'user', login: 'alice', repositories: ['acme/shop'], permissions: { issues: 'write' } }))
      expect((await alice.rest.reactions.createForIssueComment({ ...REPO, comment_id: comment.data.id, content: 'eyes' })).status).toBe(201)
      expect((await bot.rest.reactions.createForIssueComment({ ...REPO, comment_id: comment.data.id, content: '+1' })).status).toBe(201)

      expect(sandbox.reactions('acme/shop', comment.data.id)).toEqual([
        { content: 'eyes', user: 'jira-warden[bot]' },
        { content: 'eyes', user: 'alice' },
        { content: '+1', user: 'jira-warden[bot]' },
      ])
      const read = await bot.rest.issues.getComment({ ...REPO, comment_id: comment.data.id })
      expect(read.data.reactions).toMatchObject({ total_count: 3, eyes: 2, '+1': 1, rocket: 0 })
      const listed = await bot.rest.reactions.listForIssueComment({ ...REPO, comment_id: comment.data.id, content: 'eyes' })
      expect(listed.data.map((reaction) => reaction.user?.login)).toEqual(['jira-warden[bot]', 'alice'])

      await expect(bot.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', { ...REPO, comment_id: comment.data.id, content: 'tada' } as never)).rejects.toMatchObject({ status: 422 })
      const reader = client(sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { issues: 'read' } }))
      await expect(reader.rest.reactions.createForIssueComment({ ...REPO, comment_id: comment.data.id, content: 'heart' })).rejects.toMatchObject({ status: 403 })
      await expect(bot.rest.reactions.createForIssueComment({ ...REPO, comment_id: 1, content: 'heart' })).rejects.toMatchObject({ status: 404 })
      expect(sandbox.reactions('acme/shop', comment.data.id)).toHaveLength(3)
    })
  })

  describe('workflow dispatch', () => {
    beforeAll(() => {
      sandbox.addWorkflow('acme/shop', 'rotate.yml', {
        name: 'Rotate Jira credential',
        inputs: { command: { required: true, type: 'choice', options: ['rotate', 'verify', 'status'] }, comment: { required: false }, 'dry-run': { type: 'boolean', default: 'false' } },
        permissions: { contents: 'read', issues: 'write' },
      })
      sandbox.addWorkflow('acme/shop', 'manual.yml')
    })

    it('records the dispatch, plays the handler with the run token and inputs, and completes the run', async () => {
      const issue = await bot.rest.issues.create({ ...REPO, title: 'rotation requests' })
      const seen: Array<{ inputs: Record<string, string>; ref: string; actor: string }> = []
      let runToken = ''
      const stop = sandbox.onWorkflowDispatch('rotate.yml', async (run) => {
        seen.push({ inputs: run.inputs, ref: run.ref, actor: run.actor })
        runToken = run.githubToken
        const job = getOctokit(run.githubToken, { baseUrl: run.apiUrl })
        await job.rest.issues.createComment({ ...REPO, issue_number: issue.data.number, body: `run ${run.runId}: ${run.inputs.command}` })
        return 'success' as const
      })
      try {
        const dispatched = await bot.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
          ...REPO,
          workflow_id: 'rotate.yml',
          ref: 'main',
          inputs: { command: 'rotate', comment: '42' },
          return_run_details: true,
        })
        expect(dispatched.status).toBe(200)
        const runId = (dispatched.data as { workflow_run_id: number }).workflow_run_id
        const completed = await sandbox.waitForRun(runId)
        expect(completed).toMatchObject({ status: 'completed', conclusion: 'success', workflow: 'rotate.yml', ref: 'main', actor: 'jira-warden[bot]' })
        expect(seen).toEqual([{ inputs: { command: 'rotate', comment: '42', 'dry-run': 'false' }, ref: 'refs/heads/main', actor: 'jira-warden[bot]' }])
        const run = await bot.rest.actions.getWorkflowRun({ ...REPO, run_id: runId })
        expect(run.data).toMatchObject({ id: runId, event: 'workflow_dispatch', status: 'completed', conclusion: 'success', path: '.github/workflows/rotate.yml' })
        const comments = sandbox.issues('acme/shop').find((entry) => entry.number === issue.data.number)?.comments ?? []
        expect(comments.map((comment) => [comment.user, comment.body])).toEqual([['github-actions[bot]', `run ${runId}: rotate`]])
        await expect(client(runToken).rest.issues.get({ ...REPO, issue_number: issue.data.number })).rejects.toMatchObject({ status: 401 })
      } finally {
        stop()
      }
    })

    it('answers 204 by default, accepts the numeric id, and leaves a run without handler queued until completed', async () => {
      const workflows = sandbox.workflowRuns('acme/shop').length
      const manualId = sandbox.addWorkflow('acme/shop', 'numeric.yml')
      const answer = await bot.rest.actions.createWorkflowDispatch({ ...REPO, workflow_id: manualId, ref: 'refs/heads/main' })
      expect(answer.status).toBe(204)
      const runs = sandbox.workflowRuns('acme/shop')
      expect(runs).toHaveLength(workflows + 1)
      const queued = runs.at(-1)
      expect(queued).toMatchObject({ workflow: 'numeric.yml', status: 'queued', conclusion: null })
      const waiting = sandbox.waitForRun(queued?.id ?? 0)
      sandbox.completeRun(queued?.id ?? 0, 'cancelled')
      expect(await waiting).toMatchObject({ status: 'completed', conclusion: 'cancelled' })
    })

    it('concludes failure when the handler throws', async () => {
      const stop = sandbox.onWorkflowDispatch('manual.yml', () => {
        throw new Error('rotation failed at phase test')
      })
      try {
        await bot.rest.actions.createWorkflowDispatch({ ...REPO, workflow_id: 'manual.yml', ref: 'main' })
        const run = sandbox.workflowRuns('acme/shop').at(-1)
        expect(await sandbox.waitForRun(run?.id ?? 0)).toMatchObject({ conclusion: 'failure', failure: 'rotation failed at phase test' })
      } finally {
        stop()
      }
    })

    it('refuses unknown workflows (404), bad refs and inputs (422) and callers without actions: write (403), recording nothing', async () => {
      const before = sandbox.workflowRuns('acme/shop').length
      const cases: Array<[Record<string, unknown>, number, RegExp?]> = [
        [{ workflow_id: 'nowhere.yml', ref: 'main' }, 404],
        [{ workflow_id: 'rotate.yml', ref: 'nope', inputs: { command: 'rotate' } }, 422, /^No ref found for: nope$/],
        [{ workflow_id: 'rotate.yml', ref: 'main', inputs: { command: 'rotate', repo: 'other/repo' } }, 422, /^Unexpected inputs provided: \["repo"\]$/],
        [{ workflow_id: 'rotate.yml', ref: 'main', inputs: {} }, 422, /^Required input 'command' not provided$/],
        [{ workflow_id: 'rotate.yml', ref: 'main', inputs: { command: 'destroy' } }, 422, /not in the list of allowed values/],
        [{ workflow_id: 'rotate.yml', inputs: { command: 'rotate' } }, 422],
      ]
      for (const [parameters, status, message] of cases) {
        const error = await bot.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', { ...REPO, ...parameters } as never).catch((caught: unknown) => caught)
        expect(error, JSON.stringify(parameters)).toMatchObject({ status })
        if (message) expect((error as { response: { data: { message: string } } }).response.data.message).toMatch(message)
      }
      const reader = client(sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { actions: 'read' } }))
      await expect(reader.rest.actions.createWorkflowDispatch({ ...REPO, workflow_id: 'rotate.yml', ref: 'main', inputs: { command: 'status' } })).rejects.toMatchObject({ status: 403 })
      sandbox.inject({ method: 'POST', path: /\/dispatches$/, kind: 'status', status: 500 })
      await expect(bot.rest.actions.createWorkflowDispatch({ ...REPO, workflow_id: 'rotate.yml', ref: 'main', inputs: { command: 'status' } })).rejects.toMatchObject({ status: 500 })
      expect(sandbox.workflowRuns('acme/shop')).toHaveLength(before)
    })
  })

  describe('run-name', () => {
    it("fills each run's display_title from the workflow's run-name and its inputs (empty when not given); without one it is the workflow's name", async () => {
      sandbox.addWorkflow('acme/shop', 'named-run.yml', {
        name: 'Rotate',
        inputs: { command: { required: true }, fingerprint: {}, comment: {} },
        runName: 'jira-warden ${{ inputs.command }} ${{inputs.fingerprint}} ${{ inputs.comment }}',
      })
      const comment = 'https://github.com/acme/shop/issues/7#issuecomment-99'
      const named = await bot.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
        ...REPO,
        workflow_id: 'named-run.yml',
        ref: 'main',
        inputs: { command: 'rotate', comment },
        return_run_details: true,
      })
      const runId = (named.data as { workflow_run_id: number }).workflow_run_id
      const run = await bot.rest.actions.getWorkflowRun({ ...REPO, run_id: runId })
      expect(run.data.display_title).toBe(`jira-warden rotate  ${comment}`)
      expect(run.data.name).toBe('Rotate')
      expect(sandbox.workflowRuns('acme/shop').find((entry) => entry.id === runId)?.displayTitle).toBe(`jira-warden rotate  ${comment}`)

      sandbox.addWorkflow('acme/shop', 'plain-run.yml', { name: 'Plain' })
      const plain = await bot.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', { ...REPO, workflow_id: 'plain-run.yml', ref: 'main', return_run_details: true })
      const plainRun = await bot.rest.actions.getWorkflowRun({ ...REPO, run_id: (plain.data as { workflow_run_id: number }).workflow_run_id })
      expect(plainRun.data.display_title).toBe('Plain')
    })

    it('refuses a run-name with expressions it cannot evaluate', () => {
      expect(() => sandbox.addWorkflow('acme/shop', 'bad-run.yml', { runName: 'by ${{ github.actor }}' })).toThrow(/run-name expression \$\{\{ github\.actor \}\} is not supported/)
    })
  })

  describe('repository contents', () => {
    const config = 'commands:\n  open-to-write: [status]  # café\n'

    beforeAll(() => {
      sandbox.addFile('acme/shop', '.github/jira-warden.yml', config)
    })

    it('answers an added file in the JSON form (base64) and the raw form, on the default branch only', async () => {
      const reader = client(sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { contents: 'read' } }))
      const file = await reader.rest.repos.getContent({ ...REPO, path: '.github/jira-warden.yml' })
      const data = file.data as { type: string; encoding: string; content: string; size: number; path: string; name: string; sha: string }
      expect(data).toMatchObject({ type: 'file', encoding: 'base64', path: '.github/jira-warden.yml', name: 'jira-warden.yml', size: Buffer.byteLength(config) })
      expect(Buffer.from(data.content, 'base64').toString('utf8')).toBe(config)
      // git's own blob id of the same bytes.
      expect(data.sha).toBe(execFileSync('git', ['hash-object', '--stdin'], { input: config }).toString().trim())
      const raw = await reader.request('GET /repos/{owner}/{repo}/contents/{path}', { ...REPO, path: '.github/jira-warden.yml', mediaType: { format: 'raw' } })
      expect(raw.data).toBe(config)
      expect((await reader.rest.repos.getContent({ ...REPO, path: '.github/jira-warden.yml', ref: 'main' })).status).toBe(200)
      await expect(reader.rest.repos.getContent({ ...REPO, path: '.github/jira-warden.yml', ref: 'feature' })).rejects.toMatchObject({ status: 404 })
      await expect(reader.rest.repos.getContent({ ...REPO, path: '.github/other.yml' })).rejects.toMatchObject({ status: 404 })
      const noContents = client(sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { issues: 'read' } }))
      await expect(noContents.rest.repos.getContent({ ...REPO, path: '.github/jira-warden.yml' })).rejects.toMatchObject({ status: 403 })
    })

    it("is what Probot's config loader reads: the file parsed, null when there is none", async () => {
      const token = sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { contents: 'read' } })
      const octokit = new ProbotOctokit({ auth: { token }, baseUrl: sandbox.url })
      const loaded = await octokit.config.get({ ...REPO, path: '.github/jira-warden.yml' })
      expect(loaded.config).toEqual({ commands: { 'open-to-write': ['status'] } })
      const missing = await octokit.config.get({ ...REPO, path: '.github/absent.yml' })
      expect(missing.config).toEqual({})
    })
  })

  describe('webhook delivery', () => {
    it('signs the exact body with HMAC-SHA256 and reports the server answer', async () => {
      const secret = randomSecret('whsec-')
      const received: Array<{ headers: IncomingHttpHeaders; body: string }> = []
      const server = createServer((request, response) => {
        const chunks: Buffer[] = []
        request.on('data', (chunk: Buffer) => chunks.push(chunk))
        request.on('end', () => {
          received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') })
          response.writeHead(202, { 'content-type': 'text/plain' }).end('queued')
        })
      })
      const url = await listen(server)
      try {
        const payload = { action: 'created', comment: { id: 1, body: '/warden status ✓' } }
        const answer = await sandbox.deliverWebhook({ url: `${url}/hooks`, secret, event: 'issue_comment', payload, deliveryId: 'fixed-delivery' })
        expect(answer).toEqual({ status: 202, body: 'queued', deliveryId: 'fixed-delivery' })
        const [delivery] = received
        expect(delivery?.headers).toMatchObject({ 'x-github-event': 'issue_comment', 'x-github-delivery': 'fixed-delivery', 'content-type': 'application/json' })
        expect(delivery?.headers['x-hub-signature-256']).toBe(`sha256=${createHmac('sha256', secret).update(delivery?.body ?? '').digest('hex')}`)
        expect(JSON.parse(delivery?.body ?? '')).toEqual(payload)

        await sandbox.deliverWebhook({ url, secret, event: 'ping', payload: {}, signature: null })
        expect(received[1]?.headers['x-hub-signature-256']).toBeUndefined()
        expect(received[1]?.headers['x-github-delivery']).toMatch(/^[0-9a-f-]{36}$/)
        expect(sandbox.webhookDeliveries().slice(-2).map((entry) => [entry.event, entry.action, entry.status])).toEqual([
          ['issue_comment', 'created', 202],
          ['ping', undefined, 202],
        ])
        expectNoLeaks(sandbox.webhookDeliveries().map((entry) => JSON.stringify(entry)), [{ secret }])
      } finally {
        await closeServer(server)
      }
    })

    it('delivers workflow_run completed to a Probot app after a dispatched run, which the app verifies and acts on', async () => {
      const secret = randomSecret('whsec-')
      const probot = new Probot({ appId: app.id, privateKey: app.privateKey, secret, baseUrl: sandbox.url, logLevel: 'fatal' })
      let threadNumber = 0
      const appFn: ApplicationFunction = (probotApp) => {
        probotApp.on('workflow_run.completed', async (context) => {
          const run = context.payload.workflow_run
          await context.octokit.rest.issues.createComment({ ...REPO, issue_number: threadNumber, body: `${run.name} #${run.run_number}: ${run.conclusion}` })
        })
      }
      const middleware = await createNodeMiddleware(appFn, { probot })
      const server = createServer((request, response) => {
        void middleware(request, response, () => response.writeHead(404).end())
      })
      const url = await listen(server)
      const issue = await bot.rest.issues.create({ ...REPO, title: 'thread' })
      threadNumber = issue.data.number
      try {
        sandbox.configureWebhooks({ url: `${url}/api/github/webhooks`, secret })
        const stop = sandbox.onWorkflowDispatch('rotate.yml', () => 'success')
        await bot.rest.actions.createWorkflowDispatch({ ...REPO, workflow_id: 'rotate.yml', ref: 'main', inputs: { command: 'verify' } })
        await sandbox.settle()
        stop()
        const delivery = sandbox.webhookDeliveries().at(-1)
        expect(delivery).toMatchObject({ event: 'workflow_run', action: 'completed', status: 200 })
        const thread = sandbox.issues('acme/shop').find((entry) => entry.number === issue.data.number)
        expect(thread?.comments.map((comment) => [comment.user, comment.body])).toEqual([['jira-warden[bot]', expect.stringMatching(/^Rotate Jira credential #\d+: success$/)]])

        // A delivery signed with another secret is refused by the app; nothing is posted.
        const forged = await sandbox.deliverWebhook({ url: `${url}/api/github/webhooks`, secret: randomSecret('wrong-'), event: 'workflow_run', payload: { action: 'completed' } })
        expect(forged.status).toBeGreaterThanOrEqual(400)
        expect(forged.status).toBeLessThan(500)
        expect(sandbox.issues('acme/shop').find((entry) => entry.number === issue.data.number)?.comments).toHaveLength(1)
        expect(installationId).toBeGreaterThan(0)
      } finally {
        sandbox.configureWebhooks(undefined)
        await closeServer(server)
      }
    })
    it('delivers issue_comment created and edited to a Probot app when subscribed, the app reacting through the API', async () => {
      const secret = randomSecret('whsec-')
      const probot = new Probot({ appId: app.id, privateKey: app.privateKey, secret, baseUrl: sandbox.url, logLevel: 'fatal' })
      const seen: Array<[string, string]> = []
      const appFn: ApplicationFunction = (probotApp) => {
        probotApp.on(['issue_comment.created', 'issue_comment.edited'], async (context) => {
          seen.push([context.payload.action, context.payload.sender.login])
          if (context.isBot || context.payload.action !== 'created') return
          await context.octokit.rest.reactions.createForIssueComment(context.repo({ comment_id: context.payload.comment.id, content: 'eyes' }))
          await context.octokit.rest.issues.createComment(context.issue({ body: `seen ${context.payload.comment.body}` }))
        })
      }
      const middleware = await createNodeMiddleware(appFn, { probot })
      const server = createServer((request, response) => {
        void middleware(request, response, () => response.writeHead(404).end())
      })
      const url = await listen(server)
      try {
        sandbox.configureWebhooks({ url: `${url}/api/github/webhooks`, secret, events: ['issue_comment'] })
        const issue = await bot.rest.issues.create({ ...REPO, title: 'slash commands' })
        const alice = client(sandbox.issueToken({ kind: 'user', login: 'alice', repositories: ['acme/shop'], permissions: { issues: 'write', contents: 'write' } }))
        const command = await alice.rest.issues.createComment({ ...REPO, issue_number: issue.data.number, body: '/warden status' })
        await sandbox.settle()
        await alice.rest.issues.updateComment({ ...REPO, comment_id: command.data.id, body: '/warden rotate' })
        await sandbox.settle()

        expect(seen).toEqual([
          ['created', 'alice'],
          ['created', 'jira-warden[bot]'],
          ['edited', 'alice'],
        ])
        expect(sandbox.reactions('acme/shop', command.data.id)).toEqual([{ content: 'eyes', user: 'jira-warden[bot]' }])
        const thread = sandbox.issues('acme/shop').find((entry) => entry.number === issue.data.number)
        expect(thread?.comments.map((comment) => [comment.user, comment.body])).toEqual([
          ['alice', '/warden rotate'],
          ['jira-warden[bot]', 'seen /warden status'],
        ])
        const manual = sandbox.issueCommentEvent('acme/shop', command.data.id)
        expect(manual).toMatchObject({ action: 'created', comment: { id: command.data.id, body: '/warden rotate' }, sender: { login: 'alice' }, installation: { id: installationId } })
      } finally {
        sandbox.configureWebhooks(undefined)
        await closeServer(server)
      }
    })
  })

  describe('secondary rate limit', () => {
    it('refuses content creation over the limit with 403, retry-after and the documented message, counts hits, and recovers', async () => {
      let now = new Date('2026-03-01T10:00:00Z')
      const limited = await startGitHubSandbox({ now: () => now })
      try {
        limited.addRepository('acme/shop')
        const token = limited.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { issues: 'write' } })
        const octokit = getOctokit(token, { baseUrl: limited.url, request: { retries: 0 } })
        limited.setSecondaryRateLimit({ perMinute: 3 })
        for (let index = 0; index < 3; index += 1) await octokit.rest.issues.create({ ...REPO, title: `entry ${index}` })
        const refused = await fetch(`${limited.url}/repos/acme/shop/issues`, { method: 'POST', headers: { authorization: `token ${token}` }, body: JSON.stringify({ title: 'over' }) })
        expect(refused.status).toBe(403)
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
        expect(refused.headers.get('x-ratelimit-limit')).toBe('5000')
        expect(((await refused.json()) as { message: string }).message).toMatch(/^You have exceeded a secondary rate limit\. Please wait a few minutes before you try again\./)
        expect((await octokit.rest.issues.listForRepo(REPO)).status).toBe(200)
        expect(limited.secondaryRateLimitHits()).toBe(1)
        expect(limited.issues('acme/shop').map((issue) => issue.title)).toEqual(['entry 0', 'entry 1', 'entry 2'])

        const noticed: number[] = []
        const throttled = new ProbotOctokit({
          auth: { token },
          baseUrl: limited.url,
          retry: { enabled: false },
          throttle: {
            onRateLimit: () => false,
            onSecondaryRateLimit: (retryAfter: number) => {
              noticed.push(retryAfter)
              return false
            },
          },
        })
        await expect(throttled.rest.issues.create({ ...REPO, title: 'throttled' })).rejects.toMatchObject({ status: 403 })
        expect(noticed).toHaveLength(1)
        expect(limited.secondaryRateLimitHits()).toBe(2)

        now = new Date('2026-03-01T10:01:01Z')
        expect((await octokit.rest.issues.create({ ...REPO, title: 'after a minute' })).status).toBe(201)
        limited.setSecondaryRateLimit('github')
        const burst = await Promise.allSettled(Array.from({ length: 81 }, (_, index) => octokit.rest.issues.create({ ...REPO, title: `burst ${index}` })))
        expect(burst.filter((outcome) => outcome.status === 'rejected')).toHaveLength(1)
        limited.setSecondaryRateLimit(undefined)
        expect((await octokit.rest.issues.create({ ...REPO, title: 'unlimited' })).status).toBe(201)
      } finally {
        await limited.close()
      }
    })

    it('refuses a chosen request with an injected secondary-limit fault, which a throttled client waits out and retries', async () => {
      const token = sandbox.issueToken({ kind: 'installation', repositories: ['acme/shop'], permissions: { issues: 'write' } })
      const hitsBefore = sandbox.secondaryRateLimitHits()
      sandbox.inject(secondaryRateLimitFault({ method: 'POST', path: '/repos/acme/shop/issues', retryAfterSeconds: 1 }))
      const waits: number[] = []
      const throttled = new ProbotOctokit({
        auth: { token },
        baseUrl: sandbox.url,
        retry: { enabled: false },
        throttle: {
          onRateLimit: () => false,
          onSecondaryRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => {
            waits.push(retryAfter)
            return retryCount < 1
          },
        },
      })
      const created = await throttled.rest.issues.create({ ...REPO, title: 'after a pause' })
      expect(created.status).toBe(201)
      expect(waits).toEqual([1])
      expect(sandbox.secondaryRateLimitHits()).toBe(hitsBefore + 1)
      expect(sandbox.issues('acme/shop').filter((issue) => issue.title === 'after a pause')).toHaveLength(1)
    })
  })
})
