import type { AuditEntry } from '../core/audit-entry.ts'

export type AuditWrite = { written: true; url: string } | { written: false; reason: string }

/** Where audit entries go: the repository's audit issue. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<AuditWrite>
}
