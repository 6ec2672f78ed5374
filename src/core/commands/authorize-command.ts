/**
 * Who may run a command, decided from the live repository permission read
 * at execution time (never the comment's author_association, which is
 * frozen when the comment is written and says nothing of admin rights).
 */
import type { CommandAudience } from './command-registry.ts'

/** The `permission` field of GET /repos/{o}/{r}/collaborators/{user}/permission (maintain reads as write, triage as read). */
export type RepositoryPermission = 'admin' | 'write' | 'read' | 'none'

export type CommandAuthorization = { allowed: true } | { allowed: false; reason: string }

export function authorizeCommand(
  command: { name: string; who: CommandAudience; changesState: boolean },
  permission: RepositoryPermission,
  openToWrite: readonly string[],
): CommandAuthorization {
  if (permission === 'admin') return { allowed: true }
  const opened = !command.changesState && command.who === 'write-if-configured' && openToWrite.includes(command.name)
  if (opened && permission === 'write') return { allowed: true }
  const needed = opened ? 'write or admin' : 'admin'
  return { allowed: false, reason: `/warden ${command.name} needs ${needed} permission on this repository; the requester has ${permission}` }
}

/** Reads the API's permission field; anything unexpected counts as none. */
export function repositoryPermissionOf(value: unknown): RepositoryPermission {
  return value === 'admin' || value === 'write' || value === 'read' ? value : 'none'
}
