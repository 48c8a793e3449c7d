import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import type { Context } from 'hono'
import { authBasePath, clientIpHeader, type Auth } from '../auth/create-auth.ts'
import { isOfferedAuthRoute } from '../auth/offered-auth-routes.ts'
import { AppError } from '../lib/app-error.ts'

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}

/** The same answer with its JSON body changed (Set-Cookie and the other headers kept). */
async function rewriteJson(response: Response, change: (body: Record<string, unknown>) => void): Promise<Response> {
  if (!response.ok || !(response.headers.get('content-type') ?? '').includes('application/json')) return response
  const body = parseJsonObject(await response.text())
  const headers = new Headers(response.headers)
  headers.delete('content-length')
  if (body) change(body)
  return new Response(JSON.stringify(body), { status: response.status, headers })
}

/** The cookie carries the session; a token in a JSON body is one script-readable copy too many. */
function dropTokens(body: Record<string, unknown>): void {
  delete body.token
  const session = body.session
  if (typeof session === 'object' && session !== null) delete (session as Record<string, unknown>).token
}

const takenEmailCodes = new Set(['USER_ALREADY_EXISTS', 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL'])

/**
 * What a sign-up with a taken email answers: the status and body of a successful sign-up (a user as the library
 * shapes it, with a fresh id), but no session. So the answer does not tell who has an account here.
 */
function takenEmailAnswer(request: Record<string, unknown>): Record<string, unknown> {
  const now = new Date().toISOString()
  return {
    user: {
      name: typeof request.name === 'string' ? request.name.trim() : '',
      email: typeof request.email === 'string' ? request.email.toLowerCase() : '',
      emailVerified: false,
      image: null,
      createdAt: now,
      updatedAt: now,
      role: 'user',
      banned: false,
      banReason: null,
      banExpires: null,
      id: randomUUID(),
    },
  }
}

/**
 * A session cookie for a sign-up with a taken email: named, sized, signed and attributed like the real one (as the
 * library serialises it), for a token no session has. So the answer's headers do not tell either; the browser's
 * next get-session answers null, as for an expired cookie. (Using the cookie still tells: closing that needs
 * sign-up by email verification, see docs/security.md.)
 */
async function decoySessionCookie(auth: Auth): Promise<string> {
  const context = await auth.$context
  const { name, attributes } = context.authCookies.sessionToken
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
  const token = [...randomBytes(32)].map((byte) => alphabet[byte % alphabet.length]).join('')
  const signature = createHmac('sha256', context.secret).update(token).digest('base64')
  let cookie = `${name}=${encodeURIComponent(`${token}.${signature}`)}`
  cookie += `; Max-Age=${Math.floor(context.sessionConfig.expiresIn)}`
  if (attributes.domain) cookie += `; Domain=${attributes.domain}`
  if (attributes.path) cookie += `; Path=${attributes.path}`
  if (attributes.httpOnly) cookie += '; HttpOnly'
  if (attributes.secure) cookie += '; Secure'
  if (attributes.sameSite) {
    const sameSite = String(attributes.sameSite)
    cookie += `; SameSite=${sameSite.charAt(0).toUpperCase()}${sameSite.slice(1)}`
  }
  return cookie
}

/**
 * Hands the routes of /api/auth/* that dialtone offers (auth/offered-auth-routes.ts) to Better Auth and answers 404
 * to the rest. The client address it records is the one the trusted-proxy setting decides, set here: a header of that name sent by the
 * client is dropped, so nobody picks their own address. On the way it drops session tokens from JSON, answers a
 * sign-up with a taken email like a successful one, and ends the other sessions on a password change unless the
 * request asks to keep them.
 */
export function authProxy(
  auth: Auth,
  clientAddressOf: (c: Context) => string | undefined,
  options: { onOrganizationSwitched?: (sessionId: string) => void } = {},
) {
  return async (c: Context) => {
    const path = c.req.path.slice(authBasePath.length)
    if (!isOfferedAuthRoute(c.req.method, path)) throw new AppError('NOT_FOUND', 'No such API endpoint.')

    const headers = new Headers(c.req.raw.headers)
    headers.delete(clientIpHeader)
    const address = clientAddressOf(c)
    if (address) headers.set(clientIpHeader, address)
    headers.delete('content-length')

    let bodyText = c.req.method === 'POST' ? await c.req.text() : null
    const body = bodyText === null ? null : parseJsonObject(bodyText)
    if (path === '/change-password' && body && body.revokeOtherSessions === undefined) {
      bodyText = JSON.stringify({ ...body, revokeOtherSessions: true })
    }
    const response = await auth.handler(
      new Request(c.req.url, { method: c.req.method, headers, ...(bodyText === null ? {} : { body: bodyText }) }),
    )

    if (path === '/organization/set-active' && response.ok && options.onOrganizationSwitched) {
      // The session's sockets sit in the old organisation's room: they end, and reconnect into the new one.
      const session = await auth.api.getSession({ headers, query: { disableRefresh: true } })
      if (session) options.onOrganizationSwitched(session.session.id)
    }
    if (path === '/sign-up/email' && response.status === 422 && body) {
      const refusal = parseJsonObject(await response.clone().text())
      if (typeof refusal?.code === 'string' && takenEmailCodes.has(refusal.code)) {
        // A new account costs a password hash; a taken email costs the same, so timing tells little either.
        if (typeof body.password === 'string') await (await auth.$context).password.hash(body.password)
        c.header('set-cookie', await decoySessionCookie(auth))
        return c.json(takenEmailAnswer(body), 200)
      }
    }
    return rewriteJson(response, dropTokens)
  }
}
