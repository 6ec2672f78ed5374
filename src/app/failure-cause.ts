import { statusOf } from '../adapters/github/github-client.ts'

/** Says what failed without repeating a response body or an error's free text. */
export function failureCause(error: unknown): string {
  const status = statusOf(error)
  if (status !== undefined) return `GitHub answered ${status}`
  if ((error as { name?: unknown } | null)?.name === 'HttpError' || error instanceof TypeError) return 'GitHub could not be reached'
  return 'an unexpected error (in the app log)'
}

/** What goes to the log beside the cause: the status for GitHub's answers, the error itself for our own faults (no response body, no request headers). */
export function failureLogFields(error: unknown): Record<string, unknown> {
  const status = statusOf(error)
  if (status !== undefined) return { status }
  return error instanceof Error ? { error: { name: error.name, message: error.message, stack: error.stack } } : {}
}
