import * as core from '@actions/core'
import { isWardenError } from '../core/errors.ts'
import { PROXY_UNSUPPORTED, type useProxyFromEnvironment } from '../adapters/http/use-proxy-from-environment.ts'
import { getActionSettings } from './action-settings.ts'
import { publishReport, singleLine, writeJobSummary } from './report.ts'
import { transitionForEvent } from './transition-for-event.ts'
import { readWorkflowContext } from './workflow-context.ts'

/** The action's one entry: the only place that fails the step. */
export async function run(network: ReturnType<typeof useProxyFromEnvironment> = 'direct'): Promise<void> {
  if (network === 'unsupported') core.warning(PROXY_UNSUPPORTED)
  try {
    const settings = getActionSettings()
    const report = await transitionForEvent(readWorkflowContext(), settings, {
      progress: (line) => core.info(singleLine(line)),
      maskSecret: (secret) => core.setSecret(secret),
      now: () => new Date(),
    })
    publishReport(report)
    await writeJobSummary(report)
    const failures = report.outcomes.filter((outcome) => outcome.result === 'failed').length
    if (failures > 0 && settings.failOnError) {
      core.setFailed(`${failures} issue(s) could not be moved to '${report.target}'; see the job summary. (Set fail-on-error: false to let the job pass anyway.)`)
    }
  } catch (error) {
    core.setFailed(singleLine(failureMessage(error)))
  }
}

function failureMessage(error: unknown): string {
  if (isWardenError(error)) return error.message
  // Unexpected errors are reported by kind only: their text could carry anything.
  return `jira-warden failed unexpectedly (${error instanceof Error ? error.name : typeof error}). Re-run with ACTIONS_STEP_DEBUG for details, and report it if it persists.`
}
