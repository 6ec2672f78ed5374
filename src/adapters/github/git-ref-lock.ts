/**
 * One rotation per target: creating a git ref is atomic (GitHub answers 422
 * when it exists), so `refs/jira-warden/lock/<target>` is the lock. The
 * holder (rotation id, since) is noted in a repository variable beside it,
 * which is how a loser names the holder and how a lock left by a dead run
 * is recognised as stale and broken.
 */
import { WardenError } from '../../core/errors.ts'
import type { LockAttempt, LockHolder, RotationLock } from '../../ports/rotation.ts'
import { githubFailure } from './actions-secret-store.ts'
import { statusOf, type GitHubClient, type RepositoryRef } from './github-client.ts'
import { repositoryVariable } from './repository-variable.ts'

export interface GitRefLockOptions {
  /** Names the lock, e.g. `repo/JIRA_PAT` or `environment/production/JIRA_PAT`. */
  target: string
  /** An existing commit for the ref to point at (GITHUB_SHA); the default branch's head when absent. */
  sha?: string
  /** A lock older than this is taken to belong to a dead run. */
  staleAfterMs: number
  /** How long a live winner may take to note itself after creating the ref: longer than the write interval, since its writes are paced. Default 2 s. */
  noteWithinMs?: number
  now: () => Date
}

export const LOCK_HOLDER_VARIABLE = 'JIRA_WARDEN_LOCK'

export function lockRefName(target: string): string {
  return `refs/jira-warden/lock/${target.replace(/[^A-Za-z0-9._/-]/g, '-').replace(/\/+/g, '/').replace(/^\/|\/$/g, '')}`
}

export function createGitRefLock(github: GitHubClient, repository: RepositoryRef, options: GitRefLockOptions): RotationLock {
  const ref = lockRefName(options.target)
  const note = repositoryVariable(github, repository, LOCK_HOLDER_VARIABLE)
  const readHolder = async (): Promise<LockHolder | undefined> => {
    const text = await note.read()
    try {
      const parsed = JSON.parse(text ?? '') as Partial<LockHolder & { ref: string }>
      if (parsed.ref === ref && typeof parsed.rotationId === 'string' && typeof parsed.since === 'string') return { rotationId: parsed.rotationId, since: parsed.since }
    } catch {
      // No note, or not ours: the holder is unknown.
    }
    return undefined
  }
  // The winner notes itself right after creating the ref: a loser gives it a moment to do so.
  const readHolderPatiently = async (): Promise<LockHolder | undefined> => {
    for (let attempt = 0; ; attempt += 1) {
      const holder = await readHolder()
      if (holder || attempt >= 10) return holder
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  // A stale note may be a dead holder's, or one a new holder is about to overwrite: only one that stays is stale.
  const stillNoted = async (holder: LockHolder): Promise<boolean> => {
    await new Promise((resolve) => setTimeout(resolve, options.noteWithinMs ?? 2_000))
    const again = await readHolder()
    return again?.rotationId === holder.rotationId && again.since === holder.since
  }
  // A lock nobody can name would never go stale: without its note, the ref is given back.
  const noteOrUndo = async (holder: LockHolder): Promise<void> => {
    try {
      // Each release deletes the note: creating it is one request, where an update would first fail on 404.
      await note.write(JSON.stringify({ ref, ...holder }), { expectAbsent: true })
    } catch (error) {
      await deleteRef(github, repository, ref).catch(() => undefined)
      throw error
    }
  }
  const create = async (): Promise<boolean> => {
    const sha = options.sha ?? (await defaultBranchHead(github, repository))
    try {
      await github.rest.git.createRef({ ...repository, ref, sha })
      return true
    } catch (error) {
      if (statusOf(error) === 422 && /already exists/i.test(messageOf(error))) return false
      throw githubFailure(error, `create the lock ${ref} (the token needs Contents: write)`)
    }
  }
  return {
    async acquire(holder): Promise<LockAttempt> {
      if (await create()) {
        await noteOrUndo(holder)
        return { acquired: true }
      }
      const current = await readHolderPatiently()
      if (current && options.now().getTime() - Date.parse(current.since) > options.staleAfterMs && (await stillNoted(current))) {
        await deleteRef(github, repository, ref)
        if (await create()) {
          await noteOrUndo(holder)
          return { acquired: true }
        }
        return { acquired: false, holder: (await readHolder()) ?? unknownHolder() }
      }
      return { acquired: false, holder: current ?? unknownHolder() }
    },
    async release(holder) {
      const current = await readHolder()
      if (current && current.rotationId !== holder.rotationId) return
      // The ref goes first: if deleting it fails, the note still names the holder and ages into a stale lock.
      await deleteRef(github, repository, ref)
      if (current) await note.remove()
    },
  }
}

function unknownHolder(): LockHolder {
  return { rotationId: 'unknown (a run that has not noted its id yet)', since: 'unknown' }
}

async function deleteRef(github: GitHubClient, repository: RepositoryRef, ref: string): Promise<void> {
  try {
    await github.rest.git.deleteRef({ ...repository, ref: ref.replace(/^refs\//, '') })
  } catch (error) {
    const status = statusOf(error)
    if (status === 404 || (status === 422 && /does not exist/i.test(messageOf(error)))) return
    throw githubFailure(error, `delete the lock ${ref}`)
  }
}

async function defaultBranchHead(github: GitHubClient, repository: RepositoryRef): Promise<string> {
  try {
    const repo = await github.rest.repos.get({ ...repository })
    const head = await github.rest.git.getRef({ ...repository, ref: `heads/${repo.data.default_branch}` })
    return head.data.object.sha
  } catch (error) {
    if (error instanceof WardenError) throw error
    throw githubFailure(error, 'read the default branch (to point the lock at)')
  }
}

function messageOf(error: unknown): string {
  const data = (error as { response?: { data?: { message?: unknown } } } | null)?.response?.data
  const message = typeof data?.message === 'string' ? data.message : ''
  return `${message} ${error instanceof Error ? error.message : ''}`
}
