import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { type FormEvent, useState } from 'react'
import { ApiError, signIn } from './api.js'

/** The sign-in screen: email and password; what went wrong said in words. */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)

  async function submit(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await signIn(email.trim(), password)
      onSignedIn()
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Signing in failed. Try again.')
      setBusy(false)
    }
  }

  return (
    <Box sx={{ display: 'grid', placeItems: 'center', py: { xs: 3, sm: 8 } }}>
      <Paper
        component="form"
        onSubmit={submit}
        aria-labelledby="sign-in-title"
        variant="outlined"
        sx={{ width: '100%', maxWidth: 400, p: { xs: 2.5, sm: 4 }, display: 'grid', gap: 2, borderRadius: 3 }}
      >
        <Typography id="sign-in-title" variant="h2" component="h2">
          Sign in
        </Typography>
        <Typography color="text.secondary" sx={{ mt: -1 }}>
          With the email and password your administrator gave you.
        </Typography>
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
          autoFocus
          fullWidth
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          fullWidth
        />
        <Button type="submit" variant="contained" size="large" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </Button>
      </Paper>
    </Box>
  )
}
