/**
 * Reading the field values a write carries (resolution, fix versions, a
 * comment body) the way Jira reads them: `fields` sets, `update` operates.
 * Each reader answers a value or the field error Jira would name.
 */
import { isAdfDocument } from './adf.ts'
import type { JiraProject } from './jira-state.ts'
import { RESOLUTIONS } from './jira-workflows.ts'

export type Read<T> = { value: T } | { error: string }

export const cannotBeSet = (field: string): string => `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`

export function readResolution(value: unknown): Read<string> {
  if (typeof value !== 'object' || value === null) return { error: "Could not find valid 'id' or 'name' in resolution object." }
  const wanted = value as { id?: unknown; name?: unknown }
  const found = RESOLUTIONS.find(
    (resolution) =>
      (wanted.id !== undefined && String(wanted.id) === resolution.id) ||
      (typeof wanted.name === 'string' && wanted.name.toLowerCase() === resolution.name.toLowerCase()),
  )
  // Unverified wording: Jira's exact sentence for an unknown resolution name was not found in public answers.
  return found ? { value: found.name } : { error: `Resolution '${String(wanted.name ?? wanted.id)}' is not valid.` }
}

/** The fix versions after `fields.fixVersions` (replace) or `update.fixVersions` (set/add/remove). */
export function readFixVersions(project: JiraProject, current: string[], fieldValue: unknown, operations: unknown): Read<string[]> {
  const names = new Set(current)
  const versionName = (reference: unknown): Read<string> => {
    const wanted = reference as { id?: unknown; name?: unknown } | null
    const version = project.versions.find(
      (candidate) => (wanted?.id !== undefined && String(wanted.id) === candidate.id) || wanted?.name === candidate.name,
    )
    // Unverified wording, modelled on Jira's "Version name 'x' is not valid" field error.
    return version ? { value: version.name } : { error: `Version name '${String(wanted?.name ?? wanted?.id)}' is not valid` }
  }
  const apply = (list: unknown, change: (name: string) => void): string | undefined => {
    for (const reference of Array.isArray(list) ? list : [list]) {
      const read = versionName(reference)
      if ('error' in read) return read.error
      change(read.value)
    }
    return undefined
  }
  if (fieldValue !== undefined) {
    names.clear()
    const error = apply(fieldValue, (name) => names.add(name))
    if (error) return { error }
  }
  for (const operation of Array.isArray(operations) ? operations : []) {
    const { set, add, remove } = operation as { set?: unknown; add?: unknown; remove?: unknown }
    if (set !== undefined) names.clear()
    const error =
      (set !== undefined ? apply(set, (name) => names.add(name)) : undefined) ??
      (add !== undefined ? apply(add, (name) => names.add(name)) : undefined) ??
      (remove !== undefined ? apply(remove, (name) => names.delete(name)) : undefined)
    if (error) return { error }
  }
  return { value: [...names] }
}

/** A comment body: ADF for REST v3, a wiki markup string for v2 and Data Center. */
export function readCommentBody(body: unknown, apiVersion: '2' | '3'): Read<unknown> {
  if (body === undefined || body === null || body === '') return { error: 'Comment body can not be empty!' }
  if (apiVersion === '3') {
    return isAdfDocument(body) ? { value: body } : { error: 'Operation value must be an Atlassian Document (see the Atlassian Document Format).' }
  }
  return typeof body === 'string' ? { value: body } : { error: 'Operation value must be a string' }
}

/** The comment bodies an `update.comment` list adds. */
export function commentsToAdd(operations: unknown, apiVersion: '2' | '3'): Read<unknown[]> {
  const bodies: unknown[] = []
  for (const operation of Array.isArray(operations) ? operations : [operations]) {
    const add = (operation as { add?: { body?: unknown } } | null)?.add
    if (!add) return { error: "Operation 'add' is the only one supported for comments here." }
    const read = readCommentBody(add.body, apiVersion)
    if ('error' in read) return read
    bodies.push(read.value)
  }
  return { value: bodies }
}
