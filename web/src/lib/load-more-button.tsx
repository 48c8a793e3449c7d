/** The "older …" button under a cursor-paged log: shown while there is a next page, busy while it loads. */
export function LoadMoreButton({
  pages,
  label,
}: {
  pages: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> }
  label: string
}) {
  if (!pages.hasNextPage) return null
  return (
    <button
      type="button"
      className="button load-more"
      disabled={pages.isFetchingNextPage}
      onClick={() => void pages.fetchNextPage()}
    >
      {pages.isFetchingNextPage ? 'Loading…' : label}
    </button>
  )
}
