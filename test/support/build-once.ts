// Tests drive the built action, as the runner would: build it once before the suite.
import { execFileSync } from 'node:child_process'

export default function buildOnce(): void {
  if (process.env.JIRA_WARDEN_SKIP_BUILD === '1') return
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' })
}
