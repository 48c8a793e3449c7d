import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP } from 'node:net'
import { createGuardedLookup, hostOf, resolveAllowedAddresses, type AddressPolicy } from './address-policy.ts'

export interface PostWebhookOptions extends AddressPolicy {
  /** The whole exchange (lookup, connect, answer) ends after this long. */
  timeoutMs: number
  /** At most this much of an answer is read; the connection is closed after it. */
  maxResponseBytes: number
  /** How much of the answer the delivery log keeps. */
  excerptChars: number
}

export interface PostWebhookResult {
  /** Null when no HTTP answer came: refused address, DNS failure, connection error, timeout. */
  status: number | null
  isSuccess: boolean
  latencyMs: number
  excerpt: string
}

function readBounded(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const finish = () => resolve(Buffer.concat(chunks).subarray(0, maxBytes))
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      size += chunk.length
      if (size >= maxBytes) {
        response.destroy()
        finish()
      }
    })
    response.on('end', finish)
    response.on('error', finish)
    response.on('close', finish)
  })
}

/**
 * POSTs one signed webhook and reports what happened, never throwing for the receiver's sake. No redirect is
 * followed (a 3xx is a failure: the signed request went where it was told), the connection only reaches addresses
 * the policy allows (checked at connect time, so DNS rebinding finds the same guard), and neither a slow nor a
 * huge answer can hold the worker.
 */
export async function postWebhook(
  target: string,
  headers: Record<string, string>,
  body: string,
  options: PostWebhookOptions,
): Promise<PostWebhookResult> {
  const startedAt = performance.now()
  const elapsed = () => Math.round(performance.now() - startedAt)
  const failure = (excerpt: string): PostWebhookResult => ({
    status: null,
    isSuccess: false,
    latencyMs: elapsed(),
    excerpt,
  })
  let url: URL
  try {
    url = new URL(target)
  } catch {
    return failure('The endpoint URL is not valid.')
  }
  if (isIP(hostOf(url))) {
    // IP literals never go through a lookup, so they are checked here; names are checked by the lookup itself.
    try {
      await resolveAllowedAddresses(hostOf(url), options)
    } catch (error) {
      return failure(error instanceof Error ? error.message : String(error))
    }
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve) => {
    let isSettled = false
    const settle = (result: PostWebhookResult) => {
      if (isSettled) return
      isSettled = true
      clearTimeout(timer)
      resolve(result)
    }
    const outgoing = send(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'dialtone-webhooks/1',
        },
        lookup: createGuardedLookup(options),
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0
        void readBounded(response, options.maxResponseBytes).then((answer) => {
          const text = answer.toString('utf8').slice(0, options.excerptChars)
          const location = response.headers.location
          const excerpt =
            status >= 300 && status < 400 && location
              ? `Redirect to ${location} not followed. ${text}`.slice(0, options.excerptChars)
              : text
          settle({ status, isSuccess: status >= 200 && status < 300, latencyMs: elapsed(), excerpt })
        })
      },
    )
    const timer = setTimeout(() => {
      outgoing.destroy(new Error(`No answer within ${options.timeoutMs} ms.`))
    }, options.timeoutMs)
    outgoing.on('error', (error) => settle(failure(error.message)))
    outgoing.end(body)
  })
}
