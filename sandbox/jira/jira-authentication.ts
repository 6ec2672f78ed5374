/**
 * Who a request is, the way each Jira decides it. Cloud refuses a bad
 * credential (401); Data Center treats an unknown, revoked or expired Bearer
 * PAT as anonymous and answers as it would answer anyone (the project's
 * shared facts, specs/README.md), but refuses bad basic auth.
 */
import type { SandboxRequest } from '../http/sandbox-server.ts'
import type { CredentialStore } from './jira-credentials.ts'
import type { JiraState, JiraUser } from './jira-state.ts'

export type Personality = 'cloud' | 'data-center'

export type Principal =
  | { kind: 'user'; user: JiraUser; via: 'api-token' | 'scoped-api-token' | 'oauth' | 'pat' | 'basic' }
  | { kind: 'anonymous'; note?: string }
  | { kind: 'refused'; reason: string }

export interface AuthenticationContext {
  personality: Personality
  state: JiraState
  credentials: CredentialStore
}

/** Scoped tokens and OAuth access tokens are accepted only on the api.atlassian.com gateway path. */
export function isGatewayPath(path: string): boolean {
  return path.startsWith('/ex/jira/')
}

export function authenticate(context: AuthenticationContext, request: SandboxRequest): Principal {
  const header = firstHeader(request.headers.authorization)
  if (!header) return { kind: 'anonymous' }
  const [scheme = '', value = ''] = header.trim().split(/\s+/, 2)
  const viaGateway = isGatewayPath(request.path)
  if (context.personality === 'data-center') return authenticateDataCenter(context, scheme.toLowerCase(), value)
  if (scheme.toLowerCase() === 'basic') return authenticateCloudBasic(context, value, viaGateway)
  if (scheme.toLowerCase() === 'bearer') {
    const found = context.credentials.find(value, ['access-token'])
    if ('refusal' in found) return { kind: 'refused', reason: `${found.refusal} access token` }
    if (!viaGateway) return { kind: 'refused', reason: 'OAuth access token outside the api.atlassian.com gateway' }
    return { kind: 'user', user: found.credential.user, via: 'oauth' }
  }
  return { kind: 'refused', reason: `unsupported authorization scheme '${scheme}'` }
}

function authenticateCloudBasic(context: AuthenticationContext, value: string, viaGateway: boolean): Principal {
  const decoded = decodeBasic(value)
  if (!decoded) return { kind: 'refused', reason: 'malformed basic credentials' }
  const found = context.credentials.find(decoded.secret, ['api-token'])
  if ('refusal' in found) return { kind: 'refused', reason: `${found.refusal} API token` }
  const { credential } = found
  if (credential.user.email.toLowerCase() !== decoded.user.toLowerCase()) {
    return { kind: 'refused', reason: 'API token of another account' }
  }
  if (credential.scoped && !viaGateway) return { kind: 'refused', reason: 'scoped API token at the site URL' }
  // Assumption (unverified): the gateway serves scoped tokens only; a classic token belongs at the site URL.
  if (!credential.scoped && viaGateway) return { kind: 'refused', reason: 'classic API token at the gateway' }
  return { kind: 'user', user: credential.user, via: credential.scoped ? 'scoped-api-token' : 'api-token' }
}

function authenticateDataCenter(context: AuthenticationContext, scheme: string, value: string): Principal {
  if (scheme === 'bearer') {
    const found = context.credentials.find(value, ['pat'])
    if ('refusal' in found) return { kind: 'anonymous', note: `${found.refusal} PAT` }
    return { kind: 'user', user: found.credential.user, via: 'pat' }
  }
  if (scheme === 'basic') {
    const decoded = decodeBasic(value)
    const user = decoded && context.state.users.get(decoded.user)
    if (!user || user.password === undefined || user.password !== decoded.secret) {
      return { kind: 'refused', reason: 'wrong username or password' }
    }
    return { kind: 'user', user, via: 'basic' }
  }
  return { kind: 'anonymous', note: `unsupported authorization scheme '${scheme}'` }
}

/** How the request log names the principal. */
export function describePrincipal(principal: Principal): string {
  switch (principal.kind) {
    case 'user':
      return `${principal.user.name} (${principal.via})`
    case 'anonymous':
      return principal.note ? `anonymous (${principal.note})` : 'anonymous'
    case 'refused':
      return `refused (${principal.reason})`
  }
}

export function userOf(principal: Principal): JiraUser | undefined {
  return principal.kind === 'user' ? principal.user : undefined
}

function decodeBasic(value: string): { user: string; secret: string } | undefined {
  const text = Buffer.from(value, 'base64').toString('utf8')
  const colon = text.indexOf(':')
  if (colon <= 0) return undefined
  return { user: text.slice(0, colon), secret: text.slice(colon + 1) }
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
