/**
 * Data Center personal access tokens over REST (/rest/pat/latest/tokens), as
 * test/contract/specs/jira-dc-pat.contract-notes.json describes them: create
 * answers 201 with the raw token (the only time it is shown), list answers
 * the caller's tokens without values, delete answers 204.
 *
 * Who may call: any authenticated user; anonymous (which includes an unknown,
 * expired or revoked Bearer PAT) gets 401. The notes leave open whether a
 * Bearer PAT may create another PAT, so `patEndpointsAcceptPat: false`
 * emulates a Jira that allows basic auth only. Error bodies are Jira's
 * ErrorCollection (an assumption: the notes describe no errors).
 */
import type { Router, SandboxResponse } from '../http/sandbox-server.ts'
import { addJiraRoute, requireUser, type JiraCall, type JiraContext } from './jira-call.ts'
import type { PersonalAccessToken } from './jira-credentials.ts'
import { refusal } from './jira-errors.ts'
import { jiraDate } from './jira-representation.ts'

export const PAT_TOKENS_PATH = '/rest/pat/latest/tokens'
const NAME_MAX_LENGTH = 255
const DAY_MS = 24 * 3600 * 1000

export function registerPatRoutes(router: Router, context: JiraContext, patEndpointsAcceptPat: boolean): void {
  const caller = (call: JiraCall): SandboxResponse | undefined => {
    const anonymous = requireUser(call, context.personality)
    if (anonymous) return anonymous
    if (!patEndpointsAcceptPat && call.principal.kind === 'user' && call.principal.via === 'pat') {
      return refusal(403, ['Personal access tokens cannot be used to manage personal access tokens. Sign in with a password.'])
    }
    return undefined
  }

  addJiraRoute(router, context, 'POST', PAT_TOKENS_PATH, (call) => caller(call) ?? createPat(context, call))

  addJiraRoute(router, context, 'GET', PAT_TOKENS_PATH, (call) => caller(call) ?? {
    status: 200,
    body: context.credentials.listPats(call.user!).map(patJson),
  })

  addJiraRoute(router, context, 'DELETE', `${PAT_TOKENS_PATH}/{tokenId}`, (call) => {
    const refused = caller(call)
    if (refused) return refused
    const id = Number(call.request.params.tokenId)
    const own = context.credentials.listPats(call.user!).some((pat) => pat.id === id)
    if (!own || !context.credentials.revokePat(id)) return refusal(404, [`No personal access token with id '${call.request.params.tokenId}'.`])
    return { status: 204 }
  })
}

function createPat(context: JiraContext, call: JiraCall): SandboxResponse {
  const body = (typeof call.request.body === 'object' && call.request.body !== null ? call.request.body : {}) as Record<string, unknown>
  const name = typeof body.name === 'string' ? body.name.trim() : ''
  if (!name) return refusal(400, [], { name: 'A token name is required.' })
  if (name.length > NAME_MAX_LENGTH) return refusal(400, [], { name: `A token name is at most ${NAME_MAX_LENGTH} characters.` })
  const days = body.expirationDuration
  if (days !== undefined && !(Number.isInteger(days) && (days as number) > 0)) {
    return refusal(400, [], { expirationDuration: 'The expiration duration is a whole number of days, at least 1.' })
  }
  const expiresAt = days === undefined ? undefined : new Date(context.state.now() + (days as number) * DAY_MS)
  const issued = context.credentials.issuePat(call.user!, { name, ...(expiresAt ? { expiresAt } : {}) })
  const pat = context.credentials.listPats(call.user!).find((candidate) => candidate.id === issued.id)!
  return { status: 201, body: { ...patJson(pat), rawToken: issued.token } }
}

function patJson(pat: PersonalAccessToken): Record<string, unknown> {
  return {
    id: pat.id,
    name: pat.name,
    createdAt: jiraDate(pat.createdAt),
    ...(pat.expiresAt !== undefined ? { expiringAt: jiraDate(pat.expiresAt) } : {}),
    ...(pat.lastAccessedAt !== undefined ? { lastAccessedAt: jiraDate(pat.lastAccessedAt) } : {}),
  }
}
