// Fault injection at every external call of a rotation (502, dropped connection, timeout) and a kill after every step,
// each followed by normal runs: the invariants hold in every case. The table of cases and results is printed at the end.
import { afterAll, describe, expect, test } from 'vitest'
import { callsOfOneRotation, FAULT_KINDS, runCrashCase, runFaultCase, type CaseResult } from './support/fault-cases.ts'
import type { WorldOptions } from './support/rotation-world.ts'

const rows: string[] = []
const row = (label: string, trouble: string, result: CaseResult) =>
  rows.push(`${label.padEnd(20)} ${trouble.padEnd(72)} ${result.firstRun.padEnd(24)} ${String(result.repairRuns).padStart(2)} ${result.problems.length === 0 ? 'invariants hold' : `VIOLATED: ${result.problems.join('; ')}`}`)

afterAll(() => {
  console.log(['', 'rotate action: fault and crash cases (provider, trouble, first run, normal runs after it, result)', ...rows.sort(), `${rows.length} cases`].join('\n'))
})

const DC: WorldOptions = { provider: 'dc-pat' }
const calls = await callsOfOneRotation(DC)

describe.concurrent('dc-pat: a fault at every external call of a rotation, then normal runs', () => {
  test('the rotation makes the calls expected of it', () => {
    expect(calls.length).toBeGreaterThan(25)
    expect(calls.map((call) => `${call.method} ${call.route}`)).toEqual(expect.arrayContaining(['POST /rest/pat/latest/tokens', 'PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}', 'POST /repos/{owner}/{repo}/git/refs']))
  })

  test.each(calls.flatMap((call, index) => FAULT_KINDS.map((kind) => ({ call, kind, index }))))(
    'call #$index $call.method $call.route → $kind.label',
    async ({ call, kind, index }) => {
      const result = await runFaultCase(DC, call, kind)
      row('dc-pat', `#${String(index).padStart(2, '0')} ${call.host} ${call.method} ${call.route} → ${kind.label}`, result)
      expect(result.problems).toEqual([])
    },
    60_000,
  )
})

const CLOUD: WorldOptions = { provider: 'cloud-api-token', adminKey: true }
// The GitHub calls a promotion shares with a dc-pat rotation are covered above; its Jira calls and its own GitHub calls are not.
const signature = (call: { host: string; method?: string; route: string }) => `${call.host} ${call.method} ${call.route}`
const dcSignatures = new Set(calls.map(signature))
const cloudCalls = (await callsOfOneRotation(CLOUD)).map((call, index) => ({ ...call, index })).filter((call) => call.host === 'jira' || !dcSignatures.has(signature(call)))

describe.concurrent('cloud-api-token: a fault at every external call of a promotion, then normal runs', () => {
  test.each(cloudCalls.flatMap((call) => FAULT_KINDS.map((kind) => ({ call, kind, index: call.index }))))(
    'call #$index $call.method $call.route → $kind.label',
    async ({ call, kind, index }) => {
      const result = await runFaultCase(CLOUD, call, kind)
      row('cloud-api-token', `#${String(index).padStart(2, '0')} ${call.host} ${call.method} ${call.route} → ${kind.label}`, result)
      expect(result.problems).toEqual([])
    },
    60_000,
  )
})

describe.concurrent('a kill between every two steps, then normal runs', () => {
  const cases: Array<{ label: string; options: WorldOptions; during: 'rotate' | 'finish'; steps: number }> = [
    { label: 'dc-pat', options: DC, during: 'rotate', steps: 11 },
    { label: 'dc-pat', options: DC, during: 'finish', steps: 3 },
    { label: 'cloud-api-token', options: CLOUD, during: 'rotate', steps: 13 },
  ]
  test.each(cases.flatMap((entry) => Array.from({ length: entry.steps }, (_, step) => ({ ...entry, step: step + 1 }))))(
    '$label: killed after step $step of $during',
    async ({ label, options, during, step }) => {
      const result = await runCrashCase(options, step, during)
      row(label, `kill after step ${String(step).padStart(2, '0')} of ${during}`, result)
      expect(result.problems).toEqual([])
    },
    60_000,
  )
})
