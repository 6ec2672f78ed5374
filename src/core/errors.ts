/**
 * Typed errors. Each kind tells the host what to do with it; each message
 * tells the user how to fix it. Messages never carry a secret or a raw
 * response body.
 */
export type WardenErrorKind =
  | 'configuration'
  | 'authentication'
  | 'permission'
  | 'not-found'
  | 'transient'
  | 'jira-answer'

export class WardenError extends Error {
  readonly kind: WardenErrorKind

  constructor(kind: WardenErrorKind, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
    this.kind = kind
  }
}

/** The user's configuration or inputs are wrong; nothing was attempted. */
export class ConfigurationError extends WardenError {
  constructor(message: string, options?: ErrorOptions) {
    super('configuration', message, options)
  }
}

/** Jira (or GitHub) refused the credential itself: stop everything, no retry. */
export class AuthenticationError extends WardenError {
  constructor(message: string, options?: ErrorOptions) {
    super('authentication', message, options)
  }
}

/** The credential is valid but may not do this one thing. */
export class PermissionError extends WardenError {
  constructor(message: string, options?: ErrorOptions) {
    super('permission', message, options)
  }
}

/** The thing does not exist, or the credential may not see it (Jira answers both with 404). */
export class NotFoundError extends WardenError {
  constructor(message: string, options?: ErrorOptions) {
    super('not-found', message, options)
  }
}

/** Worth trying again later: rate limits, 5xx, timeouts, dropped connections. */
export class TransientError extends WardenError {
  readonly retryAfterMs: number | undefined

  constructor(message: string, retryAfterMs?: number, options?: ErrorOptions) {
    super('transient', message, options)
    this.retryAfterMs = retryAfterMs
  }
}

/** Jira answered, but not with something we can use (HTML login page, malformed JSON, a 400 we cannot fix). */
export class JiraAnswerError extends WardenError {
  constructor(message: string, options?: ErrorOptions) {
    super('jira-answer', message, options)
  }
}

export function isWardenError(error: unknown): error is WardenError {
  return error instanceof WardenError
}
