/**
 * What happens after a workflow_dispatch: the run is queued, then a test's
 * handler for that workflow file (`onWorkflowDispatch`) plays the job with
 * the run's own GITHUB_TOKEN, and the run completes with the handler's
 * conclusion; with no handler it waits for `completeRun`. A completed run
 * sends the `workflow_run` webhook (action `completed`) when webhooks are
 * configured, as GitHub does for an app subscribed to that event.
 */
import type { WorkflowRecord, WorkflowRunConclusion, WorkflowRunRecord } from './actions-records.ts'
import type { AppRegistry } from './apps.ts'
import type { TokenStore } from './auth.ts'
import { minimalRepositoryJson, nodeId, repositoryApiUrl, userJson } from './representations.ts'
import { fullNameOf, type GitHubState, type RepositoryRecord } from './state.ts'
import { repositoryEventBase } from './webhook-events.ts'
import type { WebhookSender } from './webhooks.ts'

export interface WorkflowRunContext {
  runId: number
  runNumber: number
  /** `owner/repo`. */
  repository: string
  /** The workflow file name, e.g. `rotate.yml`. */
  workflow: string
  /** Fully qualified ref the run is on, e.g. `refs/heads/main`. */
  ref: string
  sha: string
  /** Inputs as the job sees them: strings, defaults applied. */
  inputs: Record<string, string>
  /** Login of whoever dispatched the run. */
  actor: string
  /** The run's GITHUB_TOKEN, with the workflow's `permissions:`; it expires when the run completes. */
  githubToken: string
  /** GITHUB_API_URL for the job. */
  apiUrl: string
}

/** Returns the run's conclusion (default `success`); a thrown error concludes it `failure`. */
export type WorkflowDispatchHandler = (run: WorkflowRunContext) => WorkflowRunConclusion | void | Promise<WorkflowRunConclusion | void>

export interface WorkflowRunnerDependencies {
  state: GitHubState
  tokens: TokenStore
  apps: AppRegistry
  webhooks: WebhookSender
}

export class WorkflowRunner {
  readonly #handlers = new Map<string, WorkflowDispatchHandler>()
  readonly #waiters = new Map<number, Array<() => void>>()
  readonly #tokens = new Map<number, string>()
  readonly #failures = new Map<number, string>()
  readonly #running = new Set<Promise<void>>()
  readonly #world: WorkflowRunnerDependencies

  constructor(world: WorkflowRunnerDependencies) {
    this.#world = world
  }

  onDispatch(file: string, handler: WorkflowDispatchHandler): () => void {
    this.#handlers.set(file, handler)
    return () => {
      if (this.#handlers.get(file) === handler) this.#handlers.delete(file)
    }
  }

  /** Called by the dispatch route after it answered: the job starts on the next turn. */
  start(repository: RepositoryRecord, run: WorkflowRunRecord): void {
    const handler = this.#handlers.get(run.workflow.file)
    if (!handler) return
    const job = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#play(repository, run, handler))
    this.#running.add(job)
    void job.finally(() => this.#running.delete(job))
  }

  complete(repository: RepositoryRecord, run: WorkflowRunRecord, conclusion: WorkflowRunConclusion): void {
    if (run.status === 'completed') throw new Error(`GitHub sandbox: run ${run.id} already completed (${run.conclusion})`)
    run.status = 'completed'
    run.conclusion = conclusion
    run.updatedAt = this.#world.state.timestamp()
    const token = this.#tokens.get(run.id)
    if (token) this.#world.tokens.expire(token)
    this.#world.webhooks.emit('workflow_run', workflowRunEvent(this.#world, repository, run))
    for (const wake of this.#waiters.get(run.id) ?? []) wake()
    this.#waiters.delete(run.id)
  }

  waitFor(run: WorkflowRunRecord): Promise<void> {
    if (run.status === 'completed') return Promise.resolve()
    return new Promise((resolve) => {
      const waiting = this.#waiters.get(run.id) ?? []
      waiting.push(resolve)
      this.#waiters.set(run.id, waiting)
    })
  }

  failureOf(runId: number): string | undefined {
    return this.#failures.get(runId)
  }

  get busy(): boolean {
    return this.#running.size > 0
  }

  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running])
  }

  async #play(repository: RepositoryRecord, run: WorkflowRunRecord, handler: WorkflowDispatchHandler): Promise<void> {
    const { state, tokens } = this.#world
    run.status = 'in_progress'
    run.runStartedAt = state.timestamp()
    run.updatedAt = run.runStartedAt
    const githubToken = tokens.issue({ kind: 'github-actions', repositories: [fullNameOf(repository)], permissions: run.workflow.permissions, expiresInSeconds: 6 * 3600 })
    this.#tokens.set(run.id, githubToken)
    let conclusion: WorkflowRunConclusion
    try {
      conclusion =
        (await handler({
          runId: run.id,
          runNumber: run.runNumber,
          repository: fullNameOf(repository),
          workflow: run.workflow.file,
          ref: `refs/heads/${run.headBranch}`,
          sha: run.headSha,
          inputs: { ...run.inputs },
          actor: run.actor.login,
          githubToken,
          apiUrl: state.apiUrl,
        })) ?? 'success'
    } catch (error) {
      this.#failures.set(run.id, error instanceof Error ? error.message : String(error))
      conclusion = 'failure'
    }
    // A test may have completed the run itself while the handler ran (completeRun).
    if ((run.status as WorkflowRunRecord['status']) !== 'completed') this.complete(repository, run, conclusion)
  }
}

export function workflowPath(workflow: WorkflowRecord): string {
  return `.github/workflows/${workflow.file}`
}

export function workflowJson(state: GitHubState, repository: RepositoryRecord, workflow: WorkflowRecord): Record<string, unknown> {
  const api = repositoryApiUrl(state, repository)
  const web = `${state.webUrl}/${fullNameOf(repository)}`
  return {
    id: workflow.id,
    node_id: nodeId('Workflow', workflow.id),
    name: workflow.name,
    path: workflowPath(workflow),
    state: 'active',
    created_at: workflow.createdAt,
    updated_at: workflow.createdAt,
    url: `${api}/actions/workflows/${workflow.id}`,
    html_url: `${web}/blob/${repository.defaultBranch}/${workflowPath(workflow)}`,
    badge_url: `${web}/workflows/${encodeURIComponent(workflow.name)}/badge.svg`,
  }
}

/** A run as GET /actions/runs/{run_id} and the workflow_run webhook show it. */
export function workflowRunJson(state: GitHubState, repository: RepositoryRecord, run: WorkflowRunRecord): Record<string, unknown> {
  const api = repositoryApiUrl(state, repository)
  const url = `${api}/actions/runs/${run.id}`
  const checkSuiteId = run.id + 1
  // The head commit is the branch's, not the dispatcher's; the sandbox's commits all have this author.
  const author = { name: 'Sandbox Developer', email: 'developer@example.com' }
  return {
    id: run.id,
    name: run.workflow.name,
    node_id: nodeId('WorkflowRun', run.id),
    check_suite_id: checkSuiteId,
    check_suite_node_id: nodeId('CheckSuite', checkSuiteId),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: workflowPath(run.workflow),
    display_title: run.displayTitle,
    run_number: run.runNumber,
    run_attempt: 1,
    referenced_workflows: [],
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflow.id,
    url,
    html_url: `${state.webUrl}/${fullNameOf(repository)}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    actor: userJson(state, run.actor),
    triggering_actor: userJson(state, run.actor),
    run_started_at: run.runStartedAt,
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: `${api}/check-suites/${checkSuiteId}`,
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${api}/actions/workflows/${run.workflow.id}`,
    head_commit: { id: run.headSha, tree_id: run.headSha.split('').reverse().join(''), message: 'Sandbox commit', timestamp: run.createdAt, author, committer: author },
    repository: minimalRepositoryJson(state, repository),
    head_repository: minimalRepositoryJson(state, repository),
  }
}

function workflowRunEvent(world: WorkflowRunnerDependencies, repository: RepositoryRecord, run: WorkflowRunRecord): Record<string, unknown> {
  return {
    action: 'completed',
    workflow_run: workflowRunJson(world.state, repository, run),
    workflow: workflowJson(world.state, repository, run.workflow),
    ...repositoryEventBase(world, repository, run.actor),
  }
}
