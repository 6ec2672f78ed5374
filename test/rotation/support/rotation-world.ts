/**
 * Both sandboxes set up for one provider, and the built rotate action
 * (dist/rotate/index.js) run against them as the runner would: the secret's
 * value read as the run is queued, inputs as INPUT_*, outputs and summary
 * as files. Every value a test ever saw is remembered for the leak scan.
 */
import { fileURLToPath } from 'node:url'
import { parseAuditComment, type AuditEntry } from '../../../src/core/audit-entry.ts'
import { readRotationState, type RotationProviderName, type RotationState } from '../../../src/core/rotation/rotation-state.ts'
import { startGitHubSandbox, type GitHubSandbox } from '../../../sandbox/github/github-sandbox.ts'
import { startJiraSandbox, type JiraSandbox } from '../../../sandbox/jira/jira-sandbox.ts'
import type { ActionRun } from '../../../sandbox/actions-runner.ts'
import { runAction } from '../../support/action-harness.ts'
import type { ScannedSecret } from '../../support/leak-scan.ts'

export const ROTATE_ENTRY = fileURLToPath(new URL('../../../dist/rotate/index.js', import.meta.url))
export const CRASH_AFTER_STEP = fileURLToPath(new URL('./crash-after-step.js', import.meta.url))
export const REPOSITORY = 'acme/shop'
export const SIBLING_REPOSITORY = 'acme/web'
const DAY_MS = 86_400_000

export interface WorldOptions {
  provider: RotationProviderName
  /** cloud-api-token: give the rotation an organization admin key (it can then revoke). */
  adminKey?: boolean
  /** Where the secret lives. Default repo. */
  scope?: 'repo' | 'environment:production' | 'org'
}

export interface RotationWorld {
  jira: JiraSandbox
  github: GitHubSandbox
  provider: RotationProviderName
  secretName: string
  scopeText: string
  /** The secret as the rotation stores it, decrypted by the sandbox. */
  storedValue(): string | undefined
  stagedValue(): string | undefined
  /** An admin creates the next credential and stages it (assisted providers). */
  stageNext(): string
  state(): RotationState | undefined
  stateText(): string | undefined
  auditEntries(): AuditEntry[]
  /** Everything people can read on GitHub: issues, comments, variables. */
  githubText(): string
  secrets(): ScannedSecret[]
  /** Time passes for the lock a dead run left: its holder's note is made older than the stale timeout. Returns whether there was one. */
  ageLock(): boolean
  rotate(inputs?: Record<string, string>, options?: { env?: Record<string, string>; preload?: string[] }): Promise<ActionRun>
  close(): Promise<void>
}

export async function startRotationWorld(options: WorldOptions): Promise<RotationWorld> {
  const provider = options.provider
  const jira = await startJiraSandbox({ personality: provider === 'dc-pat' ? 'data-center' : 'cloud' })
  const github = await startGitHubSandbox()
  github.addRepository(REPOSITORY)
  // Another repository sharing an organization secret: its access must survive the rotation.
  github.addRepository(SIBLING_REPOSITORY)
  const scopeText = options.scope ?? 'repo'
  if (scopeText.startsWith('environment:')) github.addEnvironment(REPOSITORY, scopeText.slice('environment:'.length))
  const sandboxScope = scopeText === 'org' ? { org: 'acme' } : scopeText === 'repo' ? { repo: REPOSITORY } : { repo: REPOSITORY, environment: scopeText.slice('environment:'.length) }
  const token = github.issueToken({
    repositories: [REPOSITORY],
    kind: 'installation',
    permissions: { secrets: 'write', actions_variables: 'write', contents: 'write', issues: 'write', environments: 'write', organization_secrets: 'write', metadata: 'read' },
  })
  const demo = jira.user('demo')
  const seen: ScannedSecret[] = [{ secret: token }]
  const remember = (secret: string, user?: string) => {
    seen.push(user ? { secret, user } : { secret })
    return secret
  }
  const secretName = { 'dc-pat': 'JIRA_PAT', 'cloud-api-token': 'JIRA_API_TOKEN', 'cloud-oauth-client': 'JIRA_CLIENT_SECRET' }[provider]
  const soon = new Date(Date.now() + 5 * DAY_MS)
  let clientId: string | undefined
  let adminKey: string | undefined
  let initial: string
  if (provider === 'dc-pat') initial = jira.issuePat(demo, { name: 'installed by hand', expiresAt: soon }).token
  else if (provider === 'cloud-api-token') initial = jira.issueApiToken(demo, { label: 'ci', expiresAt: soon })
  else {
    const client = jira.issueOAuthClient(demo)
    clientId = client.clientId
    initial = client.clientSecret
  }
  remember(initial, provider === 'cloud-api-token' ? 'demo@example.com' : clientId)
  if (options.adminKey) adminKey = remember(jira.issueAdminKey())
  github.setSecret(sandboxScope, secretName, initial, scopeText === 'org' ? { visibility: 'selected', selectedRepositories: [REPOSITORY, SIBLING_REPOSITORY] } : undefined)
  const config = [
    `jira:`,
    `  url: ${jira.url}`,
    `projects: [PROJ, OPS]`,
    `transitions:`,
    `  - on: pull_request.opened`,
    `    to: In Progress`,
    `  - on: pull_request.closed`,
    `    if: merged`,
    `    to: Done`,
    `rotation:`,
    `  provider: ${provider}`,
    `  secret: ${secretName}`,
    `  scope: ${scopeText}`,
    `  period: 30d`,
  ].join('\n')
  const storedValue = () => github.secretValue(sandboxScope, secretName)
  const stagedValue = () => github.secretValue(sandboxScope, `${secretName}_NEXT`)
  const stateText = () => github.variable({ repo: REPOSITORY }, 'JIRA_WARDEN_STATE')?.value
  return {
    jira,
    github,
    provider,
    secretName,
    scopeText,
    storedValue,
    stagedValue,
    stageNext() {
      const next =
        provider === 'cloud-api-token'
          ? jira.issueApiToken(demo, { label: 'next', expiresAt: new Date(Date.now() + 90 * DAY_MS) })
          : jira.rotateOAuthClientSecret(clientId ?? '')
      remember(next, provider === 'cloud-api-token' ? 'demo@example.com' : clientId)
      github.setSecret(sandboxScope, `${secretName}_NEXT`, next)
      return next
    },
    stateText,
    state() {
      const text = stateText()
      if (text === undefined) return undefined
      const reading = readRotationState(text, { provider, secret: secretName, scope: scopeText })
      if (!reading.ok) throw new Error(reading.problem)
      return reading.state
    },
    auditEntries() {
      return github
        .issues(REPOSITORY)
        .filter((issue) => issue.labels.includes('jira-warden:audit'))
        .flatMap((issue) => issue.comments.map((comment) => parseAuditComment(comment.body)))
        .filter((entry): entry is AuditEntry => entry !== undefined)
    },
    githubText() {
      const issues = github.issues(REPOSITORY).flatMap((issue) => [issue.title, issue.body ?? '', ...issue.comments.map((comment) => comment.body)])
      return [...issues, stateText() ?? '', github.variable({ repo: REPOSITORY }, 'JIRA_WARDEN_LOCK')?.value ?? ''].join('\n')
    },
    ageLock() {
      const note = github.variable({ repo: REPOSITORY }, 'JIRA_WARDEN_LOCK')
      if (!note || !github.refs(REPOSITORY)[Object.keys(github.refs(REPOSITORY)).find((ref) => ref.startsWith('refs/jira-warden/lock/')) ?? '']) return false
      const holder = JSON.parse(note.value) as { since: string }
      github.setVariable({ repo: REPOSITORY }, 'JIRA_WARDEN_LOCK', JSON.stringify({ ...holder, since: new Date(Date.parse(holder.since) - 31 * 60_000).toISOString() }))
      return true
    },
    secrets() {
      const stored = storedValue()
      if (stored && !seen.some((entry) => entry.secret === stored)) remember(stored)
      return [...seen]
    },
    async rotate(inputs = {}, runOptions = {}) {
      // The runner reads secrets when the run is queued.
      const current = storedValue()
      const staged = stagedValue()
      if (current && !seen.some((entry) => entry.secret === current)) remember(current)
      const run = await runAction({
        entry: ROTATE_ENTRY,
        eventName: 'workflow_dispatch',
        payload: {},
        githubApiUrl: github.url,
        repository: REPOSITORY,
        workspaceFiles: { '.github/jira-warden.yml': config },
        inputs: {
          'github-token': token,
          'current-credential': current ?? '',
          'next-credential': staged ?? '',
          ...(provider === 'cloud-api-token' ? { 'jira-email': 'demo@example.com' } : {}),
          ...(clientId ? { 'jira-client-id': clientId } : {}),
          ...(adminKey ? { 'atlassian-admin-key': adminKey, 'atlassian-org-id': jira.orgId } : {}),
          command: 'auto',
          ...inputs,
        },
        ...(runOptions.env ? { env: runOptions.env } : {}),
        ...(runOptions.preload ? { preload: runOptions.preload } : {}),
      })
      const stored = storedValue()
      // What the action masked includes every value it minted, even one revoked before it was stored.
      for (const value of [stored, ...run.masked]) if (value && !seen.some((entry) => entry.secret === value)) remember(value)
      return run
    },
    async close() {
      await Promise.all([jira.close(), github.close()])
    },
  }
}
