/** The three ways the action authenticates to Jira (DESIGN.md section 1). */
export type JiraAuth =
  | { kind: 'api-token'; email: string; apiToken: string }
  | { kind: 'pat'; token: string }
  | { kind: 'oauth-client'; clientId: string; clientSecret: string }

export type JiraFlavour = 'cloud' | 'data-center'

/** The long-lived secret the fingerprint names: what rotation replaces. */
export function longLivedSecretOf(auth: JiraAuth): string {
  switch (auth.kind) {
    case 'api-token':
      return auth.apiToken
    case 'pat':
      return auth.token
    case 'oauth-client':
      return auth.clientSecret
  }
}

/**
 * Every value that must never be printed: the secret itself and what is
 * derived from it (the Basic header value, which GitHub's masking cannot
 * know about unless told).
 */
export function derivedSecretsOf(auth: JiraAuth): string[] {
  switch (auth.kind) {
    case 'api-token':
      return [auth.apiToken, basicHeaderValue(auth.email, auth.apiToken)]
    case 'pat':
      return [auth.token]
    case 'oauth-client':
      return [auth.clientSecret, basicHeaderValue(auth.clientId, auth.clientSecret)]
  }
}

export function basicHeaderValue(user: string, secret: string): string {
  return Buffer.from(`${user}:${secret}`, 'utf8').toString('base64')
}

export function flavourOf(auth: JiraAuth): JiraFlavour {
  return auth.kind === 'pat' ? 'data-center' : 'cloud'
}
