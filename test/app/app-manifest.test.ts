/** app.yml asks for what the handlers use and no more, and docs/app.md says why for each permission. */
import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { parse } from 'yaml'

const manifest = parse(readFileSync(new URL('../../app.yml', import.meta.url), 'utf8')) as {
  default_events: string[]
  default_permissions: Record<string, string>
  public: boolean
}
const docs = readFileSync(new URL('../../docs/app.md', import.meta.url), 'utf8')
const handlers = readFileSync(new URL('../../src/app/create-app.ts', import.meta.url), 'utf8')

test('the app subscribes to exactly the events its handlers listen to', () => {
  const handled = [...handlers.matchAll(/app\.on\('([a-z_]+)\.[a-z_]+'/g)].map((match) => match[1])
  expect(new Set(manifest.default_events)).toEqual(new Set(handled))
})

test('permissions: the least set, each explained in the docs', () => {
  expect(manifest.default_permissions).toEqual({
    metadata: 'read',
    issues: 'write',
    pull_requests: 'write',
    contents: 'write',
    actions: 'write',
    actions_variables: 'write',
    secrets: 'write',
  })
  for (const [permission, level] of Object.entries(manifest.default_permissions)) {
    expect(docs).toMatch(new RegExp(`\\| ${permission} \\| ${level} \\| .+ \\|`))
  }
  expect(manifest.public).toBe(false)
})
