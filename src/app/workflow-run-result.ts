/**
 * workflow_run.completed: the end of a rotation workflow the app itself
 * dispatched for a /warden command, reported in the thread that asked.
 * Stateless: the run's display title carries the requesting comment's URL
 * (the rotation workflow's `run-name`, see ROTATION_RUN_NAME), and the app's
 * 🚀 reaction on that comment makes the report happen once across replicas
 * and redeliveries.
 */
import type { Context } from 'probot'
import type { GitHubClient } from '../adapters/github/github-client.ts'
import type { ResolvedDependencies } from './app-dependencies.ts'
import { claimComment } from './claim-comment.ts'
import { lookUpRotationState } from './commands/rotation-state-reader.ts'
import { failureCause } from './failure-cause.ts'
import { loadRepositoryConfig, rotationWorkflow } from './repository-config.ts'

type RunContext = Context<'workflow_run.completed'>

/** How long a run this process dispatched may wait for its dispatch call to return (see DispatchedRuns.recall). */
const RECALL_WAIT_MS = 15_000

/** The `run-name:` the rotation workflow declares, so each run names the command and the comment it answers. */
export const ROTATION_RUN_NAME = 'jira-warden ${{ inputs.command }} ${{ inputs.fingerprint }} ${{ inputs.comment }}'

export interface RequestingComment {
  issueNumber: number
  commentId: number
  url: string
  command: string | undefined
}

/** The comment of this repository that a display title names, if any. */
export function requestingCommentIn(title: string, fullName: string): RequestingComment | undefined {
  const match = /https?:\/\/[^\s/]+\/([^\s/]+)\/([^\s/]+)\/(?:issues|pull)\/(\d{1,9})#issuecomment-(\d{1,15})/.exec(title)
  if (!match || `${match[1]}/${match[2]}`.toLowerCase() !== fullName.toLowerCase()) return undefined
  // The rotate action revokes through `finish`; people asked for `/warden revoke`.
  const named = /\bjira-warden (rotate|verify|finish|revoke)\b/.exec(title)?.[1]
  const command = named === 'finish' ? 'revoke' : named
  return { issueNumber: Number(match[3]), commentId: Number(match[4]), url: match[0], command }
}

export function onWorkflowRunCompleted(deps: ResolvedDependencies) {
  return async (context: RunContext): Promise<void> => {
    const run = context.payload.workflow_run
    const standDown = (why: string) => {
      context.log.debug({ delivery: context.id, run: run.id }, `ignored: ${why}`)
      deps.outcomes.note(context.id, `ignored: ${why}`)
    }
    if (run.event !== 'workflow_dispatch') return standDown(`run ${run.id} was not dispatched (${run.event})`)
    const botLogin = await deps.botLogin()
    const dispatcher = run.triggering_actor?.login ?? run.actor?.login
    if (!botLogin || dispatcher !== botLogin) return standDown(`run ${run.id} was dispatched by ${dispatcher ?? 'nobody known'}, not by this app`)
    const { repository } = context.payload
    const requesting = requestingCommentIn(run.display_title ?? '', repository.full_name) ?? (await deps.dispatched.recall(run.id, RECALL_WAIT_MS))
    if (!requesting) return standDown(`run ${run.id} names no comment of ${repository.full_name} in its title (the rotation workflow needs run-name: ${ROTATION_RUN_NAME})`)
    const config = await loadRepositoryConfig((fileName) => deps.readConfig(context as unknown as Context, fileName))
    const workflow = config.ok ? rotationWorkflow(config.config) : undefined
    if (!workflow || !run.path.endsWith(`.github/workflows/${workflow}`)) return standDown(`run ${run.id} is of ${run.path}, not the rotation workflow`)
    if (!deps.seen.firstTime(`run:${run.id}:${run.run_attempt ?? 1}`)) return standDown(`run ${run.id} was already reported`)
    const github = context.octokit as unknown as GitHubClient
    const where = { owner: repository.owner.login, repo: repository.name }
    const claim = await claimComment(github, where, requesting.commentId, 'rocket')
    if (!claim.claimed) return standDown(claim.reason)
    const ok = run.conclusion === 'success'
    const stateLine = config.ok ? await currentCredentialLine(github, where, config.config) : ''
    const name = requesting.command ? `/warden ${requesting.command}` : 'The rotation workflow'
    await github.rest.issues.createComment({
      ...where,
      issue_number: requesting.issueNumber,
      body: `${ok ? '✅' : '❌'} ${name} finished: the [workflow run](${run.html_url}) concluded **${run.conclusion ?? 'without a conclusion'}** (asked in ${requesting.url}).${stateLine}`,
    })
    deps.outcomes.note(context.id, `reported run ${run.id} (${run.conclusion}) on #${requesting.issueNumber}`)
  }
}

async function currentCredentialLine(github: GitHubClient, repository: { owner: string; repo: string }, config: Parameters<typeof lookUpRotationState>[2]): Promise<string> {
  try {
    const lookup = await lookUpRotationState(github, repository, config)
    if (lookup.kind !== 'state') return ''
    const { state } = lookup
    const current = state.current ? ` The secret holds \`${state.current.fingerprint}\`.` : ''
    const last = state.last ? ` Last rotation ${state.last.outcome} at ${state.last.at}${state.last.detail ? ` (${state.last.detail})` : ''}.` : ''
    return `\n\n${current}${last}`.trimEnd()
  } catch (error) {
    return `\n\nThe rotation state could not be read: ${failureCause(error)}.`
  }
}
