/**
 * The app server started as `npm start` starts it: `node src/app/server.ts`
 * in a child process, configured by environment variables only, held to
 * loopback like the tests. Its whole output is kept for assertions and the
 * leak scan.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BLOCK_NETWORK = fileURLToPath(new URL('./block-network.js', import.meta.url))
const START_SCRIPT = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts.start ?? ''

export interface AppHost {
  url: string
  webhookUrl: string
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string
  /** Resolves once a line matching the pattern has been written (or rejects after the timeout). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>
  stop(): Promise<void>
}

export interface AppHostExit {
  exitCode: number
  output: string
}

/** The environment `npm start` reads, on top of PATH and the network block. */
export function appEnvironment(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', NODE_OPTIONS: `--import ${BLOCK_NETWORK}`, HOST: '127.0.0.1', PORT: '0', ...env }
}

function spawnStart(env: Record<string, string>): ChildProcess {
  // `npm start` is `node src/app/server.ts`: run the same command line without npm's own output in the way.
  const [command, ...args] = START_SCRIPT.split(' ')
  if (command !== 'node') throw new Error(`npm start is '${START_SCRIPT}'; the harness expects a node command`)
  return spawn(process.execPath, args, { cwd: ROOT, env: appEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] })
}

export async function startAppHost(env: Record<string, string>): Promise<AppHost> {
  const child = spawnStart(env)
  let output = ''
  const waiters = new Set<() => void>()
  const collect = (chunk: Buffer) => {
    output += chunk.toString()
    for (const wake of waiters) wake()
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))

  const waitForOutput = (pattern: RegExp, timeoutMs = 10_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output)
        if (!match) return false
        waiters.delete(check)
        clearTimeout(timer)
        resolve(match[0])
        return true
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`the app did not write ${pattern} within ${timeoutMs} ms; it wrote:\n${output.slice(-2000)}`))
      }, timeoutMs)
      waiters.add(check)
      check()
    })

  const listening = await waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)(\/\S*)/)
  const [, url = '', path = ''] = /listening on (http:\/\/127\.0\.0\.1:\d+)(\/\S*)/.exec(listening) ?? []
  return {
    url,
    webhookUrl: `${url}${path}`,
    output: () => output,
    waitForOutput,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

/** For settings the server must refuse: runs it to its exit. */
export function runAppHostToExit(env: Record<string, string>, timeoutMs = 10_000): Promise<AppHostExit> {
  const child = spawnStart(env)
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ exitCode: code ?? -1, output })
    })
  })
}
