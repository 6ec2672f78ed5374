// The docs' examples are code too: every config in them parses, every workflow step names only real inputs.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { parseConfig } from '../../src/core/config.ts'

const root = new URL('../../', import.meta.url)
const read = (path: string) => readFileSync(new URL(path, root), 'utf8')

function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((match) => match[1] ?? '')
}

interface Step {
  uses?: string
  with?: Record<string, unknown>
}

function stepsOf(workflow: unknown): Step[] {
  const jobs = (workflow as { jobs?: Record<string, { steps?: Step[] }> }).jobs ?? {}
  return Object.values(jobs).flatMap((job) => job.steps ?? [])
}

function inputsOf(actionFile: string): string[] {
  return Object.keys((parse(read(actionFile)) as { inputs: Record<string, unknown> }).inputs)
}

describe('README', () => {
  const blocks = yamlBlocks(read('README.md'))

  it('its config examples parse with the schema the action uses', () => {
    const configs = blocks.filter((block) => /^transitions:|^jira:/m.test(block) && !/^jobs:/m.test(block))
    expect(configs.length).toBeGreaterThan(0)
    for (const config of configs) expect(() => parseConfig(config, 'README.md')).not.toThrow()
  })

  it('its workflows give the action only inputs action.yml declares', () => {
    const known = { 'jira-warden/jira-warden@v1': inputsOf('action.yml'), './': inputsOf('action.yml') }
    const steps = blocks.filter((block) => /^jobs:/m.test(block)).flatMap((block) => stepsOf(parse(block)))
    const ours = steps.filter((step) => step.uses === 'jira-warden/jira-warden@v1')
    expect(ours.length).toBeGreaterThan(1)
    for (const step of ours) expect(known['jira-warden/jira-warden@v1']).toEqual(expect.arrayContaining(Object.keys(step.with ?? {})))
  })
})

it('the example config in .github parses', () => {
  expect(parseConfig(read('.github/jira-warden.example.yml'), '.github/jira-warden.example.yml').transitions).toHaveLength(5)
})

it('the sandbox workflow runs the action from this checkout with real inputs', () => {
  const steps = stepsOf(parse(read('.github/workflows/sandbox.yml'))).filter((step) => step.uses === './')
  expect(steps).toHaveLength(1)
  expect(inputsOf('action.yml')).toEqual(expect.arrayContaining(Object.keys(steps[0]?.with ?? {})))
})
