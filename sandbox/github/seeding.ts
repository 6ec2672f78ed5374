/**
 * How the handle puts things into the sandbox's state directly: pull
 * requests with their commits, secrets as a PUT would store them, workflow
 * files; and how it finds them again (runs by id, refs by short name).
 */
import { checkRunName, vaultKey, type OrgSecretRecord, type OrgSecretVisibility, type SecretRecord, type SecretVault, type WorkflowRunRecord } from './actions-records.ts'
import type { SandboxPullRequest, SandboxWorkflowOptions } from './handle-types.ts'
import { describeScope, vaultOf, type SecretScope } from './scopes.ts'
import type { SecretKeyPair } from './secret-box.ts'
import { fakeSha, type CommitRecord, type GitHubState, type RepositoryRecord } from './state.ts'

export function seedPullRequest(state: GitHubState, repository: RepositoryRecord, pr: SandboxPullRequest): void {
  const seed = `${repository.owner.login}/${repository.name}#${pr.number}`
  const baseSha = fakeSha(`${seed}:base`)
  const start = state.now().getTime() - pr.commits.length * 60_000
  const commits: CommitRecord[] = []
  pr.commits.forEach((commit, index) => {
    const sha = commit.sha ?? fakeSha(`${seed}:${index}:${commit.message}`)
    const author = commit.author ? state.actor(commit.author) : undefined
    commits.push({
      sha,
      treeSha: fakeSha(`${sha}:tree`),
      message: commit.message,
      authorLogin: author?.login,
      authorName: author?.login ?? 'Sandbox Developer',
      authorEmail: author ? `${author.id}+${author.login}@users.noreply.github.com` : 'developer@example.com',
      date: new Date(start + index * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      parentSha: commits[index - 1]?.sha ?? baseSha,
    })
  })
  const head = pr.head ?? `feature/${pr.number}`
  // The head branch exists as a ref too (dispatches and ref lookups can name it).
  if (!repository.refs.has(`refs/heads/${head}`)) repository.refs.set(`refs/heads/${head}`, commits.at(-1)?.sha ?? baseSha)
  state.createIssue(repository, {
    number: pr.number,
    title: pr.title ?? `Pull request #${pr.number}`,
    body: pr.body ?? null,
    labels: [],
    user: state.actor(pr.user ?? 'octocat'),
    authorAssociation: 'CONTRIBUTOR',
    pullRequest: { number: pr.number, head, base: pr.base ?? repository.defaultBranch, baseSha, commits },
  })
}

export function seedSecret(
  state: GitHubState,
  scope: SecretScope,
  name: string,
  value: string,
  options: { visibility?: OrgSecretVisibility; selectedRepositories?: string[] },
): void {
  const key = name.toUpperCase()
  const now = state.timestamp()
  if ('org' in scope) {
    const vault = vaultOf(state, scope) as SecretVault<OrgSecretRecord>
    const existing = vault.secrets.get(key)
    const visibility = options.visibility ?? existing?.visibility ?? 'all'
    const selectedRepositoryIds = (options.selectedRepositories ?? []).map((fullName) => state.repository(fullName).id)
    vault.secrets.set(key, { name: key, value, createdAt: existing?.createdAt ?? now, updatedAt: now, visibility, selectedRepositoryIds })
    return
  }
  if (options.visibility || options.selectedRepositories) throw new Error(`GitHub sandbox: visibility applies to organization secrets, not to ${describeScope(scope)}`)
  const vault = vaultOf(state, scope) as SecretVault<SecretRecord>
  const existing = vault.secrets.get(key)
  vault.secrets.set(key, { name: key, value, createdAt: existing?.createdAt ?? now, updatedAt: now })
}

export function seedWorkflow(state: GitHubState, repository: RepositoryRecord, file: string, options: SandboxWorkflowOptions): number {
  if (repository.workflows.has(file)) throw new Error(`GitHub sandbox: ${repository.owner.login}/${repository.name} already has workflow ${file}`)
  if (options.runName !== undefined) checkRunName(options.runName)
  const id = state.nextId('workflow')
  repository.workflows.set(file, {
    id,
    file,
    name: options.name ?? file.replace(/\.ya?ml$/, ''),
    inputs: options.inputs ?? {},
    permissions: options.permissions ?? { contents: 'read' },
    runName: options.runName,
    createdAt: state.timestamp(),
  })
  return id
}

export function findRun(state: GitHubState, runId: number): { repository: RepositoryRecord; run: WorkflowRunRecord } {
  for (const repository of state.repositories.values()) {
    const run = repository.runs.get(runId)
    if (run) return { repository, run }
  }
  throw new Error(`GitHub sandbox: no workflow run ${runId}`)
}

export function qualifiedRef(ref: string): string {
  return ref.startsWith('refs/') ? ref : `refs/${ref}`
}

export function vaultKeyOf(state: GitHubState, scope: SecretScope): SecretKeyPair {
  return vaultKey(vaultOf(state, scope) as SecretVault<SecretRecord>)
}
