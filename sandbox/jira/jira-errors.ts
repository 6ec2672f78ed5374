/** Jira's ErrorCollection answers, in Jira's own words where the wording is known. */
import type { SandboxResponse } from '../http/sandbox-server.ts'

export interface ErrorCollection {
  errorMessages: string[]
  errors: Record<string, string>
}

export function refusal(status: number, errorMessages: string[], errors: Record<string, string> = {}): SandboxResponse {
  return { status, body: { errorMessages, errors } satisfies ErrorCollection }
}

/** Jira answers a missing issue and an invisible one alike, so nobody learns an issue exists. */
export const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.'

export function issueNotFound(): SandboxResponse {
  return refusal(404, [ISSUE_NOT_FOUND])
}

export function projectNotFound(key: string): SandboxResponse {
  return refusal(404, [`No project could be found with key '${key}'.`])
}

/** Cloud's edge sends this sentence (as text/plain or {message}); the sandbox wraps it in the ErrorCollection the spec describes for 401. */
export function notAuthenticatedCloud(): SandboxResponse {
  return {
    status: 401,
    headers: { 'www-authenticate': 'OAuth realm="https%3A%2F%2Fsandbox.atlassian.net"' },
    body: { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} } satisfies ErrorCollection,
  }
}

/** Data Center's answer to an anonymous call of an operation that needs a user, and to bad basic auth. */
export function notAuthenticatedDataCenter(loginReason: 'AUTHENTICATED_FAILED' | 'AUTHENTICATION_DENIED' | undefined): SandboxResponse {
  return {
    status: 401,
    headers: loginReason ? { 'x-seraph-loginreason': loginReason } : {},
    body: {
      errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
      errors: {},
    } satisfies ErrorCollection,
  }
}
