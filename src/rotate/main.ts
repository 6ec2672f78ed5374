import { randomBytes } from 'node:crypto'
import * as core from '@actions/core'
import { isWardenError } from '../core/errors.ts'
import { rotateCredential, type RotationReport } from '../jobs/rotate-credential.ts'
import { readWorkflowContext } from '../action/workflow-context.ts'
import { connectRotation } from './connect-rotation.ts'
import { getRotateSettings } from './rotate-settings.ts'
import { publishRotationOutputs, singleLine, writeRotationSummary } from './rotation-summary.ts'
import { stagingInstructions } from './staging-instructions.ts'

/** The rotate action's one entry: the only place that fails the step. */
export async function run(): Promise<void> {
  try {
    const report = await rotate()
    publishRotationOutputs(report)
    await writeRotationSummary(report, new Date())
    if (report.outcome === 'failed') core.setFailed(singleLine(`The rotation did not complete: ${report.problems.join(' ')}`))
  } catch (error) {
    core.setFailed(singleLine(failureMessage(error)))
  }
}

/** The runner cancels with SIGINT (then SIGTERM): finish the step in hand, then stop and give the lock back. */
function cancellation(): AbortSignal {
  const controller = new AbortController()
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      core.warning(`Received ${signal}: stopping after the current step.`)
      controller.abort()
    })
  }
  return controller.signal
}

async function rotate(): Promise<RotationReport> {
  const workflow = readWorkflowContext()
  const settings = getRotateSettings(workflow.workspace)
  const now = () => new Date()
  const repository = `${workflow.repository.owner}/${workflow.repository.repo}`
  return rotateCredential(
    {
      command: settings.command,
      policy: settings.policy,
      target: { provider: settings.provider, secret: settings.secretName, scope: settings.scopeText },
      secretName: settings.secretName,
      stagingSecretName: settings.stagingSecretName,
      currentCredential: settings.currentCredential,
      stagedCredential: settings.stagedCredential,
      auditOrigin: { actor: workflow.runUrl, run: workflow.runUrl, workflow: workflow.workflow, ref: workflow.ref, repository },
      stagingInstructions: stagingInstructions(settings, repository),
      now,
      randomHex: () => randomBytes(3).toString('hex'),
      maskSecret: (value) => core.setSecret(value),
      progress: (line) => core.info(singleLine(line)),
      cancelled: cancellation(),
    },
    connectRotation(settings, workflow, now),
  )
}

function failureMessage(error: unknown): string {
  if (isWardenError(error)) return error.message
  // Unexpected errors are reported by kind only: their text could carry anything.
  return `jira-warden rotation failed unexpectedly (${error instanceof Error ? error.name : typeof error}). Re-run with ACTIONS_STEP_DEBUG for details, and report it if it persists.`
}

