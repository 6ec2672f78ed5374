/**
 * Who holds the rotation lock, as the rotate action notes it beside the
 * lock ref (docs/rotation.md, "Locking"). Read only: the app never takes
 * the lock, since it never rotates itself.
 */
import { LOCK_HOLDER_VARIABLE } from '../../adapters/github/git-ref-lock.ts'
import type { GitHubClient, RepositoryRef } from '../../adapters/github/github-client.ts'

/** docs/rotation.md: a lock older than 30 minutes belongs to a dead run and is broken by the next one. */
export const LOCK_STALE_AFTER_MS = 30 * 60_000

export interface LockNote {
  ref: string
  rotationId: string
  since: string
}

/** The rotation lock's holder, as the rotate action notes it beside the lock ref; undefined when none is noted. */
export async function lockHolder(github: GitHubClient, repository: RepositoryRef): Promise<LockNote | undefined> {
  try {
    const text = (await github.rest.actions.getRepoVariable({ ...repository, name: LOCK_HOLDER_VARIABLE })).data.value
    const note = JSON.parse(text) as Partial<LockNote>
    if (typeof note.ref === 'string' && typeof note.rotationId === 'string' && typeof note.since === 'string') return { ref: note.ref, rotationId: note.rotationId, since: note.since }
  } catch {
    // No note (404) or not one of ours: no lock is known to be held.
  }
  return undefined
}

/** A holder that is not stale: a run is rotating right now. */
export function isLive(lock: LockNote | undefined, now: Date): lock is LockNote {
  return lock !== undefined && now.getTime() - Date.parse(lock.since) < LOCK_STALE_AFTER_MS
}
