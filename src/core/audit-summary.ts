/**
 * What `/warden audit` answers, from audit entries alone: usage per
 * credential fingerprint since the last rotation, and the anomalies worth a
 * person's look (a revoked or unknown fingerprint in use, use from a
 * workflow or ref nobody expects, commands refused).
 */
import type { AuditEntry } from './audit-entry.ts'

export interface KnownCredentials {
  /** The fingerprint the secret holds now, when the rotation state knows it. */
  current?: string
  /** The one before, still valid during the grace period. */
  previous?: string
  /** When the last rotation completed (from the rotation state or the trail). */
  lastRotationAt?: string
}

export interface UsageExpectations {
  /** owner/repo: credential use from another repository's workflow is an anomaly. */
  repository: string
  /** Workflow file patterns (`.github/workflows/jira.yml`, `*` globs); undefined: any workflow of this repository. */
  workflows?: readonly string[]
  /** Ref patterns (`refs/heads/main`, `refs/tags/*`); undefined: any ref. */
  refs?: readonly string[]
}

export interface FingerprintUsage {
  fingerprint: string
  runs: number
  workflows: string[]
  refs: string[]
  issuesMoved: number
  firstUse: string
  lastUse: string
}

export type AnomalyKind = 'revoked-in-use' | 'unknown-in-use' | 'unexpected-workflow' | 'unexpected-ref' | 'command-denied' | 'recorded'

export interface Anomaly {
  kind: AnomalyKind
  time: string
  fingerprint?: string
  detail: string
}

export interface AuditSummary {
  since: string | undefined
  usage: FingerprintUsage[]
  anomalies: Anomaly[]
  /** Whether unknown fingerprints could be told apart (needs a rotation state). */
  fingerprintsChecked: boolean
}

export function summarizeAudit(entries: readonly AuditEntry[], known: KnownCredentials, expected: UsageExpectations): AuditSummary {
  const ordered = [...entries].sort((a, b) => Date.parse(a.time) - Date.parse(b.time))
  const since = lastRotation(ordered, known)
  const recent = ordered.filter((entry) => since === undefined || Date.parse(entry.time) >= Date.parse(since))
  const revokedAt = revocations(ordered)
  const familiar = familiarFingerprints(ordered, known)
  const fingerprintsChecked = known.current !== undefined
  const anomalies: Anomaly[] = []
  for (const entry of recent) {
    if (entry.event === 'credential.used') anomalies.push(...useAnomalies(entry, revokedAt, fingerprintsChecked ? familiar : undefined, expected))
    if (entry.event === 'command.denied') anomalies.push({ kind: 'command-denied', time: entry.time, detail: `${entry.actor}: ${entry.outcome}` })
    if (entry.event === 'anomaly') anomalies.push({ kind: 'recorded', time: entry.time, ...fingerprintOf(entry), detail: entry.outcome })
  }
  return { since, usage: usageOf(recent), anomalies, fingerprintsChecked }
}

function lastRotation(ordered: readonly AuditEntry[], known: KnownCredentials): string | undefined {
  const fromTrail = ordered.filter((entry) => entry.event === 'rotation.completed').at(-1)?.time
  if (known.lastRotationAt === undefined) return fromTrail
  if (fromTrail === undefined) return known.lastRotationAt
  return Date.parse(fromTrail) > Date.parse(known.lastRotationAt) ? fromTrail : known.lastRotationAt
}

/** When each fingerprint was revoked (first time). */
function revocations(ordered: readonly AuditEntry[]): Map<string, string> {
  const revoked = new Map<string, string>()
  for (const entry of ordered) {
    if (entry.event === 'credential.revoked' && entry.fingerprint && !revoked.has(entry.fingerprint)) revoked.set(entry.fingerprint, entry.time)
  }
  return revoked
}

/** Fingerprints the rotation knows: the state's current and previous, and every one a rotation completed with. */
function familiarFingerprints(ordered: readonly AuditEntry[], known: KnownCredentials): Set<string> {
  const familiar = new Set<string>()
  if (known.current) familiar.add(known.current)
  if (known.previous) familiar.add(known.previous)
  for (const entry of ordered) if (entry.event === 'rotation.completed' && entry.fingerprint) familiar.add(entry.fingerprint)
  return familiar
}

function useAnomalies(entry: AuditEntry, revokedAt: Map<string, string>, familiar: Set<string> | undefined, expected: UsageExpectations): Anomaly[] {
  const found: Anomaly[] = []
  const where = entry.run ?? entry.actor
  const fingerprint = entry.fingerprint
  const revoked = fingerprint === undefined ? undefined : revokedAt.get(fingerprint)
  if (fingerprint && revoked !== undefined && Date.parse(entry.time) > Date.parse(revoked)) {
    found.push({ kind: 'revoked-in-use', time: entry.time, fingerprint, detail: `used after its revocation at ${revoked} (${where})` })
  } else if (fingerprint && familiar && !familiar.has(fingerprint)) {
    found.push({ kind: 'unknown-in-use', time: entry.time, fingerprint, detail: `no rotation knows this fingerprint (${where})` })
  }
  const workflow = workflowProblem(entry, expected)
  if (workflow) found.push({ kind: 'unexpected-workflow', time: entry.time, ...fingerprintOf(entry), detail: workflow })
  if (entry.ref && expected.refs && !expected.refs.some((pattern) => globMatches(pattern, entry.ref ?? ''))) {
    found.push({ kind: 'unexpected-ref', time: entry.time, ...fingerprintOf(entry), detail: `used from ${entry.ref}, which audit.refs does not list (${where})` })
  }
  return found
}

/** GITHUB_WORKFLOW_REF is `owner/repo/.github/workflows/file.yml@ref`. */
function workflowProblem(entry: AuditEntry, expected: UsageExpectations): string | undefined {
  if (!entry.workflow) return undefined
  const at = entry.workflow.lastIndexOf('@')
  const path = at < 0 ? entry.workflow : entry.workflow.slice(0, at)
  const prefix = `${expected.repository}/`
  if (!path.toLowerCase().startsWith(prefix.toLowerCase())) return `used by ${entry.workflow}, a workflow of another repository`
  const file = path.slice(prefix.length)
  if (expected.workflows && !expected.workflows.some((pattern) => globMatches(pattern, file))) {
    return `used by ${file}, which audit.workflows does not list`
  }
  return undefined
}

function usageOf(recent: readonly AuditEntry[]): FingerprintUsage[] {
  const byFingerprint = new Map<string, FingerprintUsage>()
  for (const entry of recent) {
    if (entry.event !== 'credential.used' || !entry.fingerprint) continue
    const usage = byFingerprint.get(entry.fingerprint) ?? {
      fingerprint: entry.fingerprint,
      runs: 0,
      workflows: [],
      refs: [],
      issuesMoved: 0,
      firstUse: entry.time,
      lastUse: entry.time,
    }
    usage.runs += 1
    addOnce(usage.workflows, entry.workflow)
    addOnce(usage.refs, entry.ref)
    usage.issuesMoved += entry.issues?.length ?? 0
    usage.lastUse = entry.time
    byFingerprint.set(entry.fingerprint, usage)
  }
  return [...byFingerprint.values()]
}

function addOnce(list: string[], value: string | undefined): void {
  if (value && !list.includes(value)) list.push(value)
}

function fingerprintOf(entry: AuditEntry): { fingerprint?: string } {
  return entry.fingerprint ? { fingerprint: entry.fingerprint } : {}
}

/** `*` matches within one path segment, `**` across segments; everything else is literal. */
export function globMatches(pattern: string, value: string): boolean {
  let source = ''
  for (let index = 0; index < pattern.length; index += 1) {
    const character = pattern[index] ?? ''
    if (character === '*' && pattern[index + 1] === '*') {
      source += '.*'
      index += 1
    } else if (character === '*') source += '[^/]*'
    else source += character.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&')
  }
  return new RegExp(`^${source}$`).test(value)
}
