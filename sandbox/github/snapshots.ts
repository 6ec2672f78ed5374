/** Copies of state records as the handle gives them to tests. */
import type { OrgSecretRecord, SecretRecord, WorkflowRunRecord } from './actions-records.ts'
import type { SandboxIssue, SandboxSecret, SandboxWorkflowRun } from './handle-types.ts'
import { findRepositoryById, fullNameOf, labelsOf, type GitHubState, type IssueRecord, type RepositoryRecord } from './state.ts'
import type { WorkflowRunner } from './workflow-runner.ts'

export function issueSnapshot(repository: RepositoryRecord, issue: IssueRecord): SandboxIssue {
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    stateReason: issue.stateReason,
    labels: labelsOf(repository, issue).map((label) => label.name),
    locked: issue.locked,
    ...(issue.lockReason ? { lockReason: issue.lockReason } : {}),
    comments: issue.commentIds.flatMap((id) => {
      const comment = repository.comments.get(id)
      return comment ? [{ id: comment.id, body: comment.body, user: comment.user.login, createdAt: comment.createdAt, updatedAt: comment.updatedAt }] : []
    }),
    user: issue.user.login,
    pullRequest: issue.pullRequest !== undefined,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
  }
}

export function secretSnapshot(state: GitHubState, record: SecretRecord | OrgSecretRecord): SandboxSecret {
  const snapshot: SandboxSecret = { name: record.name, createdAt: record.createdAt, updatedAt: record.updatedAt }
  if ('visibility' in record) {
    snapshot.visibility = record.visibility
    if (record.visibility === 'selected') {
      snapshot.selectedRepositories = record.selectedRepositoryIds.flatMap((id) => {
        const repository = findRepositoryById(state, id)
        return repository ? [fullNameOf(repository)] : []
      })
    }
  }
  return snapshot
}

export function runSnapshot(runner: WorkflowRunner, repository: RepositoryRecord, run: WorkflowRunRecord): SandboxWorkflowRun {
  const failure = runner.failureOf(run.id)
  return {
    id: run.id,
    runNumber: run.runNumber,
    repository: fullNameOf(repository),
    workflow: run.workflow.file,
    status: run.status,
    conclusion: run.conclusion,
    ref: run.headBranch,
    sha: run.headSha,
    inputs: { ...run.inputs },
    displayTitle: run.displayTitle,
    actor: run.actor.login,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    ...(failure !== undefined ? { failure } : {}),
  }
}
