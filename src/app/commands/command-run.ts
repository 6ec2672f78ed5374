/** What a command handler is given, and what it answers. */
import type { Logger } from 'pino'
import type { GitHubClient, RepositoryRef } from '../../adapters/github/github-client.ts'
import type { ParsedCommand } from '../../core/commands/parse-command.ts'
import type { WardenConfig } from '../../core/config.ts'
import type { AuditLog } from '../../ports/audit-log.ts'
import type { DispatchedRun } from '../dispatched-runs.ts'

export interface CommandRun {
  github: GitHubClient
  /** Only owner and repo: it is spread into API parameters. */
  repository: RepositoryRef
  /** owner/repo */
  fullName: string
  defaultBranch: string
  requester: string
  command: ParsedCommand
  /** html_url of the comment that asked, its id and thread. */
  commentUrl: string
  commentId: number
  issueNumber: number
  /** Notes which comment a dispatched run answers (see dispatched-runs.ts). */
  rememberDispatch(runId: number, run: DispatchedRun): void
  config: WardenConfig
  /** Commands the config opens to write users. */
  openToWrite: readonly string[]
  audit: AuditLog
  /** Logins whose comments on the audit issue count as entries. */
  trustedAuditAuthors: readonly string[]
  now: Date
  docsUrl: string
  log: Logger
}

export interface CommandResult {
  ok: boolean
  /** Markdown; never a secret (the server never holds one). */
  body: string
}

export type CommandHandler = (run: CommandRun) => Promise<CommandResult>
