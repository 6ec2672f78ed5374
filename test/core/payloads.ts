/** Webhook payloads for the core tests: real ones from @octokit/webhooks-examples, derived ones from test/fixtures/events. */
import { readFileSync } from 'node:fs'

interface ExampleSet {
  name: string
  examples: unknown[]
}

const examples = JSON.parse(
  readFileSync(new URL('../../node_modules/@octokit/webhooks-examples/api.github.com/index.json', import.meta.url), 'utf8'),
) as ExampleSet[]

/** A deep copy of examples[index] of the named event, as GitHub documents it. */
export function realPayload(eventName: string, index: number): Record<string, unknown> {
  const found = examples.find((set) => set.name === eventName)?.examples[index]
  if (found === undefined) throw new Error(`no example ${eventName}[${index}] in @octokit/webhooks-examples`)
  return structuredClone(found) as Record<string, unknown>
}

/** A fixture derived from a real example (see test/fixtures/events/README.md). */
export function derivedPayload(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${file}`, import.meta.url), 'utf8')) as Record<string, unknown>
}
