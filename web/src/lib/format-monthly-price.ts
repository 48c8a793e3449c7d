/** A carrier's monthly price, like "$1.15/mo" in the browser's locale; the carrier's own text when it is not a number. */
export function formatMonthlyPrice(price: { amount: string; currency: string }): string {
  const amount = Number(price.amount)
  if (!Number.isFinite(amount)) return `${price.amount} ${price.currency}/mo`
  try {
    return `${new Intl.NumberFormat(undefined, { style: 'currency', currency: price.currency }).format(amount)}/mo`
  } catch {
    return `${price.amount} ${price.currency}/mo`
  }
}
