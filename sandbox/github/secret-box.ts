/**
 * The key pairs GitHub encrypts Actions secrets with: one libsodium (X25519)
 * pair per scope (repository, environment, organization), whose public half
 * callers fetch and seal values to, and whose private half lets the sandbox
 * open what it receives so tests can read a stored secret back.
 */
import { createHash } from 'node:crypto'
import sodium from 'libsodium-wrappers'

export interface SecretKeyPair {
  /** GitHub's key ids are decimal strings; this one is derived from the public key, so it is stable per pair. */
  keyId: string
  /** Base64 (standard alphabet) of the 32-byte public key, as GET .../secrets/public-key answers it. */
  key: string
  publicKey: Uint8Array
  privateKey: Uint8Array
}

/** libsodium compiles its WebAssembly asynchronously; call once before anything else here. */
export async function sodiumReady(): Promise<void> {
  await sodium.ready
}

export function newSecretKeyPair(): SecretKeyPair {
  const pair = sodium.crypto_box_keypair()
  const digest = createHash('sha256').update(pair.publicKey).digest()
  return {
    keyId: digest.readBigUInt64BE(0).toString(10),
    key: Buffer.from(pair.publicKey).toString('base64'),
    publicKey: pair.publicKey,
    privateKey: pair.privateKey,
  }
}

/** Opens a base64 sealed box; undefined when it was not sealed to this pair or is not a sealed box at all. */
export function openSealedValue(pair: SecretKeyPair, encryptedBase64: string): string | undefined {
  const sealed = Buffer.from(encryptedBase64, 'base64')
  if (sealed.length < sodium.crypto_box_SEALBYTES) return undefined
  try {
    const opened = sodium.crypto_box_seal_open(sealed, pair.publicKey, pair.privateKey)
    return new TextDecoder('utf-8', { fatal: true }).decode(opened)
  } catch {
    return undefined
  }
}

/** What a client does with the public key: seal a value to it (tests use this to play a caller). */
export function sealValue(publicKeyBase64: string, value: string): string {
  const sealed = sodium.crypto_box_seal(new TextEncoder().encode(value), Buffer.from(publicKeyBase64, 'base64'))
  return Buffer.from(sealed).toString('base64')
}
