/** bench/results.md: the run's conditions, the table of figures and goals, the chart, and how each figure is defined. */
import type { BenchResults } from './bench-results.ts'
import { mb } from './bench-row.ts'
import { markdownTable } from './results-table.ts'

export function resultsMarkdown(results: BenchResults): string {
  const { machine, rows } = results
  const missed = rows.filter((row) => row.verdict === 'missed')
  const unmeasured = rows.filter((row) => row.verdict === 'not measured')
  return `# jira-warden bench results

Written by \`npm run bench\` (bench/run.ts) on ${results.date}${results.quick ? ' (quick run: fewer repetitions)' : ''}.

- Machine: ${machine.cpu}, ${machine.cores} cores, ${mb(machine.memoryBytes)}; ${machine.platform}; Node ${machine.node}; load average ${machine.loadAverage} at the start, ${results.loadAverageAtEnd} at the end (other work on the machine slows every wall-clock figure)
- Network: both sandboxes (Jira Cloud, GitHub) in the bench's process on loopback, **${results.latencyMs} ms added to every request**
- Run time: ${(results.durationMs / 1000).toFixed(0)} s
- Verdicts: ${rows.filter((row) => row.verdict === 'met').length} met, ${missed.length} missed${unmeasured.length ? `, ${unmeasured.length} not measured` : ''}

${markdownTable(rows)}

![action wall time against keys](action-wall-time.svg)

## How the figures are made

- **Action**: the built \`dist/index.js\` runs in a child process exactly as the Actions runner runs it (sandbox/actions-runner.ts: inputs as \`INPUT_*\`, the event as a file, outputs as files), on a \`pull_request.opened\` event, with a Cloud API token. Keys are given with the \`issue-keys\` input; every measured run gets a fresh Jira whose issues are all in To Do, so each key costs a real transition. The audit issue already exists (steady state). Wall time is spawn to exit as the runner sees it; figures are medians of ${results.repetitions} runs (cold start: ${results.coldStartRepetitions}); requests are the worst run's count from the Jira sandbox's request log.
- **Cold start**: the same event with no keys in its title and branch and \`keys.from: [title, branch]\`: the action loads, reads its inputs, config and event, and exits without a request.
- **Round-trip floor**: every round trip the work cannot avoid, at the injected latency, with process start and CPU costing nothing: one search for all issues, ceil(N / 4) rounds of transitions (the action writes 4 at a time), and 1 GitHub round trip for the audit entry's comment (finding this month's audit issue can overlap the Jira work, and does); reading the commits adds one when keys come from them. *floor + cold start* in the chart adds the measured cold start: no run of a fresh process can beat it.
- **Peak RSS**: the child's own \`process.resourceUsage().maxRSS\` at exit (bench/process-vitals-preload.js, loaded with \`--import\`).
- **Bundle load**: the cold start less a bare \`node -e ""\` (both with the same preload, timed in-process); parsing alone is \`vm.SourceTextModule\` over the file, nothing evaluated.
- **Bundle parts** (full run): the action entry rebuilt with \`ncc --stats-out\` into node_modules/.cache, module source bytes summed by package; and each dependency bundled alone with \`ncc --minify\` as \`npm run build\` does, with what loading it adds to a bare Node start.
- **Rotation**: the built rotate action (\`dist/rotate/index.js\`, dc-pat on a Data Center Jira, \`command: rotate\`), checked after each run: the stored secret is new and Jira accepts it. The organization runs 200 repositories as a matrix of 8 jobs sharing one GitHub App installation, under GitHub's documented secondary limit on content-creating requests (80 a minute, 500 an hour) emulated by the sandbox on a GitHub clock 240× faster than real time; there each request costs 1000/240 ms of real time, one second of GitHub time (the pace the action keeps against GitHub, where it waits 1 s between content-creating requests), and a refused request waits the sandbox's retry-after, pinned to 1 s of real time. The paced run gives the rotate action's \`write-interval\` input as docs/rotation.md advises for 8 jobs (8 × 7.2 s of GitHub time, scaled). The single repository and the organization secret run at the bench's latency on the real clock. Against loopback the action does not space its writes; against GitHub it waits 1 s between content-creating requests.
- **Server host**: \`npm start\`'s command line (\`node src/app/server.ts\`) against the GitHub sandbox, the app registered and installed; signed deliveries sent open-loop at a fixed rate (98% events the app ignores or guards out, 2% admin commands that are answered through the GitHub API); acknowledgement = the HTTP answer GitHub waits for; memory from /proc (VmRSS, VmHWM) at the end.
- **Key extraction**: \`extractIssueKeys\` in the bench's process, timed in CPU time (\`process.cpuUsage\`), so other work on the machine does not count, with the allow-list [PROJ, OPS] and max 100; adversarial texts at doubling sizes, after a warm-up, the fastest of at least ${results.keyRepetitions} runs and 100 ms each (slower runs met a GC pause or other work on the machine); the growth per doubling is fitted over every size (log–log least squares), ×2 being linear; linear time shows as ×2 per doubling.
${missed.length > 0 ? `\nWhere a goal is missed, [bench/README.md](README.md) explains why, with figures.\n` : ''}`
}
