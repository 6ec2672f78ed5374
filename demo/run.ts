/**
 * `npm run demo`: a pull request's life on the embedded sandboxes. The built
 * action (dist/index.js) runs as the Actions runner would run it, once per
 * event, and each issue's path through the Jira workflow is printed with the
 * number of Jira requests every run made. Later chapters (rotation, the app)
 * run when they are present.
 */
import { existsSync } from 'node:fs'
import { startGitHubSandbox, type GitHubSandbox } from '../sandbox/github/github-sandbox.ts'
import { startJiraSandbox, type JiraSandbox } from '../sandbox/jira/jira-sandbox.ts'
import { ACTION_ENTRY, runAction, type ActionRun } from '../sandbox/actions-runner.ts'
import { STORY_CONFIG } from '../sandbox/story-config.ts'
import {
  deploymentStatusPayload,
  pullRequestPayload,
  reviewPayload,
  type PullRequestShape,
} from '../sandbox/webhook-examples.ts'

const REPOSITORY = 'acme/shop'

const PULL_REQUEST: PullRequestShape = {
  repository: REPOSITORY,
  number: 7,
  title: 'PROJ-1: checkout with saved cards',
  head: 'feature/PROJ-2-card-vault',
  commits: 2,
}

interface Step {
  name: string
  eventName: string
  payload: unknown
  inputs?: Record<string, string>
}

async function main(): Promise<void> {
  if (!existsSync(ACTION_ENTRY)) throw new Error(`${ACTION_ENTRY} is missing: run npm run build first.`)
  const jira = await startJiraSandbox({ personality: 'cloud', latencyMs: 5 })
  const github = await startGitHubSandbox({ latencyMs: 2 })
  try {
    say(`Jira sandbox (Cloud) at ${jira.url}; GitHub sandbox at ${github.url}\n`)
    await pullRequestChapter(jira, github)
    await laterChapters(jira, github)
  } finally {
    await Promise.all([jira.close(), github.close()])
  }
}

async function pullRequestChapter(jira: JiraSandbox, github: GitHubSandbox): Promise<void> {
  github.addRepository(REPOSITORY, { private: true })
  github.addPullRequest(REPOSITORY, {
    number: PULL_REQUEST.number,
    title: PULL_REQUEST.title,
    head: PULL_REQUEST.head,
    commits: [{ message: 'PROJ-1 store cards in the vault' }, { message: 'OPS-3 add the vault migration' }],
  })
  const githubToken = github.issueToken({ repositories: [REPOSITORY], permissions: { issues: 'write', pull_requests: 'read', contents: 'read' } })
  const jiraApiToken = jira.issueApiToken(jira.user('demo'))
  const keys = ['PROJ-1', 'PROJ-2', 'OPS-3']
  const steps: Step[] = [
    { name: 'PR #7 opened', eventName: 'pull_request', payload: pullRequestPayload('opened', PULL_REQUEST) },
    { name: 'review approved', eventName: 'pull_request_review', payload: reviewPayload('approved', PULL_REQUEST) },
    { name: 'PR #7 merged', eventName: 'pull_request', payload: pullRequestPayload('closed', PULL_REQUEST, { merged: true }) },
    {
      name: 'deployed to production',
      eventName: 'deployment_status',
      payload: deploymentStatusPayload(REPOSITORY, { state: 'success', environment: 'production', ref: 'main' }),
      // A deployment of main names no keys itself: the workflow passes the ones its merge run reported (output issue-keys).
      inputs: { 'issue-keys': keys.join(',') },
    },
  ]
  const paths = new Map(keys.map((key) => [key, [jira.issue(key).status]]))
  say('A pull request’s life, each event run through dist/index.js:')
  for (const step of steps) {
    const before = jira.log.length
    const run = await runAction({
      eventName: step.eventName,
      payload: step.payload,
      githubApiUrl: github.url,
      repository: REPOSITORY,
      workspaceFiles: { '.github/jira-warden.yml': STORY_CONFIG },
      inputs: { 'jira-url': jira.url, 'jira-email': jira.user('demo').email, 'jira-api-token': jiraApiToken, 'github-token': githubToken, ...step.inputs },
    })
    if (run.exitCode !== 0) throw new Error(`the action failed on '${step.name}':\n${errorLines(run)}`)
    for (const key of keys) paths.get(key)?.push(jira.issue(key).status)
    say(`  ${step.name.padEnd(24)} ${countOf(run, 'transitioned')} moved, ${countOf(run, 'skipped')} skipped, ${countOf(run, 'failed')} failed · ${jira.log.length - before} Jira requests`)
  }
  say('\nEach issue’s path:')
  for (const [key, path] of paths) say(`  ${key.padEnd(7)} ${collapse(path).join(' → ')}`)
  const issue = jira.issue('PROJ-1')
  say(`\nPROJ-1 now: status ${issue.status}, resolution ${issue.resolution ?? 'none'}, ${issue.comments.length} comments; last: “${issue.comments.at(-1)?.text ?? ''}”`)
  const audit = github.issues(REPOSITORY).find((candidate) => candidate.labels.includes('jira-warden:audit'))
  say(`Audit trail: “${audit?.title ?? 'none'}” holds ${audit?.comments.length ?? 0} credential.used entries.\n`)
}

/** Chapters that other parts of the project add (rotation, the app), run if present. */
async function laterChapters(jira: JiraSandbox, github: GitHubSandbox): Promise<void> {
  const chapters: Array<[file: string, exported: string]> = [
    ['./chapters/rotation.ts', 'runRotationChapter'],
    ['./chapters/app.ts', 'runAppChapter'],
  ]
  for (const [file, exported] of chapters) {
    if (!existsSync(new URL(file, import.meta.url))) continue
    const chapter = (await import(file)) as Record<string, (world: object, say: (line: string) => void) => Promise<void>>
    await chapter[exported]?.({ jira, github, repository: REPOSITORY }, say)
  }
}

function countOf(run: ActionRun, output: string): number {
  return (JSON.parse(run.outputs[output] ?? '[]') as unknown[]).length
}

function collapse(path: readonly string[]): string[] {
  return path.filter((status, index) => index === 0 || status !== path[index - 1])
}

function errorLines(run: ActionRun): string {
  return run.stdout.split('\n').filter((line) => line.startsWith('::error')).join('\n')
}

function say(line: string): void {
  process.stdout.write(`${line}\n`)
}

await main()
