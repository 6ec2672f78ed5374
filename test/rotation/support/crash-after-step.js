// Test-only preload: kills the process (SIGKILL, no cleanup, no finally) right after the
// rotate action logs `step N done:` for N = JIRA_WARDEN_TEST_CRASH_AFTER, or sends the signal
// JIRA_WARDEN_TEST_SIGNAL instead (SIGINT: the runner's cancellation). Nothing in the action
// knows about it: it reads the same log lines people do.
const crashAfter = process.env.JIRA_WARDEN_TEST_CRASH_AFTER
if (crashAfter) {
  const marker = new RegExp(`^step ${crashAfter} done:`, 'm')
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = (chunk, ...rest) => {
    const result = write(chunk, ...rest)
    if (marker.test(String(chunk))) process.kill(process.pid, process.env.JIRA_WARDEN_TEST_SIGNAL || 'SIGKILL')
    return result
  }
}
