/**
 * The Probot app: slash commands in issue and pull-request comments, and
 * the results of the rotation runs it dispatched. Handlers keep no state
 * that matters between deliveries, so any number of replicas can serve it.
 */
import type { ApplicationFunction, Context, Probot } from 'probot'
import { resolveDependencies, type AppDependencies, type ResolvedDependencies } from './app-dependencies.ts'
import { onCommentCreated } from './comment-command.ts'
import { failureCause, failureLogFields } from './failure-cause.ts'
import { WorkQueueRefused } from './work-queue.ts'
import { onWorkflowRunCompleted } from './workflow-run-result.ts'

export function createApp(deps: AppDependencies = {}): ApplicationFunction {
  return (app: Probot) => {
    const resolved = resolveDependencies(deps, () => learnBotLogin(app))
    app.on('issue_comment.created', afterTheAnswer(resolved, notingFailures(resolved, onCommentCreated(resolved))))
    app.on('issue_comment.edited', async (context) => {
      context.log.debug({ delivery: context.id }, 'ignored: edited comments are never acted on')
      resolved.outcomes.note(context.id, 'ignored: edited comments are never acted on')
    })
    app.on('workflow_run.completed', afterTheAnswer(resolved, notingFailures(resolved, onWorkflowRunCompleted(resolved))))
  }
}

type DeliveryContext = { id: string; name: string; log: Context['log'] }

/**
 * With a work queue, the handler only enqueues, so @octokit/webhooks answers
 * the verified delivery at once; the work's failure is logged here by kind,
 * since nobody is waiting for it any more. Without one, the answer waits.
 */
function afterTheAnswer<C extends DeliveryContext>(deps: ResolvedDependencies, handler: (context: C) => Promise<void>) {
  const queue = deps.workQueue
  if (!queue) return handler
  return async (context: C): Promise<void> => {
    try {
      queue.enqueue(context.id, async () => {
        try {
          await handler(context)
        } catch (error) {
          context.log.error({ delivery: context.id, event: context.name, ...failureLogFields(error) }, `delivery work failed: ${failureCause(error)}`)
        }
      })
    } catch (error) {
      if (!(error instanceof WorkQueueRefused)) throw error
      deps.outcomes.note(context.id, `failed: ${error.message}`)
      throw error
    }
  }
}

/** A handler that throws still gets its delivery's log line; Probot logs the error itself. */
function notingFailures<C extends { id: string }>(deps: ResolvedDependencies, handler: (context: C) => Promise<void>) {
  return async (context: C): Promise<void> => {
    try {
      await handler(context)
    } catch (error) {
      deps.outcomes.note(context.id, `failed: ${failureCause(error)}`)
      throw error
    }
  }
}

/** `<slug>[bot]`, from GET /app with the app's JWT; undefined when the app cannot say (token auth). */
async function learnBotLogin(app: Probot): Promise<string | undefined> {
  try {
    const octokit = await app.auth()
    const { data } = await octokit.rest.apps.getAuthenticated()
    return data?.slug ? `${data.slug}[bot]` : undefined
  } catch (error) {
    app.log.warn({ status: (error as { status?: unknown }).status }, 'could not learn the app slug from GET /app; only bot senders are recognised as the app')
    return undefined
  }
}
