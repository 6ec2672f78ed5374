/**
 * One issue, one rule: skip it, move it (by which transition, with which
 * fields), or say why it cannot move and how to fix that. Rules name a
 * target status, never a transition: transition names differ between
 * workflows, status names are what people see.
 */
import { NAMED_FIELDS, type TransitionRule } from './config.ts'
import { renderTemplate, type TemplateContext } from './template.ts'

/** The part of an issue's state a plan reads (JiraIssueState of the Jira port fits it). */
export interface PlannableIssue {
  key: string
  status: { name: string }
  transitions: readonly AvailableTransition[]
}

export interface AvailableTransition {
  id: string
  name: string
  to: { name: string }
  /** Field ids the transition screen requires. */
  requiredFields: readonly string[]
  /** Available from every status; a workflow's own transition is preferred when Jira says which is which. */
  isGlobal?: boolean
}

interface StepBase {
  key: string
  from: string
  to: string
}

export type IssueStep =
  | (StepBase & { action: 'skip'; reason: string })
  | (StepBase & { action: 'transition'; transitionId: string; transitionName: string; fields: Record<string, unknown> })
  | (StepBase & { action: 'fail'; reason: string })

export function planIssue(issue: PlannableIssue, rule: TransitionRule, context: TemplateContext): IssueStep {
  const step: StepBase = { key: issue.key, from: issue.status.name, to: rule.to }
  if (sameStatus(issue.status.name, rule.to)) return { ...step, action: 'skip', reason: `already in '${issue.status.name}'` }
  const leading = issue.transitions.filter((transition) => sameStatus(transition.to.name, rule.to))
  if (leading.length === 0) return { ...step, action: 'fail', reason: unreachableReason(issue, rule.to) }
  const fields = transitionFields(rule, context)
  const [chosen] = [...leading].sort((a, b) => rank(a, fields) - rank(b, fields))
  if (!chosen) return { ...step, action: 'fail', reason: unreachableReason(issue, rule.to) }
  const missing = chosen.requiredFields.filter((field) => !Object.hasOwn(fields, field))
  if (missing.length > 0) return { ...step, action: 'fail', reason: missingFieldsReason(chosen, rule, missing) }
  return { ...step, action: 'transition', transitionId: chosen.id, transitionName: chosen.name, fields }
}

/** The comment to fold into the transition: the rule's own template, else the general one; blank means none. */
export function renderComment(rule: TransitionRule, defaultTemplate: string | undefined, context: TemplateContext): string | undefined {
  const template = rule.comment ?? defaultTemplate
  if (template === undefined) return undefined
  const comment = renderTemplate(template, context).trim()
  return comment === '' ? undefined : comment
}

/** Field values in Jira's shape: `{ resolution: { name } }`, `{ fixVersions: [{ name }] }`, other ids as written. */
export function transitionFields(rule: TransitionRule, context: TemplateContext): Record<string, unknown> {
  const fields: Record<string, unknown> = {}
  for (const [id, value] of Object.entries(rule.fields ?? {})) {
    fields[id] = NAMED_FIELDS.includes(id) ? { name: String(value) } : value
  }
  const version = rule['fix-version'] === undefined ? '' : renderTemplate(rule['fix-version'], context).trim()
  if (version !== '') fields.fixVersions = [{ name: version }]
  return fields
}

/** Lower is better: a transition the rule can fill in first, then a workflow's own before a global one. */
function rank(transition: AvailableTransition, fields: Record<string, unknown>): number {
  const unfilled = transition.requiredFields.some((field) => !Object.hasOwn(fields, field)) ? 2 : 0
  return unfilled + (transition.isGlobal === true ? 1 : 0)
}

function sameStatus(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase()
}

function unreachableReason(issue: PlannableIssue, target: string): string {
  const reachable = [...new Set(issue.transitions.map((transition) => transition.to.name))]
  if (reachable.length === 0) {
    return `Jira offers no transition from '${issue.status.name}' to this credential (it may lack the Transition Issues permission in the project)`
  }
  return `no transition from '${issue.status.name}' leads to '${target}'; reachable from here: ${reachable.join(', ')}. Check the status name in the rule's to:`
}

function missingFieldsReason(transition: AvailableTransition, rule: TransitionRule, missing: readonly string[]): string {
  const named = missing.map((field) => `'${field}'`).join(', ')
  const fixes = missing.map((field) => howToGive(field, rule))
  return `transition '${transition.name}' to '${rule.to}' requires ${named}; ${fixes.join('; ')}`
}

function howToGive(field: string, rule: TransitionRule): string {
  if (field === 'fixVersions') {
    return rule['fix-version'] === undefined
      ? `add fix-version: "{{ version }}" to the rule (on: ${rule.on})`
      : `the rule's fix-version "${rule['fix-version']}" has no value for this event; use a placeholder this event fills, such as {{ version }}`
  }
  const example = field === 'resolution' ? 'Done' : '<value>'
  return `add "fields: { ${field}: ${example} }" to the rule (on: ${rule.on})`
}
