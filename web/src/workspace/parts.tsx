/** Small pieces the sales screens share: the signing badge, in the app's language. */
import Chip from '@mui/material/Chip'
import { useTranslation } from 'react-i18next'
import type { SigningStatus } from './workspace-api.js'

const COLORS: Record<SigningStatus, 'default' | 'warning' | 'success' | 'error' | 'info'> = {
  created: 'info',
  sent: 'warning',
  signing: 'warning',
  signed: 'success',
  declined: 'error',
  expired: 'error',
}

type T = ReturnType<typeof useTranslation>['t']

/** A signing status as the badge names it: "Out for signing", "Signed". */
export function signingLabel(t: T, status: SigningStatus | string): string {
  switch (status) {
    case 'created':
      return t('workspace:signing.created')
    case 'sent':
      return t('workspace:signing.sent')
    case 'signing':
      return t('workspace:signing.signing')
    case 'signed':
      return t('workspace:signing.signed')
    case 'declined':
      return t('workspace:signing.declined')
    case 'expired':
      return t('workspace:signing.expired')
    default:
      return status
  }
}

/** The same status inside a sentence ("Contract: out for signing"). */
function signingInSentence(t: T, status: SigningStatus | string): string {
  switch (status) {
    case 'created':
      return t('workspace:signingInSentence.created')
    case 'sent':
      return t('workspace:signingInSentence.sent')
    case 'signing':
      return t('workspace:signingInSentence.signing')
    case 'signed':
      return t('workspace:signingInSentence.signed')
    case 'declined':
      return t('workspace:signingInSentence.declined')
    case 'expired':
      return t('workspace:signingInSentence.expired')
    default:
      return status
  }
}

/** Where the newest document's signing stands: "Signing 1/2", "Signed", "Declined". */
export function SigningBadge({
  signing,
}: {
  signing: { status: SigningStatus; signed: number; parties: number; title: string }
}) {
  const { t } = useTranslation('workspace')
  const label = signingLabel(t, signing.status)
  const inProgress = (signing.status === 'sent' || signing.status === 'signing') && signing.parties > 0
  const progress = inProgress ? ` ${signing.signed}/${signing.parties}` : ''
  const status = signingInSentence(t, signing.status)
  return (
    <Chip
      size="small"
      color={COLORS[signing.status] ?? 'default'}
      variant={signing.status === 'signed' ? 'filled' : 'outlined'}
      label={`${label}${progress}`}
      title={
        inProgress
          ? t('signing.titleProgress', {
              title: signing.title,
              status,
              signed: signing.signed,
              parties: signing.parties,
            })
          : t('signing.title', { title: signing.title, status })
      }
      data-testid="signing-badge"
    />
  )
}
