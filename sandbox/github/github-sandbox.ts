/**
 * A local, stateful GitHub REST API, faithful to the official description in
 * test/contract/specs/github-rest.subset.openapi.json: repositories, issues,
 * comments, labels, locks, pull-request commits and compare, Actions secrets
 * (real libsodium key pairs per scope), variables and environments, git
 * refs, GitHub Apps (JWT) and installation tokens, collaborator permissions,
 * reactions, workflow dispatch and runs, signed webhook delivery, with
 * tokens shaped like GITHUB_TOKENs, installation tokens or personal tokens,
 * GitHub's permission errors, primary and secondary rate limits, injectable
 * faults and latency (on every route alike), and a request log. Every route
 * also answers under /api/v3 (GHE_HOST=127.0.0.1:PORT, GHE_PROTOCOL=http).
 * docs/sandbox-github.md says more, and where it differs from GitHub.
 *
 * The handle (`await startGitHubSandbox(options)`):
 *   url, log, inject(fault), clearFaults(), setLatency(ms), close()
 *   addRepository(fullName, { private? }), addPullRequest(fullName, pr), issues(fullName)
 *   issueToken({ repositories, permissions, kind?, login?, appSlug?, account?, expiresInSeconds? }) → token
 *   setRateLimit({ token?, limit?, remaining?, resetAt? })
 *   addEnvironment(repo, name)
 *   publicKey(scope) → { keyId, key }            scope: { repo } | { repo, environment } | { org }
 *   secretValue(scope, name) → decrypted value | undefined   (tests only; never over HTTP)
 *   secret(scope, name) → { name, createdAt, updatedAt, visibility?, selectedRepositories? } | undefined
 *   secretNames(scope) → string[]
 *   setSecret(scope, name, value, { visibility?, selectedRepositories? }?)   (seeds as a PUT would)
 *   variable({ repo, environment? }, name) → { name, value, createdAt, updatedAt } | undefined
 *   setVariable({ repo, environment? }, name, value)
 *   ref(repo, 'heads/x' | 'refs/heads/x') → sha | undefined;  setRef(repo, ref, sha);  refs(repo) → { 'refs/heads/main': sha, ... }
 *   addApp({ id, slug, name?, privateKey?, owner?, permissions?, events? }) → { id, slug, clientId, privateKey (PEM) }
 *   addInstallation({ appId, account, repositories: string[] | 'all', permissions?, events? }) → installation id
 *   expireToken(token)                            (the next request with it gets 401 Bad credentials)
 *   setCollaborator(repo, login, 'admin' | 'maintain' | 'write' | 'triage' | 'read')   (others: 404 on .../permission)
 *   reactions(repo, commentId) → [{ content, user }]
 *   addWorkflow(repo, file, { name?, inputs?, permissions?, runName? }) → workflow id
 *   addFile(repo, path, text)   (on the default branch; GET .../contents/{path} answers it, raw or JSON)
 *   onWorkflowDispatch(file, (run: WorkflowRunContext) => conclusion | void | Promise<…>) → unsubscribe
 *   workflowRuns(repo) → SandboxWorkflowRun[];  waitForRun(runId) → Promise<SandboxWorkflowRun>;  completeRun(runId, conclusion)
 *   deliverWebhook({ url, secret, event, payload, deliveryId?, signature? }) → Promise<{ status, body, deliveryId }>
 *   configureWebhooks({ url, secret, events? } | undefined)   (events: 'workflow_run' (default), 'issue_comment')
 *   issueCommentEvent(repo, commentId, action?) → issue_comment payload built from the sandbox state (for deliverWebhook)
 *   webhookDeliveries() → WebhookDelivery[];  settle() → Promise (runs and background deliveries done)
 *   setSecondaryRateLimit({ perMinute?, perHour?, retryAfterSeconds? } | 'github' | undefined);  secondaryRateLimitHits() → number
 *   (exported) secondaryRateLimitFault({ method?, path?, times?, skip?, retryAfterSeconds? }) → Fault for inject(), sealValue(key, value), signatureOf(secret, body)
 *
 * Growing it: add records to `state.ts` (or `actions-records.ts`), a route
 * file under `routes/`, and its list to `ROUTES` below.
 */
import { Router, startSandboxServer, type Fault, type RequestLogEntry } from '../http/sandbox-server.ts'
import type { CollaboratorRole, OrgSecretVisibility, WorkflowRunConclusion } from './actions-records.ts'
import { AppRegistry, type AddAppOptions } from './apps.ts'
import { TokenStore, type IssueTokenOptions } from './auth.ts'
import type {
  RateLimitSetting,
  SandboxApp,
  SandboxInstallationOptions,
  SandboxIssue,
  SandboxPullRequest,
  SandboxSecret,
  SandboxVariable,
  SandboxWorkflowOptions,
  SandboxWorkflowRun,
} from './handle-types.ts'
import { admitRequest, githubHeaders, isSecondaryRateLimitHit } from './rate-limit-gate.ts'
import { registerRoutes, type GitHubRoute, type GitHubWorld } from './route-kit.ts'
import { appRoutes } from './routes/apps.ts'
import { collaboratorRoutes } from './routes/collaborators.ts'
import { gitRefRoutes } from './routes/git-refs.ts'
import { issueCommentRoutes } from './routes/issue-comments.ts'
import { issueRoutes } from './routes/issues.ts'
import { labelRoutes } from './routes/labels.ts'
import { pullRoutes } from './routes/pulls.ts'
import { rateLimitRoutes } from './routes/rate-limit.ts'
import { reactionRoutes } from './routes/reactions.ts'
import { repositoryRoutes } from './routes/repositories.ts'
import { secretRoutes } from './routes/secrets.ts'
import { variableRoutes } from './routes/variables.ts'
import { workflowRoutes } from './routes/workflows.ts'
import { contentRoutes } from './routes/contents.ts'
import { addEnvironment, variablesOf, vaultOf, type SecretScope, type VariableScope } from './scopes.ts'
import { GITHUB_SECONDARY_LIMITS, SecondaryRateLimiter, type SecondaryRateLimitSetting } from './secondary-rate-limit.ts'
import { sodiumReady } from './secret-box.ts'
import { findRun, qualifiedRef, seedPullRequest, seedSecret, seedWorkflow, vaultKeyOf } from './seeding.ts'
import { issueSnapshot, runSnapshot, secretSnapshot } from './snapshots.ts'
import { GitHubState } from './state.ts'
import { issueCommentEvent } from './webhook-events.ts'
import { WebhookSender, type WebhookDelivery, type WebhookDeliveryRequest, type WebhookTarget } from './webhooks.ts'
import { WorkflowRunner, type WorkflowDispatchHandler } from './workflow-runner.ts'

export type { Fault, RequestLogEntry } from '../http/sandbox-server.ts'
export type { IssueTokenOptions, TokenKind } from './auth.ts'
export type { PermissionLevel } from './state.ts'
export type { SecretScope, VariableScope } from './scopes.ts'
export type { CollaboratorRole, OrgSecretVisibility, WorkflowInput, WorkflowRunConclusion, WorkflowRunStatus } from './actions-records.ts'
export type { AddAppOptions } from './apps.ts'
export type * from './handle-types.ts'
export type { SecondaryRateLimitSetting } from './secondary-rate-limit.ts'
export type { WebhookDelivery, WebhookDeliveryRequest, WebhookTarget } from './webhooks.ts'
export type { WorkflowDispatchHandler, WorkflowRunContext } from './workflow-runner.ts'
export { signatureOf } from './webhooks.ts'
export { sealValue } from './secret-box.ts'
export { secondaryRateLimitFault } from './secondary-rate-limit.ts'

const ROUTES: readonly GitHubRoute[] = [
  ...repositoryRoutes,
  ...issueRoutes,
  ...issueCommentRoutes,
  ...labelRoutes,
  ...pullRoutes,
  ...rateLimitRoutes,
  ...secretRoutes,
  ...variableRoutes,
  ...gitRefRoutes,
  ...appRoutes,
  ...collaboratorRoutes,
  ...reactionRoutes,
  ...workflowRoutes,
  ...contentRoutes,
]

export interface GitHubSandboxOptions {
  latencyMs?: number
  /** The sandbox's clock (timestamps, token expiry, rate-limit windows). Default: the real clock. */
  now?: () => Date
  /** Base of `html_url`s. Default `https://github.com`. */
  webUrl?: string
}

export interface GitHubSandbox {
  /** API base, http://127.0.0.1:PORT (used as GITHUB_API_URL). */
  readonly url: string
  readonly log: RequestLogEntry[]
  inject(fault: Fault): void
  clearFaults(): void
  setLatency(ms: number): void
  addRepository(fullName: string, options?: { private?: boolean }): void
  addPullRequest(fullName: string, pr: SandboxPullRequest): void
  /** A token (fresh random) with permissions like a GITHUB_TOKEN or installation token: e.g. { issues: 'write', pull_requests: 'read', contents: 'read' } on the given repositories. */
  issueToken(options: IssueTokenOptions): string
  issues(fullName: string): SandboxIssue[]
  setRateLimit(setting: RateLimitSetting): void
  /** Creates a deployment environment of the repository (no REST route creates one in the spec subset). */
  addEnvironment(repo: string, name: string): void
  /** The scope's public key, as GET .../secrets/public-key answers it. */
  publicKey(scope: SecretScope): { keyId: string; key: string }
  /** The decrypted value of a stored secret; for tests only (no HTTP route ever answers it). */
  secretValue(scope: SecretScope, name: string): string | undefined
  /** What GitHub shows of a secret (never its value). */
  secret(scope: SecretScope, name: string): SandboxSecret | undefined
  secretNames(scope: SecretScope): string[]
  /** Stores a secret as a PUT would (created_at/updated_at now); seeds a test's starting state. */
  setSecret(scope: SecretScope, name: string, value: string, options?: { visibility?: OrgSecretVisibility; selectedRepositories?: string[] }): void
  variable(scope: VariableScope, name: string): SandboxVariable | undefined
  setVariable(scope: VariableScope, name: string, value: string): void
  /** The sha a ref points at; `ref` as `heads/x` or `refs/heads/x`. */
  ref(repo: string, ref: string): string | undefined
  setRef(repo: string, ref: string, sha: string): void
  refs(repo: string): Record<string, string>
  /** Registers a GitHub App; its private key (given or generated) signs the JWTs the sandbox accepts. */
  addApp(options: AddAppOptions): SandboxApp
  /** Installs an app on an account; returns the installation id. */
  addInstallation(options: SandboxInstallationOptions): number
  /** Expires an issued token now (installation token expiry mid-run). */
  expireToken(token: string): void
  /** Makes the user a collaborator with that role (again: changes the role). */
  setCollaborator(repo: string, login: string, role: CollaboratorRole): void
  reactions(repo: string, commentId: number): Array<{ content: string; user: string }>
  /** Puts a file on the default branch (again: replaces it); GET /repos/{o}/{r}/contents/{path} serves it. */
  addFile(repo: string, path: string, text: string): void
  /** Adds a workflow file that can be dispatched; returns its id. */
  addWorkflow(repo: string, file: string, options?: SandboxWorkflowOptions): number
  /** Plays the job of every dispatched run of that workflow file (any repository); returns a function that removes the handler. */
  onWorkflowDispatch(file: string, handler: WorkflowDispatchHandler): () => void
  workflowRuns(repo: string): SandboxWorkflowRun[]
  /** Resolves when the run has completed. */
  waitForRun(runId: number): Promise<SandboxWorkflowRun>
  /** Completes a run that has no handler (or overrides one still running). */
  completeRun(runId: number, conclusion: WorkflowRunConclusion): void
  /** POSTs a signed webhook to an app server and returns its answer. */
  deliverWebhook(request: WebhookDeliveryRequest): Promise<{ status: number; body: string; deliveryId: string }>
  /** Where the sandbox delivers the events it causes (workflow_run completed; issue_comment created/edited when listed in `events`); undefined stops it. */
  configureWebhooks(target: WebhookTarget | undefined): void
  /** The issue_comment webhook payload of an existing comment (with the installation of the app on the repository), to deliver by hand. */
  issueCommentEvent(repo: string, commentId: number, action?: 'created' | 'edited' | 'deleted'): Record<string, unknown>
  webhookDeliveries(): WebhookDelivery[]
  /** Resolves once dispatched runs with handlers and background deliveries are done. */
  settle(): Promise<void>
  /** Emulates GitHub's content-creation limit ('github': 80 per minute, 500 per hour); undefined turns it off (the default). */
  setSecondaryRateLimit(setting: SecondaryRateLimitSetting | 'github' | undefined): void
  /** How many requests the secondary limit refused (counted from the request log). */
  secondaryRateLimitHits(): number
  close(): Promise<void>
}

export async function startGitHubSandbox(options: GitHubSandboxOptions = {}): Promise<GitHubSandbox> {
  await sodiumReady()
  const state = new GitHubState(options.now)
  if (options.webUrl) state.webUrl = options.webUrl.replace(/\/+$/, '')
  const apps = new AppRegistry(state)
  const tokens = new TokenStore(state, apps)
  const webhooks = new WebhookSender(state.now)
  const runner = new WorkflowRunner({ state, tokens, apps, webhooks })
  const limiter = new SecondaryRateLimiter()
  const world: GitHubWorld = { state, tokens, apps, webhooks, runner }
  const router = new Router()
  registerRoutes(router, world, ROUTES)

  const server = await startSandboxServer({
    name: 'GitHub',
    router,
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    authenticate: (request) => {
      const authentication = tokens.authenticate(request)
      if (authentication.outcome !== 'authenticated') return undefined
      const { token, app } = authentication.caller
      return token?.actor.login ?? (app ? `app:${app.slug}` : undefined)
    },
    before: (request) => admitRequest(tokens, limiter, request, state.now()),
    decorate: (request, response) => {
      const authentication = tokens.authenticate(request)
      const rate = authentication.outcome === 'refused' ? tokens.anonymousRate : authentication.caller.rate
      response.headers = { ...response.headers, ...githubHeaders(rate, state.now()) }
    },
  })
  state.apiUrl = server.url

  return {
    url: server.url,
    log: server.log,
    inject: (fault) => server.inject(fault),
    clearFaults: () => server.clearFaults(),
    setLatency: (ms) => server.setLatency(ms),
    addRepository(fullName, repositoryOptions) {
      state.addRepository(fullName, repositoryOptions)
    },
    addPullRequest(fullName, pr) {
      seedPullRequest(state, state.repository(fullName), pr)
    },
    issueToken: (tokenOptions) => tokens.issue(tokenOptions),
    issues(fullName) {
      const repository = state.repository(fullName)
      return [...repository.issues.values()].sort((a, b) => a.number - b.number).map((issue) => issueSnapshot(repository, issue))
    },
    setRateLimit(setting) {
      const bucket = setting.token === undefined ? tokens.anonymousRate : tokens.find(setting.token)?.rate
      if (!bucket) throw new Error('GitHub sandbox: setRateLimit for a token the sandbox did not issue')
      if (setting.limit !== undefined) bucket.limit = setting.limit
      if (setting.remaining !== undefined) bucket.used = Math.max(0, bucket.limit - setting.remaining)
      if (setting.resetAt !== undefined) bucket.reset = Math.floor(setting.resetAt.getTime() / 1000)
    },
    addEnvironment(repo, name) {
      addEnvironment(state, state.repository(repo), name)
    },
    publicKey(scope) {
      const pair = vaultKeyOf(state, scope)
      return { keyId: pair.keyId, key: pair.key }
    },
    secretValue: (scope, name) => vaultOf(state, scope).secrets.get(name.toUpperCase())?.value,
    secret(scope, name) {
      const record = vaultOf(state, scope).secrets.get(name.toUpperCase())
      return record ? secretSnapshot(state, record) : undefined
    },
    secretNames: (scope) => [...vaultOf(state, scope).secrets.keys()].sort(),
    setSecret(scope, name, value, secretOptions = {}) {
      seedSecret(state, scope, name, value, secretOptions)
    },
    variable(scope, name) {
      const record = variablesOf(state, scope).get(name.toUpperCase())
      return record ? { ...record } : undefined
    },
    setVariable(scope, name, value) {
      const variables = variablesOf(state, scope)
      const now = state.timestamp()
      const key = name.toUpperCase()
      const existing = variables.get(key)
      variables.set(key, { name: key, value, createdAt: existing?.createdAt ?? now, updatedAt: now })
    },
    ref: (repo, ref) => state.repository(repo).refs.get(qualifiedRef(ref)),
    setRef(repo, ref, sha) {
      if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`GitHub sandbox: a ref needs a 40-hex sha, not '${sha}'`)
      state.repository(repo).refs.set(qualifiedRef(ref), sha)
    },
    refs: (repo) => Object.fromEntries([...state.repository(repo).refs.entries()].sort(([a], [b]) => a.localeCompare(b))),
    addApp(appOptions) {
      const privateKey = apps.addApp(appOptions, tokens.newAppBucket())
      const app = apps.apps.get(appOptions.id)
      return { id: appOptions.id, slug: appOptions.slug, clientId: app?.clientId ?? '', privateKey }
    },
    addInstallation: (installationOptions) => apps.addInstallation(installationOptions).id,
    expireToken: (token) => tokens.expire(token),
    setCollaborator(repo, login, role) {
      const actor = state.actor(login, 'User')
      state.repository(repo).collaborators.set(actor.login.toLowerCase(), { actor, role })
    },
    reactions(repo, commentId) {
      const comment = state.repository(repo).comments.get(commentId)
      if (!comment) throw new Error(`GitHub sandbox: no comment ${commentId} in ${repo}`)
      return comment.reactions.map((reaction) => ({ content: reaction.content, user: reaction.user.login }))
    },
    addFile(repo, path, text) {
      state.repository(repo).files.set(path.replace(/^\/+/, ''), text)
    },
    addWorkflow(repo, file, workflowOptions = {}) {
      return seedWorkflow(state, state.repository(repo), file, workflowOptions)
    },
    onWorkflowDispatch: (file, handler) => runner.onDispatch(file, handler),
    workflowRuns(repo) {
      const repository = state.repository(repo)
      return [...repository.runs.values()].map((run) => runSnapshot(runner, repository, run))
    },
    async waitForRun(runId) {
      const { repository, run } = findRun(state, runId)
      await runner.waitFor(run)
      return runSnapshot(runner, repository, run)
    },
    completeRun(runId, conclusion) {
      const { repository, run } = findRun(state, runId)
      runner.complete(repository, run, conclusion)
    },
    deliverWebhook: (request) => webhooks.deliver(request),
    configureWebhooks(target) {
      webhooks.target = target
    },
    issueCommentEvent(repo, commentId, action = 'created') {
      const repository = state.repository(repo)
      const comment = repository.comments.get(commentId)
      const issue = comment && repository.issues.get(comment.issueNumber)
      if (!comment || !issue) throw new Error(`GitHub sandbox: no comment ${commentId} in ${repo}`)
      return issueCommentEvent(world, repository, issue, comment, action, comment.user)
    },
    webhookDeliveries: () => webhooks.deliveries.map((delivery) => ({ ...delivery })),
    async settle() {
      // A delivery can make the app dispatch another run, whose completion is delivered in turn.
      do {
        await runner.settled()
        await webhooks.settled()
      } while (runner.busy || webhooks.busy)
    },
    setSecondaryRateLimit(setting) {
      limiter.configure(setting === 'github' ? GITHUB_SECONDARY_LIMITS : setting)
    },
    secondaryRateLimitHits: () => server.log.filter(isSecondaryRateLimitHit).length,
    close: async () => {
      await runner.settled()
      await webhooks.settled()
      await server.close()
    },
  }
}
