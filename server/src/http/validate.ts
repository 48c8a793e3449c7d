import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import type { $ZodError, $ZodType } from 'zod/v4/core'
import { AppError } from '../lib/app-error.ts'

/** zValidator that answers the API's one error shape: 400 VALIDATION_FAILED with each field's problem. */
export function validate<Target extends keyof ValidationTargets, Schema extends $ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw validationFailed(result.error)
  })
}

/** The API's 400 for a zod error: the first problem in the message, every field's in details.issues. */
export function validationFailed(error: $ZodError): AppError {
  const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
  const first = issues[0]
  const message = first ? (first.path ? `${first.path}: ${first.message}` : first.message) : 'The request is not valid.'
  return new AppError('VALIDATION_FAILED', message, { issues })
}
