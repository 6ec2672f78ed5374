import { createHash } from 'node:crypto'

/** First 12 hex digits of SHA-256: names a credential without revealing it. */
export type CredentialFingerprint = string & { readonly __brand: 'CredentialFingerprint' }

export function fingerprintOf(secret: string): CredentialFingerprint {
  return createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 12) as CredentialFingerprint
}

export function isFingerprint(text: string): text is CredentialFingerprint {
  return /^[0-9a-f]{12}$/.test(text)
}
