import { z } from 'zod'
import { forwardedHeaders, parseTrustedProxies } from './security/client-address.ts'

// The only file that reads process.env. Everything else receives a parsed, typed Env.

const booleanish = z.enum(['true', 'false', '1', '0', '']).transform((value) => value === 'true' || value === '1')

const positiveInt = (what: string) =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int(`expected ${what}`)
    .positive(`expected ${what}`)

const postgresUrl = z
  .string()
  .refine(
    (value) => /^postgres(ql)?:\/\//.test(value),
    'expected a postgres:// URL, like postgres://user@127.0.0.1:5432/dialtone',
  )

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value))

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce
      .number({ error: 'expected a port number between 0 and 65535' })
      .int('expected a port number between 0 and 65535')
      .min(0, 'expected a port number between 0 and 65535')
      .max(65535, 'expected a port number between 0 and 65535')
      .default(3000),
    HOST: z.string().default('0.0.0.0'),
    ROLE: z.enum(['web', 'worker', 'both'], { error: 'expected web, worker or both' }).default('both'),
    DATABASE_URL: optionalString.pipe(postgresUrl.optional()),
    DATA_DIR: z.string().min(1, 'expected a directory path').default('.data'),
    VAPI_API_KEY: optionalString,
    VAPI_BASE_URL: z.url({ error: 'expected a URL like https://api.vapi.ai' }).optional(),
    VAPI_WEBHOOK_AUTH: z
      .enum(['hmac', 'secret', 'bearer'], { error: 'expected hmac, secret or bearer' })
      .default('hmac'),
    VAPI_WEBHOOK_SECRET: optionalString,
    PUBLIC_URL: optionalString.pipe(z.url({ error: 'expected a URL like https://dialtone.example.com' }).optional()),
    AUTH_SECRET: optionalString.pipe(
      z.string().min(32, 'expected at least 32 characters (try: openssl rand -hex 32)').optional(),
    ),
    PROVISIONING_DEADLINE_MS: positiveInt('a positive number of milliseconds').default(900_000),
    VAPI_MAX_RPS: z.coerce
      .number({ error: 'expected a positive number' })
      .positive('expected a positive number')
      .default(5),
    VAPI_TIMEOUT_MS: positiveInt('a positive number of milliseconds').default(10_000),
    /** How old a create whose outcome was never recorded must be before Vapi is searched for its number. */
    PROVISIONING_RECONCILE_SETTLE_MS: positiveInt('a positive number of milliseconds').default(120_000),
    /** How often the reconciler, the orphan deletes and the idempotency-key cleanup run. */
    PROVISIONING_HOUSEKEEPING_MS: positiveInt('a positive number of milliseconds').default(30_000),
    SANDBOX_PORT: positiveInt('a port number').default(4010),
    SANDBOX_MIN_DELAY_MS: z.coerce.number().int().min(0, 'expected 0 or more milliseconds').default(5_000),
    SANDBOX_MAX_DELAY_MS: z.coerce.number().int().min(0, 'expected 0 or more milliseconds').default(30_000),
    /** Free numbers one sandbox account may hold at once: Vapi's real limit (5 since August 2026). */
    SANDBOX_FREE_NUMBER_LIMIT: positiveInt('a positive whole number').default(5),
    REDIS_URL: optionalString.pipe(z.url({ error: 'expected a redis:// URL' }).optional()),
    /** Where mail goes out (nodemailer's URL form). Unset: the sandbox's local mailbox, or no mail outside it. */
    SMTP_URL: optionalString.pipe(
      z
        .url({ error: 'expected an smtp:// or smtps:// URL, like smtp://user:password@smtp.example.com:587' })
        .refine((value) => /^smtps?:\/\//.test(value), 'expected an smtp:// or smtps:// URL')
        .optional(),
    ),
    MAIL_FROM: z
      .string()
      .regex(/@/, 'expected a sender address, like "dialtone <dialtone@example.com>"')
      .default('dialtone <dialtone@localhost>'),
    /** Events of one user within this window are folded into one mail (the mail waits this long). */
    MAIL_FOLD_WINDOW_MS: z.coerce.number().int().min(0, 'expected 0 or more milliseconds').default(10_000),
    /** A number still pending this long is mailed about as stuck ("well past the usual time"). */
    NOTIFY_STUCK_AFTER_MS: positiveInt('a positive number of milliseconds').default(300_000),
    /** How often the worker evaluates the admin alert rules. */
    ALERT_EVALUATION_MS: positiveInt('a positive number of milliseconds').default(60_000),
    ADMIN_ALERT_WEBHOOK_URL: optionalString.pipe(z.url({ error: 'expected an http(s):// URL' }).optional()),
    ADMIN_ALERT_WEBHOOK_SECRET: optionalString.pipe(
      z.string().min(16, 'expected at least 16 characters (try: openssl rand -hex 32)').optional(),
    ),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DEMO_ACCOUNTS: booleanish.default(true),
    /** How many proxies (load balancer, CDN) stand in front of dialtone and append to the forwarded header. */
    TRUSTED_PROXY_HOPS: z.coerce
      .number({ error: 'expected 0 or a positive whole number' })
      .int('expected 0 or a positive whole number')
      .min(0, 'expected 0 or a positive whole number')
      .default(0),
    /** Or the proxies' addresses: a comma-separated list of addresses and CIDR ranges. */
    TRUSTED_PROXIES: optionalString,
    /** Which header those proxies write the client's address into. */
    CLIENT_ADDRESS_HEADER: z
      .enum(forwardedHeaders, { error: 'expected x-forwarded-for or forwarded' })
      .default('x-forwarded-for'),
    /** Host names (besides PUBLIC_URL's) browsers reach dialtone by, comma-separated; e.g. an old domain. */
    ALLOWED_HOSTS: optionalString,
    /** Bearer token /metrics asks for; /metrics answers 404 while it is unset. */
    METRICS_TOKEN: optionalString.pipe(
      z.string().min(16, 'expected at least 16 characters (try: openssl rand -hex 32)').optional(),
    ),
    /** Outbound webhooks may go to private, loopback and link-local addresses (tests, the sandbox, a LAN). */
    WEBHOOK_ALLOW_PRIVATE_URLS: booleanish.default(false),
    /** Set by pnpm: the package where the command started (the repository root for `pnpm db:backup`); db:backup and
     * db:restore resolve the file names given from here, not from server/. */
    INIT_CWD: optionalString,
    /** Seals stored secrets (provider keys, webhook secrets); any string of 32+ characters. See README. */
    CREDENTIALS_KEY: optionalString.pipe(
      z.string().min(32, 'expected at least 32 characters (try: openssl rand -hex 32)').optional(),
    ),
    /** The key values were sealed under before CREDENTIALS_KEY changed; opens them until `pnpm credentials:rotate`. */
    CREDENTIALS_KEY_PREVIOUS: optionalString.pipe(
      z.string().min(32, 'expected at least 32 characters (the previous CREDENTIALS_KEY)').optional(),
    ),
    /**
     * Organisations without a Vapi key of their own: `platform` uses VAPI_API_KEY for them (one business running
     * dialtone); `own` makes each connect its own (a platform for many businesses). decision 0010.
     */
    VAPI_ACCOUNT_POLICY: z.enum(['platform', 'own'], { error: 'expected platform or own' }).default('platform'),
    /**
     * Where the Vapi sandbox keeps its accounts, numbers and pending assignments across restarts. Unset: DATA_DIR's
     * vapi-sandbox.json for the in-process sandbox on the embedded database; nothing kept otherwise.
     */
    SANDBOX_STATE_FILE: optionalString,
    /** Requests one API key may make per minute before 429 with Retry-After. */
    API_KEY_REQUESTS_PER_MINUTE: positiveInt('a positive whole number').default(600),
    /** Organisations' audit events older than this many days are deleted (hourly, by the notification worker). */
    AUDIT_RETENTION_DAYS: positiveInt('a positive number of days').default(365),
    /** Twilio's API. Unset: https://api.twilio.com, or the in-process Twilio sandbox in sandbox mode. */
    TWILIO_BASE_URL: optionalString.pipe(z.url({ error: 'expected a URL like https://api.twilio.com' }).optional()),
    /** Telnyx's API with its version. Unset: https://api.telnyx.com/v2, or the in-process Telnyx sandbox in sandbox mode. */
    TELNYX_BASE_URL: optionalString.pipe(z.url({ error: 'expected a URL like https://api.telnyx.com/v2' }).optional()),
    /** The Ed25519 public key Telnyx signs webhooks with (base64, from Telnyx's portal). Sandbox mode: the sandbox's. */
    TELNYX_PUBLIC_KEY: optionalString.pipe(
      z
        .string()
        .refine(
          (value) => Buffer.from(value.trim(), 'base64').length === 32,
          "expected the base64 Ed25519 public key from Telnyx's portal (32 bytes)",
        )
        .optional(),
    ),
    /** Messages in the inbound webhook log older than this many days are deleted (by the worker). */
    WEBHOOK_LOG_RETENTION_DAYS: positiveInt('a positive number of days').default(14),
    /** Keep call content (transcripts, recordings, messages, summaries) in the inbound webhook log; off by default. */
    WEBHOOK_LOG_KEEP_CALL_CONTENT: booleanish.default(false),
    /**
     * How long an organisation's server may take to answer a call message Vapi waits on (assistant-request,
     * tool-calls, ...) before Vapi gets the fallback; under Vapi's own 20 s with a margin.
     */
    CALL_EVENTS_RELAY_TIMEOUT_MS: positiveInt('a positive number of milliseconds').default(17_000),
    /** The poller's change feed (one list call per Vapi account); off: one GET per pending number, as before. */
    VAPI_CHANGE_FEED: z.enum(['on', 'off'], { error: 'expected on or off' }).default('on'),
  })
  .superRefine((env, context) => {
    if (env.SANDBOX_MIN_DELAY_MS > env.SANDBOX_MAX_DELAY_MS) {
      context.addIssue({
        code: 'custom',
        path: ['SANDBOX_MIN_DELAY_MS'],
        message: `expected at most SANDBOX_MAX_DELAY_MS (${env.SANDBOX_MAX_DELAY_MS})`,
      })
    }
    if (env.PROVISIONING_RECONCILE_SETTLE_MS <= env.VAPI_TIMEOUT_MS) {
      // A create still waiting on Vapi would be taken for an interrupted one and its number released under it.
      context.addIssue({
        code: 'custom',
        path: ['PROVISIONING_RECONCILE_SETTLE_MS'],
        message: `expected more than VAPI_TIMEOUT_MS (${env.VAPI_TIMEOUT_MS})`,
      })
    }
    if (env.VAPI_API_KEY && !env.VAPI_WEBHOOK_SECRET) {
      context.addIssue({
        code: 'custom',
        path: ['VAPI_WEBHOOK_SECRET'],
        message: 'required with VAPI_API_KEY: the shared secret Vapi uses to sign webhooks',
      })
    }
    if (env.TRUSTED_PROXIES) {
      try {
        parseTrustedProxies(env.TRUSTED_PROXIES)
      } catch (error) {
        context.addIssue({
          code: 'custom',
          path: ['TRUSTED_PROXIES'],
          message: error instanceof Error ? error.message : String(error),
        })
      }
      if (env.TRUSTED_PROXY_HOPS > 0) {
        context.addIssue({
          code: 'custom',
          path: ['TRUSTED_PROXY_HOPS'],
          message: 'set either TRUSTED_PROXY_HOPS or TRUSTED_PROXIES, not both',
        })
      }
    }
    if (env.ADMIN_ALERT_WEBHOOK_URL && !env.ADMIN_ALERT_WEBHOOK_SECRET) {
      context.addIssue({
        code: 'custom',
        path: ['ADMIN_ALERT_WEBHOOK_SECRET'],
        message: 'required with ADMIN_ALERT_WEBHOOK_URL: the secret alert webhooks are signed with',
      })
    }
    if (env.DATABASE_URL && env.VAPI_ACCOUNT_POLICY === 'own' && !env.CREDENTIALS_KEY) {
      context.addIssue({
        code: 'custom',
        path: ['CREDENTIALS_KEY'],
        message:
          'required with DATABASE_URL and VAPI_ACCOUNT_POLICY=own: at least 32 random characters that encrypt organisations’ Vapi keys (openssl rand -hex 32)',
      })
    }
    if (env.DATABASE_URL && !env.AUTH_SECRET) {
      context.addIssue({
        code: 'custom',
        path: ['AUTH_SECRET'],
        message: 'required with DATABASE_URL: at least 32 random characters that sign sessions (openssl rand -hex 32)',
      })
    }
  })

export type Env = z.infer<typeof envSchema>

export class EnvError extends Error {
  override name = 'EnvError'
}

/** Never echoed back in an error: secrets, and SMTP_URL, which usually carries a password. */
function isSecretVariable(name: string): boolean {
  return name.includes('SECRET') || name.includes('KEY') || name === 'SMTP_URL'
}

/** Parses an environment once; throws an EnvError whose message names every bad variable and what it expects. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source)
  if (result.success) return result.data
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)'
    const value = source[name]
    const shown = value === undefined ? 'unset' : isSecretVariable(name) ? 'set' : JSON.stringify(value)
    return `  ${name}: ${issue.message} (${shown})`
  })
  throw new EnvError(`Invalid environment:\n${lines.join('\n')}`)
}

export function readProcessEnv(): Env {
  return parseEnv(process.env)
}
