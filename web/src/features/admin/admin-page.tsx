/** Platform admins' provisioning analytics. The app mounts it at /admin for admins only. */
export function AdminPage() {
  return (
    <main className="admin-page">
      <h1>Provisioning analytics</h1>
      <p>Loading…</p>
    </main>
  )
}
