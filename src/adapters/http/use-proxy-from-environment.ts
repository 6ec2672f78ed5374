/**
 * Self-hosted runners behind a proxy set HTTPS_PROXY / HTTP_PROXY / NO_PROXY.
 * Every request jira-warden makes (jira.js and Octokit alike) goes through
 * Node's global fetch, which honours those variables only when told to:
 * Node 24.14+ does it with http.setGlobalProxyFromEnv. Called first thing
 * in an entry, before any request, and only when a proxy is set.
 */
import http from 'node:http'

type SetGlobalProxyFromEnv = (proxyEnv?: NodeJS.ProcessEnv) => () => void

export function useProxyFromEnvironment(env: NodeJS.ProcessEnv = process.env): 'direct' | 'proxied' | 'unsupported' {
  const proxy = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy
  if (!proxy) return 'direct'
  const setGlobalProxyFromEnv = (http as { setGlobalProxyFromEnv?: SetGlobalProxyFromEnv }).setGlobalProxyFromEnv
  if (!setGlobalProxyFromEnv) return 'unsupported'
  setGlobalProxyFromEnv(env)
  return 'proxied'
}

export const PROXY_UNSUPPORTED =
  'HTTPS_PROXY/HTTP_PROXY is set, but this Node has no built-in proxy support (Node 24.14 or newer has): requests go direct.'
