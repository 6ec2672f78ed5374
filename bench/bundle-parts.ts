/**
 * What the action bundle is made of, and what each part costs to load.
 * Two views: (1) the real entry built again with ncc's stats, its modules'
 * source bytes summed by package; (2) each dependency the action imports,
 * bundled alone with ncc --minify exactly as `npm run build` does, with its
 * minified size and what loading it adds to a bare Node start. Builds go to
 * node_modules/.cache/jira-warden-bench (resolution finds node_modules from
 * there; nothing in the work tree changes). Runs in the full bench, or alone:
 * `node bench/bundle-parts.ts`.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { informative, median, ms, type BenchRow } from './bench-row.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SCRATCH = `${ROOT}node_modules/.cache/jira-warden-bench`
const BIN = `${ROOT}node_modules/.bin`
const VITALS_PRELOAD = fileURLToPath(new URL('./process-vitals-preload.js', import.meta.url))

/** Each part as the action imports it; `use` keeps the bundler from dropping it. */
export const BUNDLE_PARTS: ReadonlyArray<{ name: string; source: string }> = [
  { name: '@actions/core', source: "import * as core from '@actions/core'\nconsole.log(typeof core.getInput)" },
  { name: '@actions/github getOctokit (Octokit + @actions/http-client + undici)', source: "import { getOctokit } from '@actions/github'\nconsole.log(typeof getOctokit)" },
  { name: '@actions/http-client alone (its undici proxy agent)', source: "import * as http from '@actions/http-client'\nconsole.log(typeof http.HttpClient)" },
  { name: '@octokit/core + rest + paginate (Octokit without @actions/github)', source: "import { Octokit } from '@octokit/core'\nimport { restEndpointMethods } from '@octokit/plugin-rest-endpoint-methods'\nimport { paginateRest } from '@octokit/plugin-paginate-rest'\nconsole.log(typeof Octokit.plugin(restEndpointMethods, paginateRest))" },
  { name: "zod (import { z } from 'zod')", source: "import { z } from 'zod'\nconsole.log(typeof z.object({ a: z.string() }).parse)" },
  { name: "zod/mini (import * as z from 'zod/mini')", source: "import * as z from 'zod/mini'\nconsole.log(typeof z.object({ a: z.string() }).parse)" },
  { name: 'jira.js/core (createClient; brings zod)', source: "import { createClient } from 'jira.js/core'\nconsole.log(typeof createClient)" },
  { name: 'yaml (parseDocument)', source: "import { parseDocument } from 'yaml'\nconsole.log(typeof parseDocument)" },
]

export interface BundlePart {
  name: string
  minifiedBytes: number
  /** What loading the part alone adds to a bare Node start (median lifetime difference). */
  loadMs: number
}

export interface BundleComposition {
  /** Source bytes (before minifying) of the real action entry's modules, by package. */
  sourceBytesByPackage: Record<string, number>
  /** Bytes of base64 WASM (undici's llhttp) in dist/index.js: string literals minifying cannot shrink. */
  wasmBase64Bytes: number
  parts: BundlePart[]
  bareNodeMs: number
}

export async function measureBundleParts(repetitions: number, progress: (line: string) => void): Promise<BundleComposition> {
  rmSync(SCRATCH, { recursive: true, force: true })
  mkdirSync(SCRATCH, { recursive: true })
  const sourceBytesByPackage = await actionEntryComposition()
  progress('bundle parts: the action entry rebuilt with ncc stats')
  const bareNodeMs = median(await lifetimes(['-e', ''], repetitions))
  const parts: BundlePart[] = []
  for (const [index, part] of BUNDLE_PARTS.entries()) {
    const dir = `${SCRATCH}/part-${index}`
    mkdirSync(dir, { recursive: true })
    writeFileSync(`${dir}/entry.mjs`, `${part.source}\n`)
    await run(`${BIN}/ncc`, ['build', `${dir}/entry.mjs`, '-o', `${dir}/dist`, '--minify', '--quiet'])
    const bundle = `${dir}/dist/index.mjs`
    const built = statSync(bundle, { throwIfNoEntry: false }) ? bundle : `${dir}/dist/index.js`
    parts.push({ name: part.name, minifiedBytes: statSync(built).size, loadMs: median(await lifetimes([built], repetitions)) - bareNodeMs })
    progress(`bundle parts: ${part.name}`)
  }
  const dist = readFileSync(`${ROOT}dist/index.js`, 'utf8')
  const wasmBase64Bytes = [...dist.matchAll(/(["'`])([A-Za-z0-9+/=]{5000,})\1/g)].reduce((sum, match) => sum + (match[2]?.length ?? 0), 0)
  rmSync(SCRATCH, { recursive: true, force: true })
  return { sourceBytesByPackage, wasmBase64Bytes, parts, bareNodeMs }
}

/** tsc into the scratch folder, then ncc with --stats-out: which packages the action's modules come from. */
async function actionEntryComposition(): Promise<Record<string, number>> {
  await run(`${BIN}/tsc`, ['-p', `${ROOT}tsconfig.build.json`, '--outDir', `${SCRATCH}/build`])
  await run(`${BIN}/ncc`, ['build', `${SCRATCH}/build/src/action/index.js`, '-o', `${SCRATCH}/action`, '--stats-out', `${SCRATCH}/stats.json`, '--quiet'])
  const stats = JSON.parse(readFileSync(`${SCRATCH}/stats.json`, 'utf8')) as { modules: StatsModule[] }
  const sizes = new Map<string, number>()
  const walk = (modules: readonly StatsModule[]) => {
    for (const module of modules) {
      if (module.modules) walk(module.modules)
      else sizes.set(module.name, module.size)
    }
  }
  walk(stats.modules)
  const byPackage: Record<string, number> = {}
  for (const [name, size] of sizes) byPackage[packageOf(name)] = (byPackage[packageOf(name)] ?? 0) + size
  return Object.fromEntries(Object.entries(byPackage).sort((a, b) => b[1] - a[1]))
}

interface StatsModule {
  name: string
  size: number
  modules?: StatsModule[]
}

function packageOf(moduleName: string): string {
  if (moduleName.includes('jira-warden-bench/build/')) return 'jira-warden (src)'
  if (moduleName.includes('zod/v4/locales/')) return 'zod (locales)'
  const at = moduleName.lastIndexOf('node_modules/')
  if (at < 0) return 'webpack runtime and node: externals'
  const rest = moduleName.slice(at + 'node_modules/'.length).split('/')
  const name = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? moduleName)
  return moduleName.indexOf('node_modules/') !== at ? `${name} (a second, nested copy)` : name
}

export function bundlePartRows(composition: BundleComposition, bundleBytes: number): BenchRow[] {
  const total = Object.values(composition.sourceBytesByPackage).reduce((sum, bytes) => sum + bytes, 0)
  const top = Object.entries(composition.sourceBytesByPackage).slice(0, 8)
  const rows: BenchRow[] = [
    informative({
      section: 'bundle',
      measure: 'largest parts of dist/index.js (source bytes before minifying)',
      value: total,
      unit: 'bytes',
      shown: top.map(([name, bytes]) => `${name} ${((100 * bytes) / total).toFixed(0)}%`).join(', '),
      note: `${(total / 1024).toFixed(0)} KiB of module source in all; ${(composition.wasmBase64Bytes / 1024).toFixed(0)} KiB of the minified ${(bundleBytes / 1024).toFixed(0)} KiB is undici's llhttp WASM as base64`,
    }),
  ]
  for (const part of composition.parts) {
    rows.push(
      informative({
        section: 'bundle',
        measure: `alone, minified: ${part.name}`,
        value: part.minifiedBytes,
        unit: 'bytes',
        shown: `${(part.minifiedBytes / 1024).toFixed(0)} KiB, loads in +${ms(part.loadMs)}`,
      }),
    )
  }
  return rows
}

async function lifetimes(args: string[], repetitions: number): Promise<number[]> {
  const found: number[] = []
  for (let index = 0; index < repetitions; index += 1) {
    const { stderr } = await run(process.execPath, ['--import', VITALS_PRELOAD, ...args])
    found.push(Number(/lifetimeMs=([\d.]+)/.exec(stderr)?.[1] ?? Number.NaN))
  }
  return found
}

function run(command: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: `${BIN}:${process.env.PATH ?? ''}` } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${stderr}${stdout}`.slice(0, 4000)))))
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const composition = await measureBundleParts(5, (line) => process.stderr.write(`${line}\n`))
  console.log(JSON.stringify(composition, null, 2))
}
