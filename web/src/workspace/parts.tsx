/** Small pieces the sales screens share: money and dates for people, and the signing badge. */
import Chip from '@mui/material/Chip'
import type { SigningStatus } from './workspace-api.js'

/** 12000 EUR → "€12,000.00"; without a currency, the number alone. */
export function money(amount: number, currency: string | null): string {
  if (currency && /^[A-Z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount)
    } catch {
      // An unknown currency code: the number, then the code.
    }
  }
  const text = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(amount)
  return currency ? `${text} ${currency}` : text
}

/** An ISO moment in the browser's time zone: "24 Nov 2026, 14:05". */
export function when(iso: string | null | undefined): string {
  if (!iso) return ''
  const t = Date.parse(iso)
  if (!Number.isFinite(t)) return iso
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(t)
}

const SIGNING: Record<SigningStatus, { label: string; color: 'default' | 'warning' | 'success' | 'error' | 'info' }> = {
  created: { label: 'Document ready', color: 'info' },
  sent: { label: 'Out for signing', color: 'warning' },
  signing: { label: 'Signing', color: 'warning' },
  signed: { label: 'Signed', color: 'success' },
  declined: { label: 'Declined', color: 'error' },
  expired: { label: 'Expired', color: 'error' },
}

/** Where the newest document's signing stands: "Signing 1/2", "Signed", "Declined". */
export function SigningBadge({
  signing,
}: {
  signing: { status: SigningStatus; signed: number; parties: number; title: string }
}) {
  const look = SIGNING[signing.status] ?? { label: signing.status, color: 'default' as const }
  const progress =
    (signing.status === 'sent' || signing.status === 'signing') && signing.parties > 0
      ? ` ${signing.signed}/${signing.parties}`
      : ''
  return (
    <Chip
      size="small"
      color={look.color}
      variant={signing.status === 'signed' ? 'filled' : 'outlined'}
      label={`${look.label}${progress}`}
      title={`${signing.title}: ${look.label.toLowerCase()}${progress ? ` (${signing.signed} of ${signing.parties} signed)` : ''}`}
      data-testid="signing-badge"
    />
  )
}
