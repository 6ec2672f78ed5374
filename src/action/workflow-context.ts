/** What the runner tells the step about its run, read once from the environment. */
import { readFileSync } from 'node:fs'
import { ConfigurationError } from '../core/errors.ts'

export interface WorkflowContext {
  eventName: string
  payload: unknown
  repository: { owner: string; repo: string }
  workspace: string
  apiUrl: string
  runUrl: string
  workflow: string
  ref: string
  actor: string
}

export function readWorkflowContext(env: NodeJS.ProcessEnv = process.env): WorkflowContext {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo) {
    throw new ConfigurationError('GITHUB_REPOSITORY is not set: jira-warden runs as a step of a GitHub Actions workflow.')
  }
  const serverUrl = env.GITHUB_SERVER_URL ?? 'https://github.com'
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload: readEventPayload(env.GITHUB_EVENT_PATH),
    repository: { owner, repo },
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID ?? '0'}`,
    workflow: env.GITHUB_WORKFLOW_REF ?? env.GITHUB_WORKFLOW ?? '',
    ref: env.GITHUB_REF ?? '',
    actor: env.GITHUB_ACTOR ?? '',
  }
}

function readEventPayload(path: string | undefined): unknown {
  if (!path) return {}
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    throw new ConfigurationError(`The event payload at GITHUB_EVENT_PATH (${path}) could not be read as JSON.`)
  }
}
