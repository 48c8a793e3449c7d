import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startTestApp, type TestApp } from '../../test/support/test-app.ts'
import { testDatabaseKinds } from '../../test/support/test-databases.ts'

describe.each(testDatabaseKinds)('area codes with no numbers, on %s', (kind) => {
  let harness: TestApp
  let cookie: string
  beforeAll(async () => {
    harness = await startTestApp(kind)
    cookie = (await harness.signUp('Owner')).cookie
  })
  afterAll(async () => {
    await harness.close()
  })

  const holdingCount = async () =>
    ((await (await fetch(`${harness.sandbox.url}/_sandbox/phone-numbers`)).json()) as unknown[]).length
  const attemptCount = async () =>
    Number(
      (
        await harness.db
          .selectFrom('provisioning_attempt')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  const create = (areaCode: string) =>
    harness.request('/api/phone-numbers', { method: 'POST', json: { areaCode }, cookie })

  test('555, reserved and unassigned codes are refused with 400 VALIDATION_FAILED and nothing is bought', async () => {
    const holdingsBefore = await holdingCount()
    const attemptsBefore = await attemptCount()
    const refusals: Record<string, RegExp> = {
      '555': /^areaCode: 555 is kept for directory assistance/,
      '372': /^areaCode: 37X and 96X codes are held in reserve/,
      // Well-formed but assigned to nobody (and not one of the sandbox's magic codes).
      '538': /^No area code 538 is in service in the United States.*Nothing was bought/,
      '999': /^areaCode: No area code has 9 as its middle digit/,
    }
    for (const [areaCode, message] of Object.entries(refusals)) {
      const response = await create(areaCode)
      expect(response.status, areaCode).toBe(400)
      const body = (await response.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('VALIDATION_FAILED')
      expect(body.error.message).toMatch(message)
    }
    expect(await holdingCount()).toBe(holdingsBefore)
    expect(await attemptCount()).toBe(attemptsBefore)
  })

  test('"(415)" and "+1 415" are read as 415', async () => {
    for (const written of ['(415)', '+1 415']) {
      const response = await create(written)
      expect(response.status, written).toBe(201)
      expect(await response.json()).toMatchObject({ areaCode: '415', status: 'pending' })
    }
  })
})
