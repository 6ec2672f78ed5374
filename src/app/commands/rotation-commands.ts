/**
 * `/warden rotate`, `verify` and `revoke FINGERPRINT`: the server never
 * holds a credential, so it records the request on the audit trail first
 * (no entry, no dispatch), then dispatches the rotation workflow, which
 * holds the credential; workflow-run-result.ts reports back when it ends.
 */
import { statusOf } from '../../adapters/github/github-client.ts'
import { FINGERPRINT_ARGUMENT, type CommandDefinition } from '../../core/commands/command-registry.ts'
import { rotationWorkflow } from '../repository-config.ts'
import type { CommandHandler, CommandResult, CommandRun } from './command-run.ts'
import { isLive, lockHolder } from './rotation-lock-note.ts'
import { lookUpRotationState } from './rotation-state-reader.ts'

export const rotateCommand: CommandDefinition<CommandHandler> = {
  name: 'rotate',
  args: [],
  usage: '/warden rotate',
  description: 'Rotates the Jira credential now through the rotation workflow, and reports the result here.',
  who: 'admin',
  changesState: true,
  example: '/warden rotate',
  handler: (run) => dispatchRotation(run, 'rotate', 'rotate'),
}

export const verifyCommand: CommandDefinition<CommandHandler> = {
  name: 'verify',
  args: [],
  usage: '/warden verify',
  description: 'Checks the stored credential against Jira (identity, projects, target statuses) in the rotation workflow.',
  who: 'admin',
  changesState: true,
  example: '/warden verify',
  handler: (run) => dispatchRotation(run, 'verify', 'verify'),
}

export const revokeCommand: CommandDefinition<CommandHandler> = {
  name: 'revoke',
  args: [FINGERPRINT_ARGUMENT],
  usage: '/warden revoke FINGERPRINT',
  description: 'Revokes the previous credential (or one pending revocation) with that fingerprint now, ending its grace period, through the rotation workflow; never the current one.',
  who: 'admin',
  changesState: true,
  example: '/warden revoke 0123456789ab',
  handler: revokeByFingerprint,
}

/** The rotate action's commands the app dispatches (its `command` input). */
type WorkflowCommand = 'rotate' | 'verify' | 'finish'

/**
 * The rotate action revokes through `finish` (end the grace now), which acts
 * on the state's previous credential and due revocations: so the fingerprint
 * must name one of those, checked here against the state before anything is
 * recorded or dispatched.
 */
async function revokeByFingerprint(run: CommandRun): Promise<CommandResult> {
  const fingerprint = run.command.args[0] ?? ''
  const lookup = await lookUpRotationState(run.github, run.repository, run.config)
  if (lookup.kind === 'unreadable') return { ok: false, body: `Nothing was done: the rotation state could not be read (${lookup.problem}).` }
  const state = lookup.kind === 'state' ? lookup.state : undefined
  if (state?.current?.fingerprint === fingerprint) {
    return { ok: false, body: `Nothing was done: \`${fingerprint}\` is the credential the secret holds now. Run \`/warden rotate\` first; the old one can then be revoked.` }
  }
  const revocable = [state?.previous?.credential.fingerprint, ...(state?.revocations.map((revocation) => revocation.credential.fingerprint) ?? [])]
  if (!revocable.includes(fingerprint)) {
    return { ok: false, body: `Nothing was done: no previous credential or pending revocation has the fingerprint \`${fingerprint}\` (\`/warden status\` lists them).` }
  }
  return dispatchRotation(run, 'revoke', 'finish', fingerprint)
}

async function dispatchRotation(run: CommandRun, asked: 'rotate' | 'verify' | 'revoke', command: WorkflowCommand, fingerprint?: string): Promise<CommandResult> {
  const workflow = rotationWorkflow(run.config)
  if (asked === 'rotate') {
    // A second rotation would only wait for the lock: say which one runs instead. A stale lock (dead run) is left to the next run, which resumes.
    const lock = await lockHolder(run.github, run.repository)
    if (isLive(lock, run.now)) {
      return { ok: true, body: `Rotation ${lock.rotationId} is already in progress (it holds the lock since ${lock.since}); I did not start another. \`/warden status\` shows its phase.` }
    }
  }
  const recorded = await run.audit.append({
    v: 1,
    time: run.now.toISOString(),
    actor: run.requester,
    event: 'command.accepted',
    ...(fingerprint ? { fingerprint } : {}),
    outcome: `/warden ${asked} requested; dispatching ${workflow}`,
    repository: run.fullName,
    detail: run.commentUrl,
  })
  if (!recorded.written) {
    return { ok: false, body: `Nothing was done: the audit entry could not be written (${recorded.reason}). Without an audit record no rotation starts.` }
  }
  let dispatched: Dispatch
  try {
    dispatched = await dispatchWorkflow(run, workflow, { command, comment: run.commentUrl, ...(fingerprint ? { fingerprint } : {}) })
  } catch (error) {
    return { ok: false, body: dispatchFailure(run, workflow, statusOf(error)) }
  }
  if (dispatched.runId !== undefined) {
    run.rememberDispatch(dispatched.runId, { issueNumber: run.issueNumber, commentId: run.commentId, url: run.commentUrl, command: asked })
  }
  const started = `Started: the \`${workflow}\` workflow is running \`${command}\`${fingerprint ? ` for \`${fingerprint}\`` : ''}. I will report its result in this thread ([audit entry](${recorded.url})).`
  if (!dispatched.narrowed) return { ok: true, body: started }
  return {
    ok: true,
    body: `${started}\n\nThe workflow declares only the \`command\` input, so its runs cannot name this thread: add the \`comment\` and \`fingerprint\` inputs and the \`run-name\` of [the app guide](${run.docsUrl}/app.md), or only this server replica will know where to answer.`,
  }
}

interface Dispatch {
  runId: number | undefined
  /** The workflow refused the app's extra inputs, so only `command` was sent. */
  narrowed: boolean
}

/**
 * workflow_dispatch with return_run_details, so GitHub answers with the run's
 * id. A workflow that declares only `command` (the rotation guide's cron
 * workflow) refuses other inputs with 422 before any run starts: then the
 * command alone is sent.
 */
async function dispatchWorkflow(run: CommandRun, workflow: string, inputs: Record<string, string>): Promise<Dispatch> {
  const send = (given: Record<string, string>) =>
    run.github.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
      owner: run.repository.owner,
      repo: run.repository.repo,
      workflow_id: workflow,
      ref: run.defaultBranch,
      inputs: given,
      return_run_details: true,
    })
  let narrowed = false
  let answer: Awaited<ReturnType<typeof send>>
  try {
    answer = await send(inputs)
  } catch (error) {
    if (statusOf(error) !== 422 || !/Unexpected inputs/i.test(githubMessage(error))) throw error
    narrowed = true
    answer = await send({ command: inputs.command ?? '' })
  }
  const details = answer.data as { workflow_run_id?: unknown } | undefined
  return { runId: typeof details?.workflow_run_id === 'number' ? details.workflow_run_id : undefined, narrowed }
}

function githubMessage(error: unknown): string {
  const message = (error as { response?: { data?: { message?: unknown } } }).response?.data?.message
  return typeof message === 'string' ? message : ''
}

function dispatchFailure(run: CommandRun, workflow: string, status: number | undefined): string {
  if (status === 404 || status === 422) {
    return [
      `There is no rotation workflow \`.github/workflows/${workflow}\` with a \`workflow_dispatch\` trigger on ${run.defaultBranch} (GitHub answered ${status}).`,
      `The app never holds the Jira credential, so rotation runs in a workflow: add one as [the rotation guide](${run.docsUrl}/rotation.md) shows, or name yours with \`commands.workflow\` in .github/jira-warden.yml.`,
    ].join('\n')
  }
  if (status === 403) return `GitHub refused to start \`${workflow}\` (403): the app needs the Actions (write) permission on this repository.`
  return `The rotation workflow \`${workflow}\` could not be started (${status ? `GitHub answered ${status}` : 'GitHub could not be reached'}); try again later.`
}
