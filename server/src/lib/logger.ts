import pino from 'pino'

export type Logger = pino.Logger

// Secrets never reach the logs: request headers that carry them and any field named like one are censored.
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-vapi-secret"]',
        'req.headers["x-signature"]',
        '*.password',
        '*.secret',
        'apiKey',
        '*.apiKey',
        '*.*.apiKey',
        'secret_ciphertext',
        '*.secret_ciphertext',
        '*.token',
        'headers.authorization',
        'headers.cookie',
      ],
      censor: '[redacted]',
    },
  }
  // A destination other than stdout is for tests that read what would have been logged.
  return destination ? pino(options, destination) : pino(options)
}
