/**
 * GitHub Apps and their installations: each app has an RSA key pair (the
 * private half, PEM, goes to the test or to Probot / @octokit/auth-app, which
 * sign RS256 JWTs with it), and the sandbox checks those JWTs the way GitHub
 * does: signature, issuer, `exp` in the future but at most ten minutes ahead,
 * `iat` not in the future.
 */
import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto'
import type { RateLimitBucket } from './auth.ts'
import type { Actor, GitHubState, PermissionLevel } from './state.ts'

export interface AppRecord {
  id: number
  slug: string
  name: string
  clientId: string
  owner: Actor
  publicKey: KeyObject
  /** Permissions the app asks for on installation (the installation may hold fewer). */
  permissions: Record<string, PermissionLevel>
  events: string[]
  createdAt: string
  updatedAt: string
  /** Requests authenticated with the app's JWT share this limit. */
  rate: RateLimitBucket
}

export interface InstallationRecord {
  id: number
  app: AppRecord
  account: Actor
  /** Lower-cased full names, or every repository of the account. */
  repositories: Set<string> | 'all'
  permissions: Record<string, PermissionLevel>
  events: string[]
  createdAt: string
  updatedAt: string
}

export interface AddAppOptions {
  id: number
  slug: string
  name?: string
  /** PEM of an RSA private key (PKCS#1 or PKCS#8). Omitted: a fresh 2048-bit pair is made. */
  privateKey?: string
  /** Account that owns the app. Default `octo-org`. */
  owner?: string
  permissions?: Record<string, PermissionLevel>
  events?: string[]
}

export type JwtCheck = { outcome: 'valid'; app: AppRecord } | { outcome: 'refused'; message: string }

const MAX_JWT_LIFETIME_SECONDS = 600
/** GitHub tolerates a little clock drift on `iat`. */
const CLOCK_SKEW_SECONDS = 60
export const JWT_UNDECODABLE = 'A JSON web token could not be decoded'

export class AppRegistry {
  readonly apps = new Map<number, AppRecord>()
  readonly installations = new Map<number, InstallationRecord>()
  readonly #state: GitHubState
  #nextInstallationId = 50000000

  constructor(state: GitHubState) {
    this.#state = state
  }

  /** Registers the app; returns the PEM private key (the given one, or the generated PKCS#1 key GitHub would hand out). */
  addApp(options: AddAppOptions, rate: RateLimitBucket): string {
    if (this.apps.has(options.id)) throw new Error(`GitHub sandbox: app ${options.id} already exists`)
    const privateKey = options.privateKey ?? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
    const created = this.#state.timestamp()
    this.apps.set(options.id, {
      id: options.id,
      slug: options.slug,
      name: options.name ?? options.slug,
      clientId: `Iv23li${String(options.id).padStart(14, '0')}`,
      owner: this.#state.actor(options.owner ?? 'octo-org', 'Organization'),
      publicKey: createPublicKey(privateKey),
      permissions: options.permissions ?? { metadata: 'read' },
      events: options.events ?? [],
      createdAt: created,
      updatedAt: created,
      rate,
    })
    this.#state.actor(`${options.slug}[bot]`, 'Bot')
    return privateKey
  }

  addInstallation(options: { appId: number; account: string; repositories: string[] | 'all'; permissions?: Record<string, PermissionLevel>; events?: string[] }): InstallationRecord {
    const app = this.apps.get(options.appId)
    if (!app) throw new Error(`GitHub sandbox: no app ${options.appId} (add it with addApp first)`)
    if (Array.isArray(options.repositories)) for (const name of options.repositories) this.#state.repository(name)
    const created = this.#state.timestamp()
    const installation: InstallationRecord = {
      id: (this.#nextInstallationId += 1),
      app,
      account: this.#state.actor(options.account, 'Organization'),
      repositories: options.repositories === 'all' ? 'all' : new Set(options.repositories.map((name) => name.toLowerCase())),
      permissions: { metadata: 'read', ...(options.permissions ?? app.permissions) },
      events: options.events ?? app.events,
      createdAt: created,
      updatedAt: created,
    }
    this.installations.set(installation.id, installation)
    return installation
  }

  /** The installation of this app that covers the repository, if any. */
  installationFor(app: AppRecord, fullName: string): InstallationRecord | undefined {
    const [owner = ''] = fullName.split('/')
    for (const installation of this.installations.values()) {
      if (installation.app !== app || installation.account.login.toLowerCase() !== owner.toLowerCase()) continue
      if (installation.repositories === 'all' || installation.repositories.has(fullName.toLowerCase())) return installation
    }
    return undefined
  }

  checkJwt(jwt: string): JwtCheck {
    const [headerPart = '', payloadPart = '', signaturePart = ''] = jwt.split('.')
    const header = decodeJson(headerPart)
    const payload = decodeJson(payloadPart)
    if (!header || !payload || header.alg !== 'RS256') return { outcome: 'refused', message: JWT_UNDECODABLE }
    const app = [...this.apps.values()].find((candidate) => String(candidate.id) === String(payload.iss) || candidate.clientId === payload.iss)
    if (!app) return { outcome: 'refused', message: JWT_UNDECODABLE }
    const signed = verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), app.publicKey, Buffer.from(signaturePart, 'base64url'))
    if (!signed) return { outcome: 'refused', message: JWT_UNDECODABLE }
    const now = Math.floor(this.#state.now().getTime() / 1000)
    if (typeof payload.iat !== 'number' || !Number.isInteger(payload.iat) || payload.iat > now + CLOCK_SKEW_SECONDS) {
      return { outcome: 'refused', message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued." }
    }
    if (typeof payload.exp !== 'number' || payload.exp <= now) {
      return { outcome: 'refused', message: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires." }
    }
    if (payload.exp - payload.iat > MAX_JWT_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS || payload.exp > now + MAX_JWT_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) {
      return { outcome: 'refused', message: "'Expiration time' claim ('exp') is too far in the future." }
    }
    return { outcome: 'valid', app }
  }
}

export function looksLikeJwt(credential: string): boolean {
  return /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(credential)
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
