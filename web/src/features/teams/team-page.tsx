import { useId, useState, type FormEvent } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { toast } from '../../lib/toast.tsx'
import type { Invitation, Member, OrganizationRole } from '@dialtone/shared/teams'
import { copyText } from '../../lib/copy-text.ts'
import { changeMemberRole, createInvitation, removeMember, revokeInvitation } from './teams-api.ts'
import { teamsQueryKeys } from './teams-query-keys.ts'
import { reasonWithout, useMembers } from './use-permissions.ts'
import './teams.css'

const roleDescriptions: Record<OrganizationRole, string> = {
  owner: 'everything: members, connections, webhooks, settings',
  admin: 'buys, releases and assigns numbers',
  member: 'watches and checks numbers',
}

function formatDate(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

function useTeamMutation<Input, Output>(run: (input: Input) => Promise<Output>, success: (input: Input) => string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: run,
    onSuccess: async (_result, input) => {
      await queryClient.invalidateQueries({ queryKey: teamsQueryKeys.all })
      toast.success(success(input))
    },
    onError: (error) => toast.error(error.message),
  })
}

export function TeamPage() {
  const members = useMembers({ isWatching: true })
  const data = members.data
  const canManage = data?.you.permissions.includes('members:manage') ?? false
  const [fresh, setFresh] = useState<Invitation | null>(null)

  return (
    <main id="main" className="page team-page">
      <h1>Team{data ? ` of ${data.organization.name}` : ''}</h1>
      <p className="muted">
        Owners invite people by email. Members watch and check numbers; admins also buy, release and assign them; owners
        also manage members, connections, webhooks and settings.
      </p>
      {members.isPending && <p className="muted">Loading the team…</p>}
      {members.isError && <p role="alert">{members.error.message}</p>}
      {data && !canManage && (
        <p className="panel team-note" data-testid="team-read-only">
          You are {data.you.role === 'admin' ? 'an admin' : 'a member'} here. {reasonWithout['members:manage']}
        </p>
      )}
      {data && canManage && <InviteForm onInvited={setFresh} />}
      {fresh && <InvitationLink invitation={fresh} onDismiss={() => setFresh(null)} />}
      {data && (
        <section className="panel" aria-labelledby="members-heading">
          <h2 id="members-heading">Members ({data.items.length})</h2>
          <ul className="member-list" data-testid="member-list">
            {data.items.map((member) => (
              <MemberRow key={member.id} member={member} canManage={canManage} />
            ))}
          </ul>
        </section>
      )}
      {data && canManage && (
        <section className="panel" aria-labelledby="invitations-heading">
          <h2 id="invitations-heading">Pending invitations</h2>
          {data.invitations.length === 0 ? (
            <p className="muted">None waiting.</p>
          ) : (
            <ul className="member-list" data-testid="invitation-list">
              {data.invitations.map((invitation) => (
                <InvitationRow key={invitation.id} invitation={invitation} />
              ))}
            </ul>
          )}
        </section>
      )}
    </main>
  )
}

function InviteForm({ onInvited }: { onInvited: (invitation: Invitation) => void }) {
  const ids = useId()
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<'admin' | 'member'>('member')
  const invite = useTeamMutation(createInvitation, (input) => `Invitation sent to ${input.email}.`)

  function submit(event: FormEvent) {
    event.preventDefault()
    invite.mutate(
      { email: email.trim(), role },
      {
        onSuccess: (created) => {
          setEmail('')
          onInvited(created)
        },
      },
    )
  }

  return (
    <form className="panel invite-form" onSubmit={submit} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Invite someone</h2>
      <div className="invite-fields">
        <div className="field">
          <label htmlFor={`${ids}-email`}>Email</label>
          <input
            id={`${ids}-email`}
            type="email"
            required
            autoComplete="off"
            placeholder="teammate@example.com"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-role`}>Role</label>
          <select
            id={`${ids}-role`}
            value={role}
            onChange={(event) => setRole(event.target.value === 'admin' ? 'admin' : 'member')}
          >
            <option value="member">Member — {roleDescriptions.member}</option>
            <option value="admin">Admin — {roleDescriptions.admin}</option>
          </select>
        </div>
        <button type="submit" className="button button-primary" disabled={invite.isPending}>
          {invite.isPending ? 'Inviting…' : 'Send invitation'}
        </button>
      </div>
      {invite.isError && (
        <p className="form-error" role="alert">
          {invite.error.message}
        </p>
      )}
    </form>
  )
}

function CopyLinkButton({ url }: { url: string }) {
  return (
    <button
      type="button"
      className="button button-small button-copy"
      onClick={() =>
        copyText(url).then(
          () => toast.success('Link copied.'),
          (error: unknown) => toast.error(error instanceof Error ? error.message : 'Could not copy.'),
        )
      }
    >
      Copy link
    </button>
  )
}

function InvitationLink({ invitation, onDismiss }: { invitation: Invitation; onDismiss: () => void }) {
  return (
    <section className="panel invitation-link" role="status" data-testid="invitation-link">
      <h2>Invitation for {invitation.email}</h2>
      <p>
        dialtone mailed them this link. You can also pass it on yourself; it works once, for {invitation.email}, until{' '}
        {formatDate(invitation.expiresAt)}.
      </p>
      <p className="invitation-url">
        <code data-testid="invitation-url">{invitation.acceptUrl}</code>
      </p>
      <div className="card-actions">
        <CopyLinkButton url={invitation.acceptUrl} />
        <button type="button" className="button button-quiet button-small" onClick={onDismiss}>
          Done
        </button>
      </div>
    </section>
  )
}

function InvitationRow({ invitation }: { invitation: Invitation }) {
  const revoke = useTeamMutation(revokeInvitation, () => `Invitation for ${invitation.email} revoked.`)
  const isExpired = invitation.status === 'expired'
  return (
    <li className="member-row">
      <div className="member-who">
        <strong>{invitation.email}</strong>
        <span className="muted">
          {invitation.role} · {isExpired ? 'expired' : `expires ${formatDate(invitation.expiresAt)}`} · invited by{' '}
          {invitation.invitedBy}
        </span>
      </div>
      <div className="member-actions">
        {!isExpired && <CopyLinkButton url={invitation.acceptUrl} />}
        <button
          type="button"
          className="button button-quiet button-small"
          disabled={revoke.isPending}
          onClick={() => revoke.mutate(invitation.id)}
        >
          Revoke
        </button>
      </div>
    </li>
  )
}

function MemberRow({ member, canManage }: { member: Member; canManage: boolean }) {
  const ids = useId()
  const [isConfirming, setIsConfirming] = useState(false)
  const changeRole = useTeamMutation(
    (role: OrganizationRole) => changeMemberRole(member.id, role),
    (role) => `${member.name} is now ${role === 'admin' ? 'an admin' : `a ${role}`}.`,
  )
  const remove = useTeamMutation(
    () => removeMember(member.id),
    () => (member.isYou ? 'You left the organisation.' : `${member.name} was removed.`),
  )

  return (
    <li className="member-row" data-testid="member-row" data-email={member.email}>
      <div className="member-who">
        <strong>
          {member.name}
          {member.isYou && <span className="muted"> (you)</span>}
        </strong>
        <span className="muted">
          {member.email} · joined {formatDate(member.joinedAt)}
        </span>
      </div>
      <div className="member-actions">
        {canManage ? (
          <>
            <label htmlFor={`${ids}-role`} className="visually-hidden">
              Role of {member.name}
            </label>
            <select
              id={`${ids}-role`}
              value={member.role}
              disabled={changeRole.isPending}
              onChange={(event) => {
                const role = event.target.value
                if (role === 'owner' || role === 'admin' || role === 'member') changeRole.mutate(role)
              }}
            >
              <option value="owner">Owner</option>
              <option value="admin">Admin</option>
              <option value="member">Member</option>
            </select>
          </>
        ) : (
          <span className={`role-badge role-${member.role}`}>{member.role}</span>
        )}
        {(canManage || member.isYou) &&
          (isConfirming ? (
            <span className="confirm-remove" role="group" aria-label={`Confirm removing ${member.name}`}>
              <span>{member.isYou ? 'Leave this organisation?' : `Remove ${member.name}?`}</span>
              <button
                type="button"
                className="button button-danger button-small"
                disabled={remove.isPending}
                onClick={() => remove.mutate(undefined, { onSettled: () => setIsConfirming(false) })}
              >
                {member.isYou ? 'Leave' : 'Remove'}
              </button>
              <button type="button" className="button button-quiet button-small" onClick={() => setIsConfirming(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" className="button button-quiet button-small" onClick={() => setIsConfirming(true)}>
              {member.isYou ? 'Leave' : 'Remove'}
            </button>
          ))}
      </div>
    </li>
  )
}
