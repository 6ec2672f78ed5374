import { describe, expect, test } from 'vitest'
import type { AuditEntry } from '../../src/core/audit-entry.ts'
import { globMatches, summarizeAudit, type AnomalyKind } from '../../src/core/audit-summary.ts'

const REPO = 'acme/shop'
const OLD = 'aaaaaaaaaaaa'
const CURRENT = 'bbbbbbbbbbbb'
const STRANGER = 'cccccccccccc'

function used(time: string, fingerprint: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    v: 1,
    time,
    actor: `https://github.com/${REPO}/actions/runs/1`,
    event: 'credential.used',
    fingerprint,
    issues: ['PROJ-1'],
    outcome: '1 transitioned',
    run: `https://github.com/${REPO}/actions/runs/1`,
    workflow: `${REPO}/.github/workflows/jira.yml@refs/heads/main`,
    ref: 'refs/heads/main',
    repository: REPO,
    ...extra,
  }
}

const rotated: AuditEntry = { v: 1, time: '2026-03-10T00:00:00Z', actor: 'admin', event: 'rotation.completed', fingerprint: CURRENT, outcome: 'rotated' }
const revokedOld: AuditEntry = { v: 1, time: '2026-03-11T00:00:00Z', actor: 'admin', event: 'credential.revoked', fingerprint: OLD, outcome: 'revoked' }

describe('summarizeAudit: usage since the last rotation', () => {
  test('counts runs, workflows, refs and issues per fingerprint, only after the last rotation', () => {
    const summary = summarizeAudit(
      [
        used('2026-03-01T00:00:00Z', OLD),
        rotated,
        used('2026-03-10T01:00:00Z', OLD, { issues: ['PROJ-1', 'PROJ-2'] }),
        used('2026-03-12T00:00:00Z', CURRENT, { issues: ['PROJ-3'], ref: 'refs/heads/release', workflow: `${REPO}/.github/workflows/deploy.yml@refs/heads/release` }),
        used('2026-03-13T00:00:00Z', CURRENT, { issues: [] }),
      ],
      { current: CURRENT, previous: OLD },
      { repository: REPO },
    )
    expect(summary.since).toBe('2026-03-10T00:00:00Z')
    expect(summary.usage).toEqual([
      { fingerprint: OLD, runs: 1, workflows: [`${REPO}/.github/workflows/jira.yml@refs/heads/main`], refs: ['refs/heads/main'], issuesMoved: 2, firstUse: '2026-03-10T01:00:00Z', lastUse: '2026-03-10T01:00:00Z' },
      {
        fingerprint: CURRENT,
        runs: 2,
        workflows: [`${REPO}/.github/workflows/deploy.yml@refs/heads/release`, `${REPO}/.github/workflows/jira.yml@refs/heads/main`],
        refs: ['refs/heads/release', 'refs/heads/main'],
        issuesMoved: 1,
        firstUse: '2026-03-12T00:00:00Z',
        lastUse: '2026-03-13T00:00:00Z',
      },
    ])
    expect(summary.anomalies).toEqual([])
  })

  test('without any rotation, everything counts and unknown fingerprints cannot be told', () => {
    const summary = summarizeAudit([used('2026-03-01T00:00:00Z', STRANGER)], {}, { repository: REPO })
    expect(summary.since).toBeUndefined()
    expect(summary.fingerprintsChecked).toBe(false)
    expect(summary.usage.map((usage) => usage.runs)).toEqual([1])
    expect(summary.anomalies).toEqual([])
  })
})

describe('summarizeAudit: anomalies', () => {
  test.each<[string, AuditEntry[], AnomalyKind[]]>([
    ['a revoked fingerprint in use', [rotated, revokedOld, used('2026-03-12T00:00:00Z', OLD)], ['revoked-in-use']],
    ['use before the revocation is fine', [rotated, used('2026-03-10T12:00:00Z', OLD), revokedOld], []],
    ['an unknown fingerprint in use', [rotated, used('2026-03-12T00:00:00Z', STRANGER)], ['unknown-in-use']],
    ['a workflow of another repository', [rotated, used('2026-03-12T00:00:00Z', CURRENT, { workflow: 'evil/fork/.github/workflows/x.yml@refs/heads/main' })], ['unexpected-workflow']],
    ['a look-alike repository prefix', [rotated, used('2026-03-12T00:00:00Z', CURRENT, { workflow: 'acme/shop-evil/.github/workflows/jira.yml@refs/heads/main' })], ['unexpected-workflow']],
    ['a workflow audit.workflows does not list', [rotated, used('2026-03-12T00:00:00Z', CURRENT, { workflow: `${REPO}/.github/workflows/other.yml@refs/heads/main` })], ['unexpected-workflow']],
    ['a ref audit.refs does not list', [rotated, used('2026-03-12T00:00:00Z', CURRENT, { ref: 'refs/heads/experiment' })], ['unexpected-ref']],
    ['a denied command', [rotated, { v: 1, time: '2026-03-12T00:00:00Z', actor: 'mallory', event: 'command.denied', outcome: 'refused /warden rotate' }], ['command-denied']],
    ['an anomaly someone recorded', [rotated, { v: 1, time: '2026-03-12T00:00:00Z', actor: 'x', event: 'anomaly', outcome: 'orphan credential found' }], ['recorded']],
    ['a denied command before the last rotation is history', [{ v: 1, time: '2026-03-01T00:00:00Z', actor: 'mallory', event: 'command.denied', outcome: 'refused' }, rotated], []],
  ])('%s', (_name, entries, kinds) => {
    const summary = summarizeAudit(entries, { current: CURRENT, previous: OLD }, {
      repository: REPO,
      workflows: ['.github/workflows/jira.yml', '.github/workflows/deploy-*.yml'],
      refs: ['refs/heads/main', 'refs/tags/*', 'refs/pull/*/merge'],
    })
    expect(summary.anomalies.map((anomaly) => anomaly.kind)).toEqual(kinds)
  })

  test('a rotation state newer than the trail sets the window', () => {
    const summary = summarizeAudit([rotated, used('2026-03-12T00:00:00Z', CURRENT)], { current: CURRENT, lastRotationAt: '2026-03-20T00:00:00Z' }, { repository: REPO })
    expect(summary.since).toBe('2026-03-20T00:00:00Z')
    expect(summary.usage).toEqual([])
  })
})

describe('globMatches', () => {
  test.each<[string, string, boolean]>([
    ['refs/tags/*', 'refs/tags/v1.2', true],
    ['refs/tags/*', 'refs/tags/a/b', false],
    ['refs/**', 'refs/tags/a/b', true],
    ['refs/pull/*/merge', 'refs/pull/12/merge', true],
    ['.github/workflows/jira.yml', '.github/workflows/jiraXyml', false],
    ['refs/heads/main', 'refs/heads/main2', false],
  ])('%s ~ %s → %s', (pattern, value, matches) => {
    expect(globMatches(pattern, value)).toBe(matches)
  })
})
