import { isApiError } from '../../lib/api-error.ts'

/** Better Auth's error codes, in words an owner understands, with what to do next. */
export function describeAuthError(error: unknown, action: 'sign-in' | 'sign-up'): string {
  if (!isApiError(error)) return 'Something went wrong. Try again.'
  switch (error.code) {
    case 'INVALID_EMAIL_OR_PASSWORD':
    case 'INVALID_PASSWORD':
    case 'USER_NOT_FOUND':
      return 'That email and password do not match an account. Check them, or create an account.'
    case 'USER_ALREADY_EXISTS':
    case 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL':
    case 'SIGN_UP_WITHOUT_SESSION':
      return 'An account with this email may already exist. Sign in instead, or use another email.'
    case 'INVALID_NAME':
    case 'DEMO_ADMIN_LOOPBACK_ONLY':
      return error.message
    case 'BANNED_USER':
      return 'This account has been suspended. Contact the platform’s admins.'
    case 'PASSWORD_TOO_SHORT':
      return 'The password is too short: use at least 8 characters.'
    case 'PASSWORD_TOO_LONG':
      return 'The password is too long: use at most 128 characters.'
    case 'INVALID_EMAIL':
      return 'That does not look like an email address.'
    case 'NETWORK':
      return error.message
  }
  if (error.status === 429) {
    const wait = error.retryAfterSeconds
    return `Too many attempts. Wait ${wait ? `${wait} seconds` : 'a minute'} and try again.`
  }
  if (error.status >= 500) return 'dialtone is having trouble right now. Try again in a minute.'
  return error.message || (action === 'sign-in' ? 'Could not sign in. Try again.' : 'Could not create the account.')
}
