import { useId, useState, type FormEvent } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Link } from '../../lib/link.tsx'
import { navigate, routes } from '../../lib/router.ts'
import { takePendingInvitationPath } from '../teams/pending-invitation.ts'
import { isPlatformAdmin, signIn, signUp, type Session } from './auth-api.ts'
import { authQueryKeys } from './auth-query-keys.ts'
import { describeAuthError } from './describe-auth-error.ts'

const minimumPasswordLength = 8

/** Sign in and sign up share one form: sign-up only adds a name and the password rule. */
export function AuthPage({ mode }: { mode: 'sign-in' | 'sign-up' }) {
  const isSignUp = mode === 'sign-up'
  const queryClient = useQueryClient()
  const ids = useId()
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [isPasswordTouched, setIsPasswordTouched] = useState(false)

  const mutation = useMutation({
    mutationFn: async () => {
      if (isSignUp) await signUp({ name: name.trim(), email: email.trim(), password })
      else await signIn({ email: email.trim(), password })
    },
    onSuccess: async () => {
      // Whoever was cached before (another account in this tab) must not leak into the new session.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== authQueryKeys.all[0] })
      await queryClient.invalidateQueries({ queryKey: authQueryKeys.session() })
      // An admin's own organisation rarely buys numbers: the analytics are where an admin works.
      const user = queryClient.getQueryData<Session>(authQueryKeys.session())?.user
      // An invitation link opened before signing in is where they were going.
      const invitationPath = takePendingInvitationPath()
      navigate(invitationPath ?? (user && isPlatformAdmin(user) ? routes.admin : routes.home), { replace: true })
    },
  })

  const passwordProblem =
    isSignUp && password.length > 0 && password.length < minimumPasswordLength
      ? `Use at least ${minimumPasswordLength} characters (${minimumPasswordLength - password.length} more).`
      : null
  const isComplete =
    email.trim() !== '' && password !== '' && (!isSignUp || (name.trim() !== '' && passwordProblem === null))

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (!isComplete || mutation.isPending) return
    mutation.mutate()
  }

  const title = isSignUp ? 'Create your dialtone account' : 'Sign in to dialtone'
  const errorId = `${ids}-error`
  const passwordHintId = `${ids}-password-hint`

  return (
    <main className="auth-page" id="main">
      <section className="auth-card" aria-labelledby={`${ids}-title`}>
        <h1 id={`${ids}-title`}>{title}</h1>
        <p className="muted">
          {isSignUp
            ? 'Get phone numbers for your Vapi voice assistants, live in seconds.'
            : 'Welcome back. Your numbers are waiting.'}
        </p>
        <form
          onSubmit={handleSubmit}
          noValidate
          data-testid={isSignUp ? 'sign-up-form' : 'sign-in-form'}
          aria-describedby={mutation.isError ? errorId : undefined}
        >
          {isSignUp && (
            <div className="field">
              <label htmlFor={`${ids}-name`}>Your name</label>
              <input
                id={`${ids}-name`}
                name="name"
                autoComplete="name"
                required
                maxLength={100}
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
            </div>
          )}
          <div className="field">
            <label htmlFor={`${ids}-email`}>Email</label>
            <input
              id={`${ids}-email`}
              name="email"
              type="email"
              autoComplete={isSignUp ? 'email' : 'username'}
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-password`}>Password</label>
            <input
              id={`${ids}-password`}
              name="password"
              type="password"
              autoComplete={isSignUp ? 'new-password' : 'current-password'}
              required
              minLength={isSignUp ? minimumPasswordLength : undefined}
              aria-invalid={isPasswordTouched && passwordProblem !== null}
              aria-describedby={isSignUp ? passwordHintId : undefined}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              onBlur={() => setIsPasswordTouched(true)}
            />
            {isSignUp && (
              <p id={passwordHintId} className={isPasswordTouched && passwordProblem ? 'field-error' : 'field-hint'}>
                {isPasswordTouched && passwordProblem ? passwordProblem : 'At least 8 characters.'}
              </p>
            )}
          </div>
          {mutation.isError && (
            <p id={errorId} className="form-error" role="alert">
              {describeAuthError(mutation.error, mode)}
            </p>
          )}
          <button type="submit" className="button button-primary" disabled={!isComplete || mutation.isPending}>
            {mutation.isPending && <span className="spinner" aria-hidden="true" />}
            {isSignUp
              ? mutation.isPending
                ? 'Creating account…'
                : 'Create account'
              : mutation.isPending
                ? 'Signing in…'
                : 'Sign in'}
          </button>
        </form>
        <p className="auth-switch">
          {isSignUp ? (
            <>
              Already have an account? <Link to={routes.signIn}>Sign in</Link>
            </>
          ) : (
            <>
              New to dialtone? <Link to={routes.signUp}>Create an account</Link>
            </>
          )}
        </p>
      </section>
    </main>
  )
}
