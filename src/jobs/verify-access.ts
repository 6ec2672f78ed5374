/**
 * What `jira-warden doctor` checks, and what rotation will check of a new
 * credential before it is stored: who it is, that it may browse and
 * transition in every project, that every target status exists there, and
 * that it holds no more than the transitions need.
 */
import { AuthenticationError, TransientError, WardenError } from '../core/errors.ts'
import type { JiraIdentity, JiraPort } from '../ports/jira.ts'

export type CheckVerdict = 'ok' | 'warn' | 'fail'

export interface AccessCheck {
  subject: string
  verdict: CheckVerdict
  detail: string
}

export interface AccessReport {
  identity: JiraIdentity | undefined
  checks: AccessCheck[]
  /** No check failed (warnings allowed). */
  usable: boolean
}

export interface AccessRequirements {
  projects: readonly string[]
  targetStatuses: readonly string[]
  /** A comment template is configured, so Add comments is needed too. */
  comments: boolean
}

const NEEDED = ['BROWSE_PROJECTS', 'TRANSITION_ISSUES'] as const
const EXCESSIVE_IN_PROJECT = ['ADMINISTER_PROJECTS', 'DELETE_ISSUES'] as const

export async function verifyAccess(jira: JiraPort, requirements: AccessRequirements): Promise<AccessReport> {
  const checks: AccessCheck[] = []
  let identity: JiraIdentity
  try {
    identity = await jira.whoAmI()
  } catch (error) {
    if (!(error instanceof AuthenticationError)) throw error
    return { identity: undefined, checks: [{ subject: 'credential', verdict: 'fail', detail: error.message }], usable: false }
  }
  checks.push({ subject: 'credential', verdict: 'ok', detail: `authenticated as ${identity.displayName}` })
  const global = await jira.permissions(['ADMINISTER'])
  if (global.ADMINISTER) {
    checks.push({ subject: 'site', verdict: 'warn', detail: 'the credential is a Jira administrator: far more than moving issues needs' })
  }
  for (const project of requirements.projects) checks.push(...(await checkProject(jira, project, requirements)))
  return { identity, checks, usable: checks.every((check) => check.verdict !== 'fail') }
}

async function checkProject(jira: JiraPort, project: string, requirements: AccessRequirements): Promise<AccessCheck[]> {
  const wanted = [...NEEDED, ...(requirements.comments ? ['ADD_COMMENTS'] : []), ...EXCESSIVE_IN_PROJECT]
  let held: Record<string, boolean>
  let statuses: string[]
  try {
    held = await jira.permissions(wanted, project)
    statuses = await jira.projectStatuses(project)
  } catch (error) {
    // Jira being unreachable says nothing about the credential: the caller decides (rotation retries, doctor reports).
    if (error instanceof AuthenticationError || error instanceof TransientError || !(error instanceof WardenError)) throw error
    return [{ subject: project, verdict: 'fail', detail: `cannot read the project: ${error.message}` }]
  }
  const checks: AccessCheck[] = []
  const missing = wanted.filter((key) => !EXCESSIVE_IN_PROJECT.includes(key as never) && !held[key])
  checks.push(
    missing.length === 0
      ? { subject: project, verdict: 'ok', detail: `may ${requirements.comments ? 'browse, transition and comment' : 'browse and transition'}` }
      : { subject: project, verdict: 'fail', detail: `lacks ${missing.join(', ')}: grant them to this account in the project's permission scheme` },
  )
  const excess = EXCESSIVE_IN_PROJECT.filter((key) => held[key])
  if (excess.length > 0) {
    checks.push({ subject: project, verdict: 'warn', detail: `holds ${excess.join(', ')}: more than the transitions need (least privilege)` })
  }
  const known = new Set(statuses.map((status) => status.toLowerCase()))
  for (const target of requirements.targetStatuses) {
    checks.push(
      known.has(target.toLowerCase())
        ? { subject: project, verdict: 'ok', detail: `status '${target}' is in the workflow` }
        : { subject: project, verdict: 'fail', detail: `status '${target}' is not in this project's workflows (it has: ${statuses.join(', ')})` },
    )
  }
  return checks
}
