import type { AuditEntry } from '../core/audit-entry.ts'

export type AuditWrite = { written: true; url: string } | { written: false; reason: string }

/** Where audit entries go: the repository's audit issue. */
export interface AuditLog {
  /** Finds or opens the audit issue for entries at `time`, so that lookup can overlap other work; never throws. */
  prepare(time: string): Promise<void>
  append(entry: AuditEntry): Promise<AuditWrite>
}
