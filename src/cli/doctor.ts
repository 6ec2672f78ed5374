import type { WardenConfig } from '../core/config.ts'
import { ConfigurationError } from '../core/errors.ts'
import { verifyAccess, type CheckVerdict } from '../jobs/verify-access.ts'
import type { JiraPort } from '../ports/jira.ts'

const MARK: Record<CheckVerdict, string> = { ok: '✓', warn: '!', fail: '✗' }

/** Prints a verdict per check; exits 1 when the credential could not do the configured work. */
export async function runDoctor(
  jira: JiraPort,
  config: WardenConfig,
  projectsFromArguments: string[] | undefined,
  print: (line: string) => void,
): Promise<number> {
  const projects = projectsFromArguments ?? config.projects
  if (!projects || projects.length === 0) {
    throw new ConfigurationError('doctor needs the projects to check: set projects: in the config or pass --project KEY.')
  }
  const targetStatuses = [...new Set((config.transitions ?? []).map((rule) => rule.to))]
  const report = await verifyAccess(jira, { projects, targetStatuses, comments: Boolean(config.comment) })
  print(`jira-warden doctor · ${jira.flavour} · ${projects.join(', ')}`)
  for (const check of report.checks) print(`  ${MARK[check.verdict]} ${check.subject}: ${check.detail}`)
  const warnings = report.checks.filter((check) => check.verdict === 'warn').length
  print(
    report.usable
      ? `Verdict: ready${warnings > 0 ? `, with ${warnings} warning(s)` : ''}.`
      : 'Verdict: not ready. Fix the ✗ lines above and run doctor again.',
  )
  return report.usable ? 0 : 1
}
