/** The parts of Jira's issue beans the action reads, validated (Cloud v3 and Data Center v2 agree on them). */
import { z } from 'zod'
import type { JiraIssueState, JiraTransition } from '../../ports/jira.ts'

const statusAnswer = z.object({ id: z.string(), name: z.string() })

const transitionAnswer = z.object({
  id: z.string(),
  name: z.string(),
  to: statusAnswer,
  fields: z.record(z.string(), z.object({ required: z.boolean().optional() }).loose()).optional(),
})

export const issueAnswer = z.object({
  id: z.string(),
  key: z.string(),
  fields: z.object({
    status: statusAnswer,
    project: z.object({ key: z.string() }).loose().optional(),
  }).loose(),
  transitions: z.array(transitionAnswer.loose()).optional(),
})

export const cloudSearchAnswer = z.object({
  issues: z.array(issueAnswer.loose()),
  nextPageToken: z.string().nullish(),
})

export const dataCenterSearchAnswer = z.object({
  issues: z.array(issueAnswer.loose()),
  startAt: z.number().optional(),
  total: z.number().optional(),
})

export const identityAnswer = z.object({
  accountId: z.string().optional(),
  name: z.string().optional(),
  key: z.string().optional(),
  displayName: z.string().optional(),
  emailAddress: z.string().optional(),
}).loose()

export function toIssueState(issue: z.infer<typeof issueAnswer>): JiraIssueState {
  return {
    key: issue.key,
    id: issue.id,
    projectKey: issue.fields.project?.key ?? issue.key.slice(0, issue.key.lastIndexOf('-')),
    status: { id: issue.fields.status.id, name: issue.fields.status.name },
    transitions: (issue.transitions ?? []).map(toTransition),
  }
}

function toTransition(transition: z.infer<typeof transitionAnswer>): JiraTransition {
  const requiredFields = Object.entries(transition.fields ?? {})
    .filter(([, field]) => field.required === true)
    .map(([fieldId]) => fieldId)
  return {
    id: transition.id,
    name: transition.name,
    to: { id: transition.to.id, name: transition.to.name },
    requiredFields,
  }
}

/** Keys named in Jira's 400 for `key in (...)`: "An issue with key 'X-9' does not exist for field 'key'." */
export function keysJiraCannotSee(messages: readonly string[]): string[] {
  const keys: string[] = []
  for (const message of messages) {
    const found = /key '([A-Za-z][A-Za-z0-9_]*-\d+)'/.exec(message)
    if (found?.[1] && /does not exist|is invalid/.test(message)) keys.push(found[1].toUpperCase())
  }
  return keys
}

export const permissionsAnswer = z.object({
  permissions: z.record(z.string(), z.object({ havePermission: z.boolean() }).loose()),
})

export const projectStatusesAnswer = z.array(
  z.object({ statuses: z.array(z.object({ name: z.string() }).loose()) }).loose(),
)
