// Loaded into the test runner (vitest setupFiles) and into every child process
// the tests start (NODE_OPTIONS=--import): only loopback may be reached.
import net from 'node:net'

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/

function refuse(host) {
  const error = new Error(`Network blocked in tests: ${host} is not loopback`)
  error.code = 'ENETUNREACH'
  return error
}

const connect = net.Socket.prototype.connect
net.Socket.prototype.connect = function (...args) {
  const first = args[0]
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: args[1] }
  if (options.path === undefined) {
    const host = options.host ?? 'localhost'
    if (!LOOPBACK.test(host)) {
      process.nextTick(() => this.destroy(refuse(host)))
      return this
    }
  }
  return connect.apply(this, args)
}

const realFetch = globalThis.fetch
globalThis.fetch = async (input, init) => {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url)
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (!LOOPBACK.test(host)) throw new TypeError('fetch failed', { cause: refuse(host) })
  return realFetch(input, init)
}
