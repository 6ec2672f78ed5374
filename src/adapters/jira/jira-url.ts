import { ConfigurationError } from '../../core/errors.ts'

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname)
}

/**
 * Parses the jira-url input. Plain http is refused except for loopback (the
 * sandbox): a credential must never cross a network in the clear.
 */
export function parseJiraUrl(text: string): URL {
  let url: URL
  try {
    url = new URL(text.trim())
  } catch {
    throw new ConfigurationError(
      `jira-url '${text}' is not a URL. Expected the site's base URL, e.g. https://your-site.atlassian.net.`,
    )
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigurationError(
      `jira-url '${url.origin}' uses plain http. Use https://${url.host}: credentials are never sent unencrypted (http is allowed only for loopback hosts).`,
    )
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(`jira-url must start with https:// (got '${url.protocol}').`)
  }
  if (url.username || url.password) {
    throw new ConfigurationError('jira-url must not carry a user or password; use the jira-* credential inputs.')
  }
  url.search = ''
  url.hash = ''
  url.pathname = url.pathname.replace(/\/+$/, '')
  return url
}

/** The scoped-token gateway form: https://api.atlassian.com/ex/jira/{cloudId}. */
export function gatewayCloudId(url: URL): string | undefined {
  return /\/ex\/jira\/([0-9a-fA-F-]+)$/.exec(url.pathname)?.[1]
}
