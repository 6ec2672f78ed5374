/** What the app is built from; tests and hosts pass their own, everything has a default. */
import type { Context } from 'probot'
import type { CommandRegistry } from '../core/commands/command-registry.ts'
import type { CommandHandler } from './commands/command-run.ts'
import { wardenCommands } from './commands/warden-commands.ts'
import { DeliveryOutcomes } from './delivery-outcomes.ts'
import { DispatchedRuns } from './dispatched-runs.ts'
import { SeenDeliveries } from './seen-deliveries.ts'
import { WorkQueue } from './work-queue.ts'

export const DEFAULT_DOCS_URL = 'https://github.com/jira-warden/jira-warden/blob/main/docs'

export interface AppDependencies {
  now?: () => Date
  /** This process's memory of deliveries and comments already taken. */
  seen?: SeenDeliveries
  /** What each delivery came to, for the server's one log line per delivery. */
  outcomes?: DeliveryOutcomes
  /** The app's own bot login (`<slug>[bot]`); learned from GET /app when omitted. */
  botLogin?: string
  /** Where replies link for the rotation guide (`${docsUrl}/rotation.md`). */
  docsUrl?: string
  /** Reads `.github/<fileName>`; default Probot's `context.config`. */
  readConfig?: (context: Context, fileName: string) => Promise<unknown>
  commands?: CommandRegistry<CommandHandler>
  dispatched?: DispatchedRuns
  /**
   * True (the default): a verified delivery is answered at once and its work
   * runs afterwards in `workQueue`. False: the answer waits for the work, as
   * serverless hosts need (they may freeze the function once it has answered).
   */
  ackBeforeWork?: boolean
  /** Where work runs after the answer; one is made when omitted. */
  workQueue?: WorkQueue
}

export interface ResolvedDependencies {
  now: () => Date
  seen: SeenDeliveries
  outcomes: DeliveryOutcomes
  botLogin: () => Promise<string | undefined>
  docsUrl: string
  readConfig: (context: Context, fileName: string) => Promise<unknown>
  commands: CommandRegistry<CommandHandler>
  dispatched: DispatchedRuns
  /** Undefined when the answer waits for the work (ackBeforeWork: false). */
  workQueue: WorkQueue | undefined
}

export function resolveDependencies(deps: AppDependencies, learnBotLogin: () => Promise<string | undefined>): ResolvedDependencies {
  let botLogin: Promise<string | undefined> | undefined = deps.botLogin === undefined ? undefined : Promise.resolve(deps.botLogin)
  return {
    now: deps.now ?? (() => new Date()),
    seen: deps.seen ?? new SeenDeliveries(),
    outcomes: deps.outcomes ?? new DeliveryOutcomes(),
    botLogin: () => {
      // Learned once; a failure is not remembered, so the next delivery asks again.
      botLogin ??= learnBotLogin().then((login) => {
        if (login === undefined) botLogin = undefined
        return login
      })
      return botLogin
    },
    docsUrl: (deps.docsUrl ?? DEFAULT_DOCS_URL).replace(/\/+$/, ''),
    readConfig: deps.readConfig ?? ((context, fileName) => context.config(fileName)),
    commands: deps.commands ?? wardenCommands(),
    dispatched: deps.dispatched ?? new DispatchedRuns(),
    workQueue: deps.ackBeforeWork === false ? undefined : (deps.workQueue ?? new WorkQueue()),
  }
}
