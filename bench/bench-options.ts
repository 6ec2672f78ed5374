/** The command line of `npm run bench`. */

export interface BenchOptions {
  quick: boolean
  /** Latency the sandboxes add to every request, as a network would. */
  latencyMs: number
  /** Write bench/results.{md,json} and the chart (the full run does by default). */
  write: boolean
  help: boolean
}

export const USAGE = `npm run bench [-- options]

  --quick          a subset in under a minute (fewer repetitions, smaller loads); prints, writes nothing unless --write
  --latency MS     latency the sandboxes add to each request (default 40)
  --write          write bench/results.md, bench/results.json and bench/action-wall-time.svg (default for the full run)
  --no-write       print only
  --help           this text`

export function parseBenchOptions(args: readonly string[]): BenchOptions {
  const options: BenchOptions = { quick: false, latencyMs: 40, write: true, help: false }
  let write: boolean | undefined
  for (let index = 0; index < args.length; index += 1) {
    const [flag, inline] = (args[index] ?? '').split('=', 2) as [string, string | undefined]
    switch (flag) {
      case '--quick':
        options.quick = true
        break
      case '--latency': {
        const value = inline ?? args[++index]
        const latency = Number(value)
        if (value === undefined || !Number.isInteger(latency) || latency < 0 || latency > 10_000) {
          throw new Error(`--latency takes whole milliseconds from 0 to 10000, e.g. --latency 40 (got '${value ?? ''}').`)
        }
        options.latencyMs = latency
        break
      }
      case '--write':
        write = true
        break
      case '--no-write':
        write = false
        break
      case '--help':
      case '-h':
        options.help = true
        break
      default:
        throw new Error(`unknown option '${args[index]}'.\n\n${USAGE}`)
    }
  }
  options.write = write ?? !options.quick
  return options
}
