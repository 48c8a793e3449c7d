export const mailboxQueryKeys = {
  all: ['mailbox'] as const,
  list: () => [...mailboxQueryKeys.all, 'list'] as const,
  detail: (id: string) => [...mailboxQueryKeys.all, 'detail', id] as const,
}
