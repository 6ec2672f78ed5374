/** The rotation's ports, wired from the settings and the workflow's context. */
import * as core from '@actions/core'
import { createActionsSecretStore } from '../adapters/github/actions-secret-store.ts'
import { createAuditTrail } from '../adapters/github/audit-trail.ts'
import { createCredentialRequestIssue } from '../adapters/github/credential-request-issue.ts'
import { createGitRefLock } from '../adapters/github/git-ref-lock.ts'
import { createVariableStateStore } from '../adapters/github/repository-variable.ts'
import { createRotationGitHubClient, DEFAULT_WRITE_INTERVAL_MS } from '../adapters/github/rotation-github-client.ts'
import { isLoopbackHost } from '../adapters/jira/jira-url.ts'
import { createCredentialProvider } from '../adapters/providers/create-credential-provider.ts'
import { accessRequirementsOf } from '../adapters/providers/provider-settings.ts'
import type { RotationPorts } from '../jobs/perform-rotation-effect.ts'
import type { RotationLock } from '../ports/rotation.ts'
import type { WorkflowContext } from '../action/workflow-context.ts'
import type { RotateSettings } from './rotate-settings.ts'

/** A lock older than this belongs to a dead run: far longer than a rotation takes. */
const STALE_LOCK_MS = 30 * 60_000
/** A rotation with revocations makes about 15 writes: at a slow pace, a live run holds the lock about that many intervals. */
const WRITES_OF_A_LONG_RUN = 15

export function connectRotation(settings: RotateSettings, workflow: WorkflowContext, now: () => Date): RotationPorts & { lock: RotationLock } {
  // A loopback API is the sandbox: quick retries, and no write spacing unless the write-interval input asks for it.
  const loopback = isLoopbackHost(new URL(workflow.apiUrl).hostname)
  const chosenInterval = settings.writeIntervalMs ?? (loopback ? 0 : undefined)
  const writeIntervalMs = chosenInterval ?? DEFAULT_WRITE_INTERVAL_MS
  const github = createRotationGitHubClient(settings.githubToken, workflow.apiUrl, {
    onWait: (message) => core.info(message),
    ...(chosenInterval !== undefined ? { writeIntervalMs: chosenInterval } : {}),
    ...(loopback ? { retryBaseMs: 50, timeoutMs: 2_000 } : {}),
  })
  if (writeIntervalMs > 0) core.info(`content-creating GitHub requests are spaced ${writeIntervalMs / 1000} s apart (write-interval)`)
  const repository = workflow.repository
  const provider = createCredentialProvider({
    provider: settings.provider,
    jiraUrl: settings.jiraUrl,
    requirements: accessRequirementsOf(settings.config),
    ...(settings.currentCredential ? { currentCredential: settings.currentCredential } : {}),
    ...(settings.email ? { email: settings.email } : {}),
    ...(settings.clientId ? { clientId: settings.clientId } : {}),
    ...(settings.adminKey ? { adminKey: settings.adminKey } : {}),
    ...(settings.orgId ? { orgId: settings.orgId } : {}),
    ...(loopback ? { timeoutMs: 2_000, retry: { attempts: 3, maxWaitMs: 1_000, baseDelayMs: 50 } } : {}),
    onSecret: (secret) => core.setSecret(secret),
  })
  return {
    provider,
    secrets: createActionsSecretStore(github, repository, settings.scope),
    state: createVariableStateStore(github, repository),
    audit: createAuditTrail(github, repository),
    requests: createCredentialRequestIssue(github, repository),
    lock: createGitRefLock(github, repository, {
      target: `${settings.scopeText.replace(':', '/')}/${settings.secretName}`,
      ...(process.env.GITHUB_SHA ? { sha: process.env.GITHUB_SHA } : {}),
      staleAfterMs: Math.max(STALE_LOCK_MS, WRITES_OF_A_LONG_RUN * 2 * writeIntervalMs),
      // A run breaking a stale lock notes itself three paced writes later (delete ref, create ref, note): wait longer than that.
      noteWithinMs: 3 * writeIntervalMs + 2_000,
      now,
    }),
  }
}
