/**
 * workflow_dispatch and the runs it makes: the workflow is named by its file
 * name or id (404 when the repository has no such workflow), `ref` must name
 * a branch or tag (422 "No ref found for: x"), `inputs` must be the
 * workflow's declared ones (422 otherwise), required ones present. The run
 * is recorded queued with its display title (the `run-name:` with the
 * inputs filled in), and the runner plays it after the 204 is sent.
 */
import type { SandboxResponse } from '../../http/sandbox-server.ts'
import { runDisplayTitle, type WorkflowRecord, type WorkflowRunRecord } from '../actions-records.ts'
import { describeValue, fail, integerParam, invalidRequest, notFound, objectBody } from '../http.ts'
import { json, type GitHubRoute, type RouteContext } from '../route-kit.ts'
import { workflowRunJson } from '../workflow-runner.ts'

const DOCS = 'https://docs.github.com/rest/actions'
const MAX_INPUTS = 25

export const workflowRoutes: GitHubRoute[] = [
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
    docs: `${DOCS}/workflows#create-a-workflow-dispatch-event`,
    accepts: [['actions', 'write']],
    handle: dispatch,
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}',
    docs: `${DOCS}/workflow-runs#get-a-workflow-run`,
    accepts: [['actions', 'read']],
    handle(context) {
      const id = integerParam(context.param('run_id'))
      const run = id === undefined ? undefined : context.repository.runs.get(id)
      if (!run) throw notFound(context.docs)
      return json(200, workflowRunJson(context.state, context.repository, run))
    },
  },
]

function dispatch(context: RouteContext): SandboxResponse {
  const workflow = workflowParam(context)
  const body = objectBody(context.request, context.docs)
  if (body.ref === undefined) throw invalidRequest(context.docs, '"ref" wasn\'t supplied.')
  if (typeof body.ref !== 'string') throw invalidRequest(context.docs, `For 'properties/ref', ${describeValue(body.ref)} is not a string.`)
  const branch = resolveRef(context, body.ref)
  const inputs = checkedInputs(context, workflow, body.inputs)
  if (body.return_run_details !== undefined && typeof body.return_run_details !== 'boolean') {
    throw invalidRequest(context.docs, `For 'properties/return_run_details', ${describeValue(body.return_run_details)} is not a boolean.`)
  }
  const repository = context.repository
  const now = context.state.timestamp()
  const run: WorkflowRunRecord = {
    id: context.state.nextId('run'),
    runNumber: [...repository.runs.values()].filter((other) => other.workflow === workflow).length + 1,
    workflow,
    event: 'workflow_dispatch',
    status: 'queued',
    conclusion: null,
    headBranch: branch.name,
    headSha: branch.sha,
    inputs,
    displayTitle: runDisplayTitle(workflow, inputs),
    actor: context.actor,
    createdAt: now,
    updatedAt: now,
    runStartedAt: now,
  }
  repository.runs.set(run.id, run)
  context.world.runner.start(repository, run)
  if (body.return_run_details !== true) return { status: 204 }
  const rendered = workflowRunJson(context.state, repository, run)
  return json(200, { workflow_run_id: run.id, run_url: rendered.url, html_url: rendered.html_url })
}

function workflowParam(context: RouteContext): WorkflowRecord {
  const key = context.param('workflow_id')
  const id = integerParam(key)
  const workflows = [...context.repository.workflows.values()]
  const workflow = id === undefined ? workflows.find((candidate) => candidate.file === key.replace(/^\.github\/workflows\//, '')) : workflows.find((candidate) => candidate.id === id)
  if (!workflow) throw notFound(context.docs)
  return workflow
}

/** A branch or tag name (or its full `refs/...` form). */
function resolveRef(context: RouteContext, ref: string): { name: string; sha: string } {
  const candidates = ref.startsWith('refs/') ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`]
  for (const candidate of candidates) {
    const sha = context.repository.refs.get(candidate)
    if (sha) return { name: candidate.replace(/^refs\/(heads|tags)\//, ''), sha }
  }
  throw fail(422, `No ref found for: ${ref}`, context.docs)
}

function checkedInputs(context: RouteContext, workflow: WorkflowRecord, given: unknown): Record<string, string> {
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    throw invalidRequest(context.docs, `For 'properties/inputs', ${describeValue(given)} is not an object.`)
  }
  const values = (given ?? {}) as Record<string, unknown>
  if (Object.keys(values).length > MAX_INPUTS) throw invalidRequest(context.docs, `For 'properties/inputs', it has more than ${MAX_INPUTS} properties.`)
  const unexpected = Object.keys(values).filter((name) => !(name in workflow.inputs))
  if (unexpected.length > 0) throw fail(422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`, context.docs)
  const inputs: Record<string, string> = {}
  for (const [name, declared] of Object.entries(workflow.inputs)) {
    const value = values[name]
    if (value === undefined || value === null) {
      if (declared.required && declared.default === undefined) throw fail(422, `Required input '${name}' not provided`, context.docs)
      if (declared.default !== undefined) inputs[name] = declared.default
      continue
    }
    if (typeof value === 'object') throw fail(422, `Provided value for input '${name}' is not a string, number or boolean`, context.docs)
    const text = String(value)
    if (declared.type === 'choice' && declared.options && !declared.options.includes(text)) {
      throw fail(422, `Provided value '${text}' for input '${name}' not in the list of allowed values`, context.docs)
    }
    if (declared.type === 'boolean' && text !== 'true' && text !== 'false') {
      throw fail(422, `Provided value '${text}' for input '${name}' is not a boolean`, context.docs)
    }
    inputs[name] = text
  }
  return inputs
}

