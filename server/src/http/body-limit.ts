import { bodyLimit } from 'hono/body-limit'
import { AppError } from '../lib/app-error.ts'

/** Refuses a body over maxBytes with 413 PAYLOAD_TOO_LARGE in the API's error shape. */
export function limitBodySize(maxBytes: number, message: string) {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      // The rest of an oversized body is not read; closing the connection after the answer keeps a sender from
      // writing its next request behind the unread bytes of this one.
      c.header('Connection', 'close')
      return c.json(new AppError('PAYLOAD_TOO_LARGE', message).toBody(), 413)
    },
  })
}
