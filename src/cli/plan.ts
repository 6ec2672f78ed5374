import type { WardenConfig } from '../core/config.ts'
import { describeEvent } from '../core/event.ts'
import { eventKeyTexts } from '../core/event-key-texts.ts'
import { extractIssueKeys } from '../core/issue-keys.ts'
import { selectRule } from '../core/rules.ts'
import { templateContextFor } from '../core/template.ts'
import { planIssue } from '../core/transition-plan.ts'
import type { JiraPort } from '../ports/jira.ts'

export interface PlanRequest {
  payload: unknown
  eventName: string | undefined
  config: WardenConfig
  jira: JiraPort | undefined
  print: (line: string) => void
}

/** What an event would do; reads Jira when a credential is at hand, writes nothing anywhere. */
export async function runPlan(request: PlanRequest): Promise<number> {
  const { print } = request
  const eventName = request.eventName ?? guessEventName(request.payload)
  const event = describeEvent(eventName, request.payload)
  if ('unsupported' in event) {
    print(`Nothing to do: ${event.reason}`)
    return 0
  }
  const rule = selectRule(event, request.config.transitions ?? [])
  if (!rule) {
    print(`No transition rule matches ${event.trigger}.`)
    return 0
  }
  const texts = eventKeyTexts(event, request.config.keys.from)
  const { keys } = extractIssueKeys(texts, { max: request.config.keys.max, ...(request.config.projects ? { projects: request.config.projects } : {}) })
  print(`${event.trigger} → '${rule.to}' for ${keys.length > 0 ? keys.join(', ') : 'no issue keys'} (commits of pull requests are not read offline)`)
  if (!request.jira || keys.length === 0) return 0
  const lookup = await request.jira.readIssues(keys)
  const context = templateContextFor(event)
  for (const issue of lookup.found) {
    const step = planIssue(issue, rule, context)
    const detail = step.action === 'transition' ? `via '${step.transitionName}'` : step.reason
    print(`  ${step.key}: ${step.from} → ${step.to}: ${step.action} (${detail})`)
  }
  for (const key of lookup.missing) print(`  ${key}: not found, or not visible to this credential`)
  return 0
}

function guessEventName(payload: unknown): string {
  const has = (field: string) => typeof payload === 'object' && payload !== null && field in payload
  if (has('review') && has('pull_request')) return 'pull_request_review'
  if (has('deployment_status')) return 'deployment_status'
  if (has('release')) return 'release'
  if (has('pull_request')) return 'pull_request'
  if (has('commits') && has('ref')) return 'push'
  return 'unknown'
}
