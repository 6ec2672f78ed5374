import type { WardenEvent } from './event.ts'
import type { KeySource, KeySourceText } from './issue-keys.ts'

/**
 * The texts of an event that the configured sources name, as the payload
 * carries them. Commits come from the payload when it lists them (push);
 * a pull request's commits are not in its payload and are read by the host.
 */
export function eventKeyTexts(event: WardenEvent, sources: readonly KeySource[]): KeySourceText[] {
  const texts: KeySourceText[] = []
  for (const source of sources) {
    if (source === 'title' && event.title !== undefined) texts.push({ source, text: event.title })
    if (source === 'body' && event.body !== undefined) texts.push({ source, text: event.body })
    const branch = event.headBranch ?? event.branch
    if (source === 'branch' && branch !== undefined) texts.push({ source, text: branch })
    if (source === 'commits') texts.push(...(event.commits ?? []).map((text) => ({ source, text })))
  }
  return texts
}
