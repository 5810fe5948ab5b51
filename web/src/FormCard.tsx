import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { type FormEvent, type ReactNode, useId, useState } from 'react'
import { ApiError } from './api.js'

interface FormCardProps {
  title: string
  intro: ReactNode
  submitLabel: string
  busyLabel: string
  /** Said when the request fails without an answer of the server's (e.g. the network). */
  failure: string
  /** A mistake found before sending (e.g. two passwords differ), in words; undefined when there is none. */
  check?: () => string | undefined
  /** Sends the form; an `ApiError` it throws is shown as the server worded it. */
  submit: () => Promise<void>
  maxWidth?: number
  children: ReactNode
}

/** A small form alone on the page (signing in, choosing a password): title, words, fields, one button. */
export function FormCard({
  title,
  intro,
  submitLabel,
  busyLabel,
  failure,
  check,
  submit,
  maxWidth,
  children,
}: FormCardProps) {
  const titleId = useId()
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)

  async function onSubmit(event: FormEvent) {
    event.preventDefault()
    const mistake = check?.()
    if (mistake) {
      setError(mistake)
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      await submit()
    } catch (e) {
      setError(e instanceof ApiError ? e.message : failure)
      setBusy(false)
    }
  }

  return (
    <Box sx={{ display: 'grid', placeItems: 'center', py: { xs: 3, sm: 8 } }}>
      <Paper
        component="form"
        onSubmit={onSubmit}
        aria-labelledby={titleId}
        variant="outlined"
        sx={{
          width: '100%',
          maxWidth: maxWidth ?? 400,
          p: { xs: 2.5, sm: 4 },
          display: 'grid',
          gap: 2,
          borderRadius: 3,
        }}
      >
        <Typography id={titleId} variant="h2" component="h2">
          {title}
        </Typography>
        <Typography color="text.secondary" sx={{ mt: -1 }}>
          {intro}
        </Typography>
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
        {children}
        <Button type="submit" variant="contained" size="large" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </Button>
      </Paper>
    </Box>
  )
}

interface FormFieldProps {
  label: string
  type: 'email' | 'password' | 'text'
  autoComplete: string
  value: string
  onChange: (value: string) => void
  name?: string
  helperText?: string
  autoFocus?: boolean
}

/** A required, full-width field of a {@link FormCard}. */
export function FormField({ onChange, ...props }: FormFieldProps) {
  return <TextField {...props} onChange={(e) => onChange(e.target.value)} required fullWidth />
}
