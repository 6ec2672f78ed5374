/**
 * issue_comment.created: guard clauses first, each logging why it stood
 * down; then 👀 as the claim, the live permission, and one reply.
 */
import type { Context } from 'probot'
import { createAuditTrail } from '../adapters/github/audit-trail.ts'
import { statusOf, type GitHubClient } from '../adapters/github/github-client.ts'
import { authorizeCommand, repositoryPermissionOf, type RepositoryPermission } from '../core/commands/authorize-command.ts'
import { parseCommand, type CommandReading, type ParsedCommand } from '../core/commands/parse-command.ts'
import type { WardenConfig } from '../core/config.ts'
import type { AuditLog } from '../ports/audit-log.ts'
import type { ResolvedDependencies } from './app-dependencies.ts'
import { claimComment } from './claim-comment.ts'
import type { CommandRun } from './commands/command-run.ts'
import { failureCause, failureLogFields } from './failure-cause.ts'
import { refusalBody, replyBody } from './replies.ts'
import { loadRepositoryConfig, openToWrite } from './repository-config.ts'

type CommentContext = Context<'issue_comment.created'>

export const GITHUB_ACTIONS_BOT = 'github-actions[bot]'

export function onCommentCreated(deps: ResolvedDependencies) {
  return async (context: CommentContext): Promise<void> => {
    const { comment, sender } = context.payload
    const standDown = (why: string) => {
      context.log.debug({ delivery: context.id, comment: comment.id }, `ignored: ${why}`)
      deps.outcomes.note(context.id, `ignored: ${why}`)
    }
    if (sender.type === 'Bot' || comment.user?.type === 'Bot') return standDown(`sender ${sender.login} is a bot`)
    const reading = parseCommand(comment.body ?? '', deps.commands.list())
    if (reading.kind === 'ignored') return standDown(reading.reason)
    const botLogin = await deps.botLogin()
    if (sender.login === botLogin) return standDown(`sender ${sender.login} is this app`)
    if (!deps.seen.firstTime(`delivery:${context.id}`)) return standDown(`delivery ${context.id} was already handled`)
    if (!deps.seen.firstTime(`comment:${comment.id}`)) return standDown(`comment ${comment.id} was already handled`)
    const github = context.octokit as unknown as GitHubClient
    const repository = repositoryOf(context)
    const claim = await claimComment(github, repository.where, comment.id, 'eyes')
    if (!claim.claimed) return standDown(claim.reason)

    const reply = async (body: string) => {
      await github.rest.issues.createComment({ ...repository.where, issue_number: context.payload.issue.number, body })
    }
    try {
      await answerCommand({ context, deps, github, repository, reply, botLogin }, reading)
    } catch (error) {
      // Claimed with 👀, so this delivery owns the one reply: say it failed rather than fall silent.
      context.log.error({ delivery: context.id, ...failureLogFields(error) }, `command failed: ${failureCause(error)}`)
      await reply(replyBody(false, reading.kind === 'command' ? reading.command.line : reading.line, sender.login, `Something went wrong: ${failureCause(error)}. Try again later.`))
      deps.outcomes.note(context.id, `failed: ${failureCause(error)}`)
    }
  }
}

interface Conversation {
  context: CommentContext
  deps: ResolvedDependencies
  github: GitHubClient
  repository: RepositoryOf
  reply: (body: string) => Promise<void>
  botLogin: string | undefined
}

async function answerCommand(talk: Conversation, reading: Exclude<CommandReading, { kind: 'ignored' }>): Promise<void> {
  const { context, deps, reply } = talk
  const requester = context.payload.sender.login
  if (reading.kind === 'unknown') {
    await reply(replyBody(false, reading.line, requester, `There is no \`/warden ${reading.name}\`. \`/warden help\` lists the commands.`))
    return deps.outcomes.note(context.id, `unknown command /warden ${reading.name} from ${requester}`)
  }
  const command = reading.command
  const config = await loadRepositoryConfig((fileName) => deps.readConfig(context, fileName))
  if (!config.ok) {
    await reply(replyBody(false, command.line, requester, config.problem))
    return deps.outcomes.note(context.id, `/warden ${command.name} from ${requester}: configuration error`)
  }
  const definition = deps.commands.get(command.name)
  if (!definition) return reply(replyBody(false, command.line, requester, 'This command has no handler.'))
  const permission = await permissionOf(talk.github, talk.repository.where, requester)
  const decision = authorizeCommand(definition, permission, openToWrite(config.config))
  const audit = createAuditTrail(talk.github, talk.repository.where)
  if (!decision.allowed) {
    await recordRefusal(talk, audit, decision.reason)
    await reply(refusalBody(command.line, requester, decision.reason))
    return deps.outcomes.note(context.id, `refused /warden ${command.name} for ${requester} (${permission})`)
  }
  const run = commandRunFor(talk, command, config.config, audit)
  const result = await runSafely(run, definition.handler, command)
  await reply(replyBody(result.ok, command.line, requester, result.body))
  return deps.outcomes.note(context.id, `ran /warden ${command.name} for ${requester}: ${result.ok ? 'ok' : 'failed'}`)
}

/** The command.denied entry; a refusal is answered even when the trail cannot take it (it changes nothing). */
async function recordRefusal(talk: Conversation, audit: AuditLog, reason: string): Promise<void> {
  const { context, deps } = talk
  const recorded = await audit.append({
    v: 1,
    time: deps.now().toISOString(),
    actor: context.payload.sender.login,
    event: 'command.denied',
    outcome: `refused: ${reason}`,
    repository: talk.repository.fullName,
    detail: context.payload.comment.html_url,
  })
  if (!recorded.written) context.log.warn({ delivery: context.id }, `command.denied not recorded: ${recorded.reason}`)
}

function commandRunFor(talk: Conversation, command: ParsedCommand, config: WardenConfig, audit: AuditLog): CommandRun {
  const { context, deps, repository } = talk
  return {
    github: talk.github,
    repository: repository.where,
    fullName: repository.fullName,
    defaultBranch: repository.defaultBranch,
    requester: context.payload.sender.login,
    command,
    commentUrl: context.payload.comment.html_url,
    commentId: context.payload.comment.id,
    issueNumber: context.payload.issue.number,
    rememberDispatch: (runId, dispatched) => deps.dispatched.remember(runId, dispatched),
    config,
    openToWrite: openToWrite(config),
    audit,
    trustedAuditAuthors: [GITHUB_ACTIONS_BOT, ...(talk.botLogin ? [talk.botLogin] : [])],
    now: deps.now(),
    docsUrl: deps.docsUrl,
    log: context.log,
  }
}

interface RepositoryOf {
  /** Spread into API parameters: owner and repo only. */
  where: { owner: string; repo: string }
  fullName: string
  defaultBranch: string
}

function repositoryOf(context: CommentContext): RepositoryOf {
  const { repository } = context.payload
  return { where: { owner: repository.owner.login, repo: repository.name }, fullName: repository.full_name, defaultBranch: repository.default_branch }
}

/** The live permission; someone who is no collaborator at all reads as none. */
async function permissionOf(github: GitHubClient, repository: { owner: string; repo: string }, username: string): Promise<RepositoryPermission> {
  try {
    const answer = await github.rest.repos.getCollaboratorPermissionLevel({ ...repository, username })
    return repositoryPermissionOf(answer.data.permission)
  } catch (error) {
    if (statusOf(error) === 404) return 'none'
    throw error
  }
}

/** A handler's failure becomes a ❌ reply that names the cause, never a raw response body. */
async function runSafely(run: CommandRun, handler: (run: CommandRun) => Promise<{ ok: boolean; body: string }>, command: ParsedCommand): Promise<{ ok: boolean; body: string }> {
  try {
    return await handler(run)
  } catch (error) {
    run.log.error({ command: command.name, ...failureLogFields(error) }, `/warden ${command.name} failed: ${failureCause(error)}`)
    return { ok: false, body: `/warden ${command.name} failed: ${failureCause(error)}. Try again later.` }
  }
}
