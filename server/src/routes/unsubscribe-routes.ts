import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { Clock } from '../lib/clock.ts'
import { escapeHtml } from '../notifications/render-mail.ts'
import { updatePreferences } from '../notifications/notification-repository.ts'
import { verifyUnsubscribeToken, type PreferenceKey } from '../notifications/unsubscribe-token.ts'

const preferenceNames = {
  numberLive: 'a number going live',
  numberFailed: 'a number that failed',
  numberStuck: 'a number taking longer than usual',
  numberReleased: 'a number released',
  adminAlerts: 'admin alerts',
} as const satisfies Record<PreferenceKey, string>

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)} · dialtone</title></head>
<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5">
<h1 style="font-size:1.4rem">${escapeHtml(title)}</h1>${body}</body></html>`
}

const invalidLink = page(
  'This unsubscribe link is not valid',
  '<p>It may have been cut short by your mail program. Sign in to dialtone and choose which mail you get under Settings.</p>',
)

/**
 * One-click unsubscribe (RFC 8058) with no sign-in: the signed token names the user and the preferences to turn
 * off. Mail programs POST `List-Unsubscribe=One-Click`; a person who follows the link gets a page with a button,
 * because link scanners GET every link in a mail and must not unsubscribe anyone. Mounted at /unsubscribe.
 */
export function unsubscribeRoutes(deps: { db: Kysely<Database>; clock: Clock; secret: string; publicUrl: string }) {
  const read = (token: string | undefined) => (token ? verifyUnsubscribeToken(deps.secret, token) : null)
  const describe = (preferences: PreferenceKey[]) => preferences.map((key) => preferenceNames[key]).join(', ')
  return new Hono()
    .get('/', (c) => {
      const token = c.req.query('token')
      const request = read(token)
      c.header('Cache-Control', 'no-store')
      if (!request || !token) return c.html(invalidLink, 400)
      return c.html(
        page(
          'Unsubscribe',
          `<p>Stop emails about ${escapeHtml(describe(request.preferences))}?</p>
<form method="post" action="/unsubscribe?token=${escapeHtml(encodeURIComponent(token))}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit" style="font-size:1rem;padding:.5rem 1rem">Unsubscribe</button></form>`,
        ),
      )
    })
    .post('/', async (c) => {
      const request = read(c.req.query('token'))
      c.header('Cache-Control', 'no-store')
      if (!request) return c.html(invalidLink, 400)
      const update = Object.fromEntries(request.preferences.map((key) => [key, false]))
      const user = await deps.db.selectFrom('user').select('id').where('id', '=', request.userId).executeTakeFirst()
      // A deleted account has nothing left to unsubscribe; the answer is the same, so it reveals nothing.
      if (user) await updatePreferences(deps.db, request.userId, update, deps.clock.now())
      return c.html(
        page(
          'You are unsubscribed',
          `<p>dialtone will no longer email you about ${escapeHtml(describe(request.preferences))}.</p>
<p><a href="${escapeHtml(deps.publicUrl)}/settings">Choose which mail you get</a></p>`,
        ),
      )
    })
}
