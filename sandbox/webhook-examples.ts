/**
 * Real webhook bodies from @octokit/webhooks-examples, adapted to a sandbox
 * repository and pull request. Tests, the demo and the bench start from them
 * so the action meets payloads as GitHub sends them.
 */
import { readFileSync } from 'node:fs'

interface ExampleSet {
  name: string
  examples: unknown[]
}

/** Webhook JSON, edited by path: typing every example would say nothing the examples do not. */
type Payload = Record<string, any>

let exampleSets: ExampleSet[] | undefined

/** A deep copy of examples[index] of the named event, as GitHub documents it. */
export function realPayload(eventName: string, index: number): Payload {
  exampleSets ??= JSON.parse(
    readFileSync(new URL('../node_modules/@octokit/webhooks-examples/api.github.com/index.json', import.meta.url), 'utf8'),
  ) as ExampleSet[]
  const found = exampleSets.find((set) => set.name === eventName)?.examples[index]
  if (found === undefined) throw new Error(`no example ${eventName}[${index}] in @octokit/webhooks-examples`)
  return structuredClone(found) as Payload
}

export interface PullRequestShape {
  repository: string
  number: number
  title: string
  head: string
  base?: string
  body?: string
  commits?: number
}

/** The real `pull_request` examples (opened, reopened, ready_for_review, converted_to_draft, closed) on a sandbox pull request. */
export function pullRequestPayload(action: 'opened' | 'reopened' | 'ready_for_review' | 'converted_to_draft' | 'closed', shape: PullRequestShape, options: { merged?: boolean } = {}): Payload {
  const index = { opened: 0, closed: 3, converted_to_draft: 5, ready_for_review: 15, reopened: 18 }[action]
  const payload = onRepository(realPayload('pull_request', index), shape.repository)
  payload.number = shape.number
  fillPullRequest(payload.pull_request, shape)
  if (action === 'closed') {
    payload.pull_request.merged = options.merged === true
    payload.pull_request.merged_at = options.merged === true ? payload.pull_request.closed_at : null
  }
  return payload
}

/** The real submitted review (examples[0]) with the given state. */
export function reviewPayload(state: 'approved' | 'changes_requested' | 'commented', shape: PullRequestShape): Payload {
  const payload = onRepository(realPayload('pull_request_review', 0), shape.repository)
  payload.review.state = state
  fillPullRequest(payload.pull_request, shape)
  return payload
}

/** The real deployment_status (examples[0]) with the given state, environment and ref. */
export function deploymentStatusPayload(repository: string, deployment: { state: string; environment: string; ref: string }): Payload {
  const payload = onRepository(realPayload('deployment_status', 0), repository)
  payload.deployment_status.state = deployment.state
  payload.deployment_status.environment = deployment.environment
  payload.deployment.environment = deployment.environment
  payload.deployment.ref = deployment.ref
  return payload
}

function fillPullRequest(pullRequest: Payload, shape: PullRequestShape): void {
  pullRequest.number = shape.number
  pullRequest.title = shape.title
  pullRequest.body = shape.body ?? null
  pullRequest.head.ref = shape.head
  pullRequest.base.ref = shape.base ?? 'main'
  pullRequest.commits = shape.commits ?? pullRequest.commits
  pullRequest.html_url = `https://github.com/${shape.repository}/pull/${shape.number}`
}

/** Moves a payload to another repository: every place that names it. */
export function onRepository(payload: Payload, fullName: string): Payload {
  const [owner = '', name = ''] = fullName.split('/')
  for (const repository of [payload.repository, payload.pull_request?.base?.repo, payload.pull_request?.head?.repo]) {
    if (!repository) continue
    repository.full_name = fullName
    repository.name = name
    repository.owner.login = owner
    repository.html_url = `https://github.com/${fullName}`
  }
  return payload
}
