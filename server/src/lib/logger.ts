import pino from 'pino'

export type Logger = pino.Logger

// Secrets never reach the logs: request headers that carry them and any field named like one are censored.
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-vapi-secret"]',
        'req.headers["x-signature"]',
        '*.password',
        '*.secret',
        '*.apiKey',
        '*.token',
        'headers.authorization',
        'headers.cookie',
      ],
      censor: '[redacted]',
    },
  })
}
