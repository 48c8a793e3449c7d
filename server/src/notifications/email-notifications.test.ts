import { randomUUID } from 'node:crypto'
import { notificationPreferencesResponseSchema, mailboxSchema, mailDetailSchema } from '@dialtone/shared/notifications'
import { sql } from 'kysely'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { createNumber, eventually, phoneNumberRow } from '../../test/support/provisioning-test-kit.ts'
import { transitionPhoneNumber } from '../provisioning/phone-number-transition-repository.ts'
import { rawHeader, startSmtpReceiver, type SmtpReceiver } from '../../test/support/smtp-receiver.ts'
import { startTestApp, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'
import { runNotificationRound } from './notification-worker.ts'

/** Starting PGlite and signing owners up takes a while on a busy, shared machine. */
const setupTimeoutMs = 180_000

type Account = Awaited<ReturnType<TestApp['signUp']>>

describe.each(testDatabaseKinds)('email notifications over SMTP on %s', (kind) => {
  let harness: TestApp
  let smtp: SmtpReceiver
  let alice: Account
  let bob: Account
  let carol: Account
  let dave: Account

  const round = () => runNotificationRound(harness.notifications, { shouldEvaluateAlerts: false })

  /** Runs rounds until the outbox has nothing queued or being sent (or the time is up). */
  async function drainOutbox(timeoutMs = 5_000) {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      await round()
      const row = await harness.db
        .selectFrom('notification_outbox')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('status', 'in', ['queued', 'sending'])
        .executeTakeFirstOrThrow()
      if (Number(row.count) === 0 || Date.now() > deadline) return
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }

  /** The newest outbox row for this person, and a row by id. */
  const latestOutboxRow = (owner: Account) =>
    harness.db
      .selectFrom('notification_outbox')
      .selectAll()
      .where('user_id', '=', owner.userId)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
  const outboxRow = (id: string) =>
    harness.db.selectFrom('notification_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

  async function numberGoesLive(owner: Account, name?: string) {
    const created = await createNumber(harness, owner.cookie, '537', name)
    const row = await eventually(
      () => phoneNumberRow(harness, created.id),
      (value) => value.status === 'active',
    )
    expect(row.status).toBe('active')
    return row
  }

  async function addMember(user: Account, organizationId: string) {
    await harness.db
      .insertInto('member')
      .values({ id: randomUUID(), organizationId, userId: user.userId, role: 'member', createdAt: new Date() })
      .execute()
  }

  beforeAll(async () => {
    smtp = await startSmtpReceiver()
    harness = await startTestApp(kind, { smtpUrl: smtp.url, sandboxMinDelayMs: 100, sandboxMaxDelayMs: 300 })
    alice = await harness.signUp('Alice')
    bob = await harness.signUp('Bob')
    carol = await harness.signUp('Carol')
    dave = await harness.signUp('Dave')
    // Bob and Dave also belong to Alice's organisation; Carol has only her own.
    await addMember(bob, alice.organizationId)
    await addMember(dave, alice.organizationId)
    const optOut = await harness.request('/api/notification-preferences', {
      method: 'PUT',
      cookie: bob.cookie,
      json: { numberLive: false },
    })
    expect(optOut.status).toBe(200)
  }, setupTimeoutMs)
  afterEach(async () => {
    smtp.fail(null)
    await smtp.start().catch(() => {})
    await drainOutbox()
    smtp.received.length = 0
  })
  afterAll(async () => {
    await harness.close()
    await smtp.stop()
  })

  test('a number going live mails each member who asked for it once, and nobody else', async () => {
    const row = await numberGoesLive(alice, 'Front desk')
    await drainOutbox()
    await round()

    expect(smtp.to(alice.email)).toHaveLength(1)
    expect(smtp.to(dave.email)).toHaveLength(1)
    expect(smtp.to(bob.email)).toHaveLength(0)
    expect(smtp.to(carol.email)).toHaveLength(0)
    expect(smtp.received).toHaveLength(2)

    const mail = smtp.to(alice.email)[0]?.parsed
    const number = row.number ?? ''
    const formatted = `+1 (${number.slice(2, 5)}) ${number.slice(5, 8)}-${number.slice(8)}`
    expect(mail?.subject).toBe(`Your number ${formatted} (Front desk) is live`)
    expect(mail?.from?.text).toContain('dialtone@example.test')
    const link = `http://localhost:3999/?number=${row.id}`
    expect(mail?.text).toContain(formatted)
    expect(mail?.text).toContain(link)
    expect(mail?.html).toContain(formatted)
    expect(mail?.html).toContain(`href="${link}"`)
    if (!mail) throw new Error('no mail to Alice')
    expect(rawHeader(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
    expect(rawHeader(mail, 'List-Unsubscribe')).toMatch(
      /^<http:\/\/localhost:3999\/unsubscribe\?token=[\w-]+\.[\w-]+>$/,
    )
    expect(mail?.text).toMatch(/Unsubscribe: http:\/\/localhost:3999\/unsubscribe\?token=/)
  })

  test('a failed number is mailed with the reason and what to do; a stuck one once', async () => {
    const failed = await createNumber(harness, alice.cookie, '535')
    await eventually(
      () => phoneNumberRow(harness, failed.id),
      (value) => value.status === 'failed',
    )
    const stuck = await createNumber(harness, carol.cookie, '534', 'Night line')
    await harness.db
      .updateTable('phone_number')
      .set({ created_at: new Date(Date.now() - 10 * 60_000) })
      .where('id', '=', stuck.id)
      .execute()
    await drainOutbox()
    await drainOutbox()

    const failedMail = smtp.to(alice.email)[0]?.parsed
    expect(smtp.to(alice.email)).toHaveLength(1)
    expect(failedMail?.subject).toBe('Your number request in area code 535 could not be set up')
    expect(failedMail?.text).toContain('Why: Vapi blocked this number')
    expect(failedMail?.text).toContain('What to do: Nothing was charged.')
    const stuckMails = smtp.to(carol.email)
    expect(stuckMails).toHaveLength(1)
    expect(stuckMails[0]?.parsed.subject).toBe(
      'Your number request in area code 534 (Night line) is taking longer than usual',
    )
  })

  test('events close together are folded into one mail', async () => {
    // Long enough that the round which queues the mail cannot also find it due, on a busy machine.
    harness.notifications.foldWindowMs = 3_000
    try {
      const first = await numberGoesLive(carol, 'One')
      const second = await numberGoesLive(carol, 'Two')
      await round()
      expect(smtp.to(carol.email)).toHaveLength(0)
      await new Promise((resolve) => setTimeout(resolve, 3_100))
      await drainOutbox()
      const mails = smtp.to(carol.email)
      expect(mails).toHaveLength(1)
      expect(mails[0]?.parsed.subject).toBe('2 updates on your numbers')
      expect(mails[0]?.parsed.text).toContain(`?number=${first.id}`)
      expect(mails[0]?.parsed.text).toContain(`?number=${second.id}`)
    } finally {
      harness.notifications.foldWindowMs = 0
    }
  })

  test('preferences: read, change, and bad input changes nothing', async () => {
    const read = async () =>
      notificationPreferencesResponseSchema.parse(
        await (await harness.request('/api/notification-preferences', { cookie: carol.cookie })).json(),
      )
    expect(await read()).toMatchObject({
      numberLive: true,
      numberFailed: true,
      numberStuck: true,
      numberReleased: false,
      email: carol.email,
      mailDelivery: 'smtp',
    })
    for (const bad of [{}, { numberLive: 'yes' }, { numberLive: false, shouting: true }, []]) {
      const response = await harness.request('/api/notification-preferences', {
        method: 'PUT',
        cookie: carol.cookie,
        json: bad,
      })
      expect(response.status).toBe(400)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED')
    }
    expect((await read()).numberLive).toBe(true)
    const changed = await harness.request('/api/notification-preferences', {
      method: 'PUT',
      cookie: carol.cookie,
      json: { numberReleased: true },
    })
    expect(notificationPreferencesResponseSchema.parse(await changed.json())).toMatchObject({
      numberLive: true,
      numberReleased: true,
    })
    expect((await harness.request('/api/notification-preferences')).status).toBe(401)
  })

  test('one-click unsubscribe with the signed link, no sign-in; a forged link changes nothing', async () => {
    await numberGoesLive(dave)
    await drainOutbox()
    const received = smtp.to(dave.email)[0]
    if (!received) throw new Error('no mail to Dave')
    const header = rawHeader(received.parsed, 'List-Unsubscribe') ?? ''
    const url = new URL(header.slice(1, -1))
    const path = `${url.pathname}${url.search}`
    const readDave = async () =>
      notificationPreferencesResponseSchema.parse(
        await (await harness.request('/api/notification-preferences', { cookie: dave.cookie })).json(),
      )

    // Following the link shows a button; it unsubscribes nobody (link scanners GET every link).
    const page = await harness.app.request(path)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<form method="post"')
    expect((await readDave()).numberLive).toBe(true)

    const token = url.searchParams.get('token') ?? ''
    const forged = `${token.split('.')[0]}.${'A'.repeat(43)}`
    for (const bad of [`/unsubscribe?token=${forged}`, '/unsubscribe?token=nonsense', '/unsubscribe']) {
      const refused = await harness.app.request(bad, { method: 'POST', body: 'List-Unsubscribe=One-Click' })
      expect(refused.status).toBe(400)
    }
    expect((await readDave()).numberLive).toBe(true)

    // What a mail program does (RFC 8058): POST the header's URL with List-Unsubscribe=One-Click, no cookie.
    const unsubscribed = await harness.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(unsubscribed.status).toBe(200)
    expect(await unsubscribed.text()).toContain('You are unsubscribed')
    expect(await readDave()).toMatchObject({ numberLive: false, numberFailed: true })

    smtp.received.length = 0
    await numberGoesLive(alice)
    await drainOutbox()
    expect(smtp.to(alice.email)).toHaveLength(1)
    expect(smtp.to(dave.email)).toHaveLength(0)
  })

  test('the SMTP server down, then back: the mail arrives once, even with two workers sending', async () => {
    await smtp.stop()
    const row = await numberGoesLive(carol)
    await round()
    const queued = await harness.db
      .selectFrom('notification_outbox')
      .selectAll()
      .where('user_id', '=', carol.userId)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
    expect(queued).toMatchObject({ status: 'queued', attempts: 1 })
    expect(queued.last_error).toMatch(/ECONNREFUSED|connect/i)
    // The transition itself was never held up or undone by the mail server.
    expect((await phoneNumberRow(harness, row.id)).status).toBe('active')

    await smtp.start()
    await new Promise((resolve) => setTimeout(resolve, 60))
    await Promise.all([round(), round(), round()])
    await drainOutbox()
    await round()
    const mails = smtp.to(carol.email)
    expect(mails).toHaveLength(1)
    expect(mails[0]?.parsed.messageId).toBe(`<${queued.id}@dialtone>`)
    const sent = await harness.db
      .selectFrom('notification_outbox')
      .selectAll()
      .where('id', '=', queued.id)
      .executeTakeFirstOrThrow()
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, delivered_via: 'smtp' })
  })

  test('a mail that cannot be sent after its retries is marked failed and shows in the mailbox', async () => {
    await smtp.stop()
    await numberGoesLive(alice, 'Never mailed')
    // Retries are 50, 100 and 200 ms apart in tests: four attempts, then given up.
    await eventually(
      async () => {
        await round()
        return harness.db
          .selectFrom('notification_outbox')
          .selectAll()
          .where('user_id', '=', alice.userId)
          .orderBy('created_at', 'desc')
          .executeTakeFirstOrThrow()
      },
      (mail) => mail.status === 'failed',
    )
    const mailbox = mailboxSchema.parse(await (await harness.request('/api/mailbox', { cookie: alice.cookie })).json())
    const failed = mailbox.items[0]
    expect(failed).toMatchObject({ status: 'failed', attempts: 4, deliveredVia: null })
    expect(failed?.subject).toContain('(Never mailed) is live')
    expect(failed?.lastError).toMatch(/ECONNREFUSED|connect/i)
    await smtp.start()
    await drainOutbox()
    expect(smtp.to(alice.email)).toHaveLength(0)
    // Nobody else can open it.
    const foreign = await harness.request(`/api/mailbox/${failed?.id}`, { cookie: carol.cookie })
    expect(foreign.status).toBe(404)
  })

  test('a mail server that says "try later" (451): the mail is sent again and arrives once', async () => {
    smtp.fail({ kind: 'refuse', stage: 'data', code: 451, message: 'Greylisted, try again later', times: 1 })
    await numberGoesLive(carol, 'Greylisted')
    await round()
    const queued = await latestOutboxRow(carol)
    expect(queued).toMatchObject({ status: 'queued', attempts: 1 })
    expect(queued.last_error).toMatch(/451/)
    await drainOutbox()
    const mails = smtp.to(carol.email)
    expect(mails).toHaveLength(1)
    expect(mails[0]?.parsed.messageId).toBe(`<${queued.id}@dialtone>`)
    expect(await outboxRow(queued.id)).toMatchObject({ status: 'sent', attempts: 2, delivered_via: 'smtp' })
  })

  test('a mail server that says never (550 for the recipient): failed at once, never retried', async () => {
    smtp.fail({ kind: 'refuse', stage: 'rcpt', code: 550, message: 'No such user here', times: 4 })
    await numberGoesLive(carol, 'No such user')
    await round()
    const refused = await latestOutboxRow(carol)
    expect(refused).toMatchObject({ status: 'failed', attempts: 1 })
    expect(refused.last_error).toMatch(/550/)
    smtp.fail(null)
    await drainOutbox()
    expect(smtp.to(carol.email)).toHaveLength(0)
    expect(await outboxRow(refused.id)).toMatchObject({ status: 'failed', attempts: 1 })
  })

  test('the connection cut after the server took the message: sent again under the same Message-ID', async () => {
    smtp.fail({ kind: 'drop-after-data', times: 1 })
    await numberGoesLive(carol, 'Answer lost')
    await round()
    const queued = await latestOutboxRow(carol)
    expect(queued).toMatchObject({ status: 'queued', attempts: 1 })
    await drainOutbox()
    // SMTP cannot tell a sender whether a message whose answer was lost arrived, so it is sent again: the receiver
    // holds it twice, under one Message-ID, which mail clients and servers fold into one (at least once, never lost).
    const ids = smtp.to(carol.email).map((mail) => mail.parsed.messageId)
    expect(ids).toEqual([`<${queued.id}@dialtone>`, `<${queued.id}@dialtone>`])
    expect(await outboxRow(queued.id)).toMatchObject({ status: 'sent', attempts: 2 })
  })

  test('an event is queued in the same transaction as the status change, or not at all', async () => {
    const created = await createNumber(harness, carol.cookie, '534')
    const count = async () =>
      Number(
        (
          await harness.db
            .selectFrom('notification_event')
            .select((eb) => eb.fn.countAll<number>().as('count'))
            .where('phone_number_id', '=', created.id)
            .executeTakeFirstOrThrow()
        ).count,
      )
    await harness.db
      .transaction()
      .execute(async (trx) => {
        const changed = await transitionPhoneNumber(trx, {
          phoneNumberId: created.id,
          signal: { kind: 'released' },
          source: 'release',
          now: new Date(),
        })
        expect(changed).not.toBeNull()
        expect(
          Number(
            (
              await sql<{
                n: number
              }>`select count(*)::int as n from notification_event where phone_number_id = ${created.id}`.execute(trx)
            ).rows[0]?.n,
          ),
        ).toBe(1)
        throw new Error('roll back')
      })
      .catch(() => {})
    expect(await count()).toBe(0)
    await transitionPhoneNumber(harness.db, {
      phoneNumberId: created.id,
      signal: { kind: 'released' },
      source: 'release',
      now: new Date(),
    })
    expect(await count()).toBe(1)
  })
})

describe('the sandbox mailbox', () => {
  let harness: TestApp
  beforeAll(async () => {
    harness = await startTestApp('pglite', { sandboxMinDelayMs: 100, sandboxMaxDelayMs: 300 })
  }, setupTimeoutMs)
  afterAll(async () => harness.close())

  test('with no SMTP server, mail is kept in the local mailbox, where its owner can open it', async () => {
    const owner = await harness.signUp('Mailbox')
    const other = await harness.signUp('Other')
    const created = await createNumber(harness, owner.cookie, '537', 'Sales')
    await eventually(
      () => phoneNumberRow(harness, created.id),
      (value) => value.status === 'active',
    )
    await eventually(
      async () => {
        await runNotificationRound(harness.notifications, { shouldEvaluateAlerts: false })
        return mailboxSchema.parse(await (await harness.request('/api/mailbox', { cookie: owner.cookie })).json())
      },
      (mailbox) => mailbox.items.some((item) => item.status === 'sent'),
    )
    const mailbox = mailboxSchema.parse(await (await harness.request('/api/mailbox', { cookie: owner.cookie })).json())
    expect(mailbox.mailDelivery).toBe('mailbox')
    expect(mailbox.items).toHaveLength(1)
    expect(mailbox.items[0]).toMatchObject({ status: 'sent', deliveredVia: 'mailbox', recipient: owner.email })
    const detail = mailDetailSchema.parse(
      await (await harness.request(`/api/mailbox/${mailbox.items[0]?.id}`, { cookie: owner.cookie })).json(),
    )
    expect(detail.subject).toMatch(/\(Sales\) is live$/)
    expect(detail.textBody).toContain(`?number=${created.id}`)
    expect(detail.htmlBody).toContain('<!doctype html>')
    const othersMailbox = mailboxSchema.parse(
      await (await harness.request('/api/mailbox', { cookie: other.cookie })).json(),
    )
    expect(othersMailbox.items).toHaveLength(0)
  })
})
