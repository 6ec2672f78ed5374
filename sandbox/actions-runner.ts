/**
 * A stand-in for the Actions runner: runs a built action (dist/index.js) as
 * the runner does, with inputs as INPUT_* variables, the event as a file,
 * and outputs and the job summary as files. Tests, the demo and the bench
 * run the action through it.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const ACTION_ENTRY = join(root, 'dist/index.js')

export interface ActionRun {
  exitCode: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** Values the step asked the runner to mask (`::add-mask::`), in order. */
  masked: string[]
  /** Everything the run wrote, for the leak scan. */
  everything: string
}

export interface ActionInvocation {
  inputs: Record<string, string>
  eventName: string
  payload: unknown
  githubApiUrl: string
  repository?: string
  /** Files to put in the workspace, e.g. { '.github/jira-warden.yml': '...' }. */
  workspaceFiles?: Record<string, string>
  env?: Record<string, string>
  /** Modules the child process loads first (`node --import`), e.g. the tests' network block. */
  preload?: string[]
  /** Another built action, e.g. dist/rotate/index.js. */
  entry?: string
}

export async function runAction(invocation: ActionInvocation): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'jira-warden-run-'))
  const workspace = join(dir, 'workspace')
  mkdirSync(workspace)
  for (const [path, text] of Object.entries(invocation.workspaceFiles ?? {})) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true })
    writeFileSync(join(workspace, path), text)
  }
  const eventPath = join(dir, 'event.json')
  const outputPath = join(dir, 'output')
  const summaryPath = join(dir, 'summary')
  writeFileSync(eventPath, JSON.stringify(invocation.payload))
  writeFileSync(outputPath, '')
  writeFileSync(summaryPath, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_OPTIONS: (invocation.preload ?? []).map((module) => `--import ${module}`).join(' '),
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: invocation.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: invocation.repository ?? 'acme/shop',
    GITHUB_API_URL: invocation.githubApiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    GITHUB_WORKFLOW: 'jira',
    GITHUB_WORKFLOW_REF: `${invocation.repository ?? 'acme/shop'}/.github/workflows/jira.yml@refs/heads/main`,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTOR: 'octocat',
    RUNNER_DEBUG: '1',
    ...invocation.env,
  }
  for (const [name, value] of Object.entries(invocation.inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  const { exitCode, stdout, stderr } = await spawnNode([invocation.entry ?? ACTION_ENTRY], env)
  const outputs = parseOutputFile(readFileSync(outputPath, 'utf8'))
  const summary = readFileSync(summaryPath, 'utf8')
  rmSync(dir, { recursive: true, force: true })
  const { shown, masked } = consumeMaskCommands(stdout)
  return { exitCode, stdout: shown, stderr, outputs, summary, masked, everything: [shown, stderr, JSON.stringify(outputs), summary].join('\n') }
}

function spawnNode(args: string[], env: Record<string, string>): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolvePromise({ exitCode: code ?? -1, stdout, stderr }))
  })
}

/**
 * The runner takes `::add-mask::VALUE` lines out of the log and masks VALUE
 * from then on: they are the masking protocol, never shown. `stdout` here is
 * the log as the runner shows it, less the masking it would apply, so a value
 * that reaches the log at all is still found by the leak scan.
 */
function consumeMaskCommands(stdout: string): { shown: string; masked: string[] } {
  const masked: string[] = []
  const shown = stdout
    .split('\n')
    .filter((line) => {
      if (!line.startsWith('::add-mask::')) return true
      masked.push(line.slice('::add-mask::'.length).replace(/\r$/, ''))
      return false
    })
    .join('\n')
  return { shown, masked }
}

/** The runner's `name<<DELIMITER` file format. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i += 1) {
    const heredoc = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '')
    if (!heredoc) continue
    const [, name, delimiter] = heredoc as unknown as [string, string, string]
    const value: string[] = []
    for (i += 1; i < lines.length && lines[i] !== delimiter; i += 1) value.push(lines[i] ?? '')
    outputs[name] = value.join('\n')
  }
  return outputs
}
