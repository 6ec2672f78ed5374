// The rotate action's interface: what rotate/action.yml declares is what the code reads and the docs use, and the bundles hold what they should.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const root = new URL('../../', import.meta.url)
const read = (path: string) => readFileSync(new URL(path, root), 'utf8')
const action = parse(read('rotate/action.yml')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown>; runs: { using: string; main: string } }
const declared = Object.keys(action.inputs)

describe('rotate/action.yml', () => {
  it('declares the inputs and outputs DESIGN.md names, on node24, with main relative to its own directory', () => {
    expect(declared).toEqual(
      expect.arrayContaining(['github-token', 'jira-url', 'provider', 'current-credential', 'next-credential', 'jira-email', 'secret-name', 'secret-scope', 'expiration-days', 'grace', 'command', 'dry-run']),
    )
    expect(Object.keys(action.outputs).sort()).toEqual(['fingerprint', 'previous-fingerprint', 'rotated', 'state'])
    expect(action.runs).toEqual({ using: 'node24', main: '../dist/rotate/index.js' })
  })

  it('declares every input the code reads, and the code reads every declared input', () => {
    const source = read('src/rotate/rotate-settings.ts')
    const read_ = new Set([...source.matchAll(/(?:optional|required|flag)\('([a-z-]+)'/g)].map((match) => match[1]))
    for (const list of source.matchAll(/\[((?:'[a-z-]+',? ?)+)\]\.map\(optional\)/g)) for (const input of (list[1] ?? '').matchAll(/'([a-z-]+)'/g)) read_.add(input[1])
    expect([...read_].sort()).toEqual([...declared].sort())
  })

  it('docs/rotation.md workflows give the rotate action only declared inputs', () => {
    const blocks = [...read('docs/rotation.md').matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((match) => match[1] ?? '')
    const steps = blocks.flatMap((block) => {
      const parsed = parse(block) as unknown
      const list = Array.isArray(parsed) ? parsed : Object.values((parsed as { jobs?: Record<string, { steps?: unknown[] }> }).jobs ?? {}).flatMap((job) => job.steps ?? [])
      return list as Array<{ uses?: string; with?: Record<string, unknown> }>
    })
    const ours = steps.filter((step) => step.uses === 'jira-warden/jira-warden/rotate@v1')
    expect(ours.length).toBeGreaterThanOrEqual(3)
    for (const step of ours) expect(declared).toEqual(expect.arrayContaining(Object.keys(step.with ?? {})))
  })
})

describe('bundles', () => {
  it('the transition action carries no libsodium; the rotate action does', () => {
    expect(read('dist/index.js')).not.toMatch(/crypto_box_seal/)
    expect(read('dist/rotate/index.js')).toMatch(/crypto_box_seal/)
  })
})
