/** `npm start`: the Probot server host, configured from the environment. */
import { ConfigurationError } from '../core/errors.ts'
import { readServerSettings } from './server-settings.ts'
import { startAppServer } from './start-app-server.ts'

try {
  const server = await startAppServer(readServerSettings())
  // Stop accepting, let accepted work finish (bounded by SHUTDOWN_DRAIN_MS), then leave.
  const stop = () => {
    void server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
} catch (error) {
  // Configuration errors carry their fix; anything else is named, never dumped with its properties.
  const message = error instanceof ConfigurationError ? error.message : `the server could not start (${(error as Error).name ?? 'error'}: ${(error as Error).message ?? ''})`
  process.stderr.write(`jira-warden app: ${message}\n`)
  process.exit(1)
}
