/** The public verify page: drop a PDF, learn whether we sealed it and whether it changed since. */
import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useEffect, useState } from 'react'
import { CheckCircleIcon, ErrorIcon, FileIcon } from '../icons.js'
import { PublicShell } from './PublicShell.js'

interface Verification {
  sealedByUs: boolean
  unchanged: boolean
  problem: string | null
  document: { number: string; title: string; completedAt: string } | null
  signatures: Array<{
    valid: boolean
    signer: string | null
    signingTime: string | null
    ours: boolean
    problem: string | null
  }>
}

async function verify(file: File): Promise<Verification> {
  const res = await fetch('/api/public/verify', {
    method: 'POST',
    headers: { 'content-type': 'application/pdf', accept: 'application/json' },
    body: file,
  })
  const body = (await res.json().catch(() => undefined)) as (Verification & { error?: { message: string } }) | undefined
  if (!res.ok || !body) throw new Error(body?.error?.message ?? `The server answered ${res.status}.`)
  return body
}

export function VerifyPage() {
  const [file, setFile] = useState<File | undefined>()
  const [result, setResult] = useState<Verification | undefined>()
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    document.title = 'Check a signed document'
  }, [])

  const check = async (chosen: File) => {
    setFile(chosen)
    setResult(undefined)
    setError(undefined)
    if (chosen.size > 10 * 1024 * 1024) {
      setError('The file is larger than 10 MB; this page checks smaller ones.')
      return
    }
    setBusy(true)
    try {
      setResult(await verify(chosen))
    } catch (e) {
      setError(e instanceof Error ? e.message : 'The check failed; try again.')
    } finally {
      setBusy(false)
    }
  }

  const good = result?.sealedByUs && result.unchanged
  // Our seal is there but no longer matches the bytes: changed after sealing, not someone else's file.
  const changed = result !== undefined && (result.sealedByUs || result.signatures.some((s) => s.ours && !s.valid))
  return (
    <PublicShell title="Check a signed document" width="sm">
      <Stack spacing={2}>
        <Typography color="text.secondary">
          Choose a PDF signed through Signflow. We check its digital seal here and keep nothing of it.
        </Typography>
        <Button
          variant="contained"
          component="label"
          startIcon={<FileIcon />}
          disabled={busy}
          sx={{ alignSelf: 'flex-start' }}
        >
          {busy ? 'Checking…' : 'Choose a PDF'}
          <input
            hidden
            type="file"
            accept="application/pdf,.pdf"
            data-testid="verify-file"
            onChange={(e) => {
              const chosen = e.target.files?.[0]
              if (chosen) void check(chosen)
            }}
          />
        </Button>
        {file && (
          <Typography variant="body2" color="text.secondary">
            {file.name}
          </Typography>
        )}
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
        {result && (
          <Paper variant="outlined" sx={{ p: 2, borderRadius: 3 }} role="status" data-testid="verify-result">
            <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', mb: 1 }}>
              {good ? <CheckCircleIcon color="success" /> : <ErrorIcon color="error" />}
              <Typography variant="h2" component="h2">
                {good ? 'Sealed by us and unchanged' : changed ? 'Changed after it was sealed' : 'Not sealed by us'}
              </Typography>
            </Stack>
            {result.document && (
              <Typography>
                This is {result.document.title}, completed {result.document.completedAt.slice(0, 10)}.
              </Typography>
            )}
            {result.problem && <Typography color="text.secondary">{result.problem}</Typography>}
            {result.signatures.map((s, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the file's signatures, in file order, never reordered
              <Typography key={i} variant="body2" color="text.secondary" sx={{ mt: 1 }}>
                Signature {i + 1}: {s.valid ? 'valid' : 'not valid'}
                {s.signer ? `, by ${s.signer}` : ''}
                {s.signingTime ? `, ${s.signingTime.slice(0, 16).replace('T', ' ')} UTC` : ''}
                {s.ours ? ' (our seal)' : ''}
                {s.problem ? ` — ${s.problem}` : ''}
              </Typography>
            ))}
          </Paper>
        )}
      </Stack>
    </PublicShell>
  )
}
