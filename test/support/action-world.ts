/**
 * Both sandboxes, a repository with a pull request, fresh credentials, and
 * the built action run against them: what every action test starts from.
 */
import { startGitHubSandbox, type GitHubSandbox } from '../../sandbox/github/github-sandbox.ts'
import { startJiraSandbox, type JiraSandbox, type JiraSandboxOptions } from '../../sandbox/jira/jira-sandbox.ts'
import type { ActionRun } from '../../sandbox/actions-runner.ts'
import { STORY_CONFIG } from '../../sandbox/story-config.ts'
import type { ScannedSecret } from './leak-scan.ts'
import { runAction } from './action-harness.ts'

export const REPOSITORY = 'acme/shop'


export interface WorldRun extends ActionRun {
  /** Jira requests this run made (OAuth token exchanges and tenant lookups included). */
  jiraRequests: number
  /** Every program output plus the comments now on GitHub: what the leak scan reads. */
  written: string[]
}

export interface ActionWorld {
  jira: JiraSandbox
  github: GitHubSandbox
  githubToken: string
  /** The Cloud (api-token) or Data Center (pat) inputs of the 'demo' user, made fresh for this world. */
  credentialInputs: Record<string, string>
  /** The secrets of this world, for the leak scan. */
  secrets: ScannedSecret[]
  run(invocation: { eventName: string; payload: unknown; inputs?: Record<string, string>; config?: string }): Promise<WorldRun>
  close(): Promise<void>
}

export async function startActionWorld(options: JiraSandboxOptions = {}): Promise<ActionWorld> {
  const jira = await startJiraSandbox(options)
  const github = await startGitHubSandbox()
  github.addRepository(REPOSITORY, { private: true })
  const githubToken = github.issueToken({
    repositories: [REPOSITORY],
    permissions: { issues: 'write', pull_requests: 'read', contents: 'read' },
  })
  const demo = jira.user('demo')
  const secrets: ScannedSecret[] = [{ secret: githubToken }]
  let credentialInputs: Record<string, string>
  if (jira.personality === 'cloud') {
    const apiToken = jira.issueApiToken(demo)
    credentialInputs = { 'jira-url': jira.url, 'jira-email': demo.email, 'jira-api-token': apiToken }
    secrets.push({ secret: apiToken, user: demo.email })
  } else {
    const { token } = jira.issuePat(demo)
    credentialInputs = { 'jira-url': jira.url, 'jira-pat': token }
    secrets.push({ secret: token })
  }
  return {
    jira,
    github,
    githubToken,
    credentialInputs,
    secrets,
    async run({ eventName, payload, inputs, config }) {
      const before = jira.log.length
      const run = await runAction({
        eventName,
        payload,
        githubApiUrl: github.url,
        repository: REPOSITORY,
        workspaceFiles: { '.github/jira-warden.yml': config ?? STORY_CONFIG },
        inputs: { ...credentialInputs, 'github-token': githubToken, ...inputs },
      })
      const comments = github.issues(REPOSITORY).flatMap((issue) => [issue.title, issue.body ?? '', ...issue.comments.map((comment) => comment.body)])
      return { ...run, jiraRequests: jira.log.length - before, written: [run.everything, ...comments] }
    },
    async close() {
      await Promise.all([jira.close(), github.close()])
    },
  }
}

/** The JSON array outputs (`transitioned`, `skipped`, `failed`, `issue-keys`) of a run. */
export function outputList<T = { key: string; from: string | null; to: string; reason: string }>(run: ActionRun, name: string): T[] {
  return JSON.parse(run.outputs[name] ?? '[]') as T[]
}

export function keysOf(run: ActionRun, name: string): string[] {
  return outputList<{ key: string }>(run, name).map((item) => item.key)
}

/** The `::error::` lines the runner would show as annotations. */
export function errorsOf(run: ActionRun): string[] {
  return run.stdout.split('\n').filter((line) => line.startsWith('::error'))
}
