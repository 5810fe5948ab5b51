import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { type FormEvent, useState } from 'react'
import { ApiError, changeMyPassword } from './api.js'

/** After signing in with a password someone else chose: choose your own before anything else. */
export function ChangePassword({ name, onChanged }: { name: string; onChanged: () => void }) {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [again, setAgain] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (next !== again) {
      setError('The two new passwords differ.')
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      await changeMyPassword(current, next)
      onChanged()
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Changing the password failed. Try again.')
      setBusy(false)
    }
  }

  return (
    <Box sx={{ display: 'grid', placeItems: 'center', py: { xs: 3, sm: 8 } }}>
      <Paper
        component="form"
        onSubmit={submit}
        aria-labelledby="change-password-title"
        variant="outlined"
        sx={{ width: '100%', maxWidth: 420, p: { xs: 2.5, sm: 4 }, display: 'grid', gap: 2, borderRadius: 3 }}
      >
        <Typography id="change-password-title" variant="h2" component="h2">
          Choose your password
        </Typography>
        <Typography color="text.secondary" sx={{ mt: -1 }}>
          Welcome, {name}. You signed in with a password someone else chose; choose your own to go on.
        </Typography>
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          required
          autoFocus
          fullWidth
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          helperText="At least 10 characters"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          required
          fullWidth
        />
        <TextField
          label="New password again"
          type="password"
          autoComplete="new-password"
          value={again}
          onChange={(e) => setAgain(e.target.value)}
          required
          fullWidth
        />
        <Button type="submit" variant="contained" size="large" disabled={busy}>
          {busy ? 'Saving…' : 'Save and go on'}
        </Button>
      </Paper>
    </Box>
  )
}
