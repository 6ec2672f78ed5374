/**
 * Webhook deliveries as GitHub makes them: a JSON POST with X-GitHub-Event,
 * X-GitHub-Delivery (a GUID) and X-Hub-Signature-256 (HMAC-SHA256 of the
 * exact body with the webhook secret). Tests deliver any payload by hand;
 * once configured, the sandbox also delivers the events it causes itself
 * (workflow_run when a dispatched run completes; issue_comment when asked). Every delivery is recorded,
 * never with the secret.
 */
import { createHmac, randomUUID } from 'node:crypto'

export interface WebhookDeliveryRequest {
  /** The app server's webhook URL, e.g. http://127.0.0.1:3000/api/github/webhooks. */
  url: string
  secret: string
  event: string
  payload: unknown
  /** Default: a fresh GUID. Re-use one to play GitHub's redelivery. */
  deliveryId?: string
  /** Replaces the computed X-Hub-Signature-256 value; `null` sends none (abuse tests). */
  signature?: string | null
}

export interface WebhookDelivery {
  deliveryId: string
  event: string
  /** `payload.action`, when there is one. */
  action: string | undefined
  url: string
  /** The server's status, or 0 when the connection failed. */
  status: number
  body: string
  at: string
  /** Why the delivery failed to reach the server, if it did not. */
  error?: string
}

export interface WebhookTarget {
  url: string
  secret: string
  /** Events the sandbox delivers by itself: `workflow_run` (a dispatched run completed) and `issue_comment` (created or edited through the API). Default ['workflow_run']. */
  events?: string[]
}

export function signatureOf(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

export class WebhookSender {
  readonly deliveries: WebhookDelivery[] = []
  target: WebhookTarget | undefined
  readonly #now: () => Date
  readonly #pending = new Set<Promise<unknown>>()

  constructor(now: () => Date) {
    this.#now = now
  }

  async deliver(request: WebhookDeliveryRequest): Promise<{ status: number; body: string; deliveryId: string }> {
    const deliveryId = request.deliveryId ?? randomUUID()
    const body = JSON.stringify(request.payload)
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/sandbox',
      'x-github-event': request.event,
      'x-github-delivery': deliveryId,
      'x-github-hook-id': '1',
    }
    const signature = request.signature === undefined ? signatureOf(request.secret, body) : request.signature
    if (signature !== null) headers['x-hub-signature-256'] = signature
    const action = (request.payload as { action?: unknown } | null)?.action
    const record: WebhookDelivery = {
      deliveryId,
      event: request.event,
      action: typeof action === 'string' ? action : undefined,
      url: request.url,
      status: 0,
      body: '',
      at: this.#now().toISOString(),
    }
    this.deliveries.push(record)
    try {
      const response = await fetch(request.url, { method: 'POST', headers, body })
      record.status = response.status
      record.body = await response.text()
    } catch (error) {
      record.error = (error as Error).message
    }
    return { status: record.status, body: record.body, deliveryId }
  }

  /** Delivers to the configured target, if it subscribes to the event, in the background (tests await `settled()`). */
  emit(event: string, payload: unknown): void {
    const target = this.target
    if (!target || !(target.events ?? ['workflow_run']).includes(event)) return
    const delivery = this.deliver({ url: target.url, secret: target.secret, event, payload })
    this.#pending.add(delivery)
    void delivery.finally(() => this.#pending.delete(delivery))
  }

  get busy(): boolean {
    return this.#pending.size > 0
  }

  /** Resolves once every background delivery has been answered. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending])
  }
}
