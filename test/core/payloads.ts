/** Webhook payloads for the core tests: real ones from @octokit/webhooks-examples, derived ones from test/fixtures/events. */
import { readFileSync } from 'node:fs'

export { realPayload } from '../../sandbox/webhook-examples.ts'

/** A fixture derived from a real example (see test/fixtures/events/README.md). */
export function derivedPayload(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${file}`, import.meta.url), 'utf8')) as Record<string, unknown>
}
