/** Minor units to a price in the order's currency, as the browser's locale writes it. */
export function money(minor: number | undefined, currency: string): string {
  if (minor === undefined) return '';
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 100);
}

export function when(iso: string | undefined): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

/** "3 min ago", for how long something has waited. */
export function since(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}
