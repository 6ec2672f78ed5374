/**
 * Moves each issue to the rule's target status: one read for all issues,
 * one write each at bounded concurrency. A write is never repeated blindly:
 * after a transient failure or a stale read the issue is re-read and
 * re-planned, so nothing can apply twice.
 */
import { AuthenticationError, TransientError, WardenError } from '../core/errors.ts'
import type { TransitionRule } from '../core/config.ts'
import type { TemplateContext } from '../core/template.ts'
import { planIssue, type IssueStep } from '../core/transition-plan.ts'
import type { JiraIssueState, JiraPort } from '../ports/jira.ts'

export type IssueResult = 'transitioned' | 'skipped' | 'failed'

export interface IssueOutcome {
  key: string
  from: string | undefined
  to: string
  result: IssueResult
  reason: string
}

export interface TransitionJob {
  jira: JiraPort
  keys: readonly string[]
  rule: TransitionRule
  context: TemplateContext
  comment: string | undefined
  dryRun: boolean
  concurrency: number
  /** Most attempts at one issue's write, re-reading between them. */
  maxWriteAttempts?: number
  /** Longest pause before a re-read, whatever Retry-After asks. */
  maxWaitMs?: number
  sleep?: (ms: number) => Promise<void>
  progress?: (line: string) => void
}

export async function transitionIssues(job: TransitionJob): Promise<IssueOutcome[]> {
  const lookup = await job.jira.readIssues(job.keys)
  const outcomes = new Map<string, IssueOutcome>()
  for (const key of lookup.missing) {
    outcomes.set(key, failed(key, undefined, job.rule.to, 'not found, or not visible to this credential'))
  }
  const writes: Array<{ issue: JiraIssueState; step: Extract<IssueStep, { action: 'transition' }> }> = []
  for (const issue of lookup.found) {
    const step = planIssue(issue, job.rule, job.context)
    if (step.action === 'transition' && !job.dryRun) writes.push({ issue, step })
    else outcomes.set(issue.key, outcomeOfPlan(step, job.dryRun))
  }
  await runBounded(writes, job.concurrency, async ({ issue, step }) => {
    outcomes.set(issue.key, await writeTransition(job, issue, step))
  })
  return job.keys.map((key) => outcomes.get(key)).filter((outcome) => outcome !== undefined)
}

function outcomeOfPlan(step: IssueStep, dryRun: boolean): IssueOutcome {
  switch (step.action) {
    case 'skip':
      return { key: step.key, from: step.from, to: step.to, result: 'skipped', reason: step.reason }
    case 'fail':
      return failed(step.key, step.from, step.to, step.reason)
    case 'transition':
      return {
        key: step.key,
        from: step.from,
        to: step.to,
        result: 'skipped',
        reason: dryRun ? `dry run: would transition via '${step.transitionName}'` : 'not attempted',
      }
  }
}

async function writeTransition(
  job: TransitionJob,
  issue: JiraIssueState,
  firstStep: Extract<IssueStep, { action: 'transition' }>,
): Promise<IssueOutcome> {
  const attempts = job.maxWriteAttempts ?? 3
  const sleep = job.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const from = issue.status.name
  let step: IssueStep = firstStep
  // A transient failure may have applied the write; a refusal did not.
  let mayHaveApplied = false
  for (let attempt = 1; ; attempt += 1) {
    if (step.action !== 'transition') return outcomeAfterRecheck(step, from, mayHaveApplied)
    try {
      await job.jira.transition(step.key, {
        transitionId: step.transitionId,
        fields: step.fields,
        ...(job.comment ? { comment: job.comment } : {}),
      })
      job.progress?.(`${step.key}: ${step.from} → ${step.to}`)
      return { key: step.key, from: step.from, to: step.to, result: 'transitioned', reason: `via '${step.transitionName}'` }
    } catch (error) {
      if (error instanceof AuthenticationError) throw error
      if (!isWorthRechecking(error) || attempt >= attempts) return failed(step.key, from, step.to, reasonOf(error))
      mayHaveApplied ||= error instanceof TransientError
      const waitMs = Math.min(error instanceof TransientError ? (error.retryAfterMs ?? 1_000 * attempt) : 0, job.maxWaitMs ?? 60_000)
      if (waitMs > 0) {
        job.progress?.(`${step.key}: ${reasonOf(error)} Waiting ${Math.ceil(waitMs / 1000)} s, then re-reading the issue.`)
        await sleep(waitMs)
      }
      step = await rereadAndReplan(job, step.key).catch((rereadError: unknown) => {
        if (rereadError instanceof AuthenticationError) throw rereadError
        return { action: 'fail', key: firstStep.key, from, to: firstStep.to, reason: reasonOf(rereadError) } as const
      })
    }
  }
}

async function rereadAndReplan(job: TransitionJob, key: string): Promise<IssueStep> {
  return planIssue(await job.jira.readIssue(key), job.rule, job.context)
}

/**
 * After a re-read, "already there" is this run's success when an earlier
 * attempt may have applied; otherwise someone else (or a stale search) made
 * it so, and the issue is skipped like any issue already in place.
 */
function outcomeAfterRecheck(step: IssueStep, originalFrom: string, mayHaveApplied: boolean): IssueOutcome {
  if (step.action === 'skip' && mayHaveApplied) {
    return { key: step.key, from: originalFrom, to: step.to, result: 'transitioned', reason: 'confirmed by re-reading the issue' }
  }
  return outcomeOfPlan(step, false)
}

/** Transient failures may or may not have applied; a refused transition may come from a stale search result. */
function isWorthRechecking(error: unknown): boolean {
  if (error instanceof TransientError) return true
  return error instanceof WardenError && error.kind === 'jira-answer' && /not valid for this issue/i.test(error.message)
}

function reasonOf(error: unknown): string {
  return error instanceof WardenError ? error.message : 'unexpected failure'
}

function failed(key: string, from: string | undefined, to: string, reason: string): IssueOutcome {
  return { key, from, to, result: 'failed', reason }
}

/** Runs tasks with at most `limit` in flight; the first AuthenticationError stops new ones from starting. */
async function runBounded<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  let stop: unknown
  const worker = async (): Promise<void> => {
    while (next < items.length && stop === undefined) {
      const item = items[next++] as T
      try {
        await task(item)
      } catch (error) {
        stop ??= error
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  if (stop !== undefined) throw stop
}
