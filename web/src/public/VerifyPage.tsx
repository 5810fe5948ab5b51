/**
 * The public verify page: drop a PDF, learn whether we sealed it and whether it changed since. It speaks the
 * browser's language (or the one picked), what the check found in detail too: the server names it with a code
 * (`SEAL_PROBLEM_CODES`, `SIGNATURE_PROBLEM_CODES` in server/pdf/seal.ts) and its values; its English words
 * are shown only for a code this page does not know.
 */
import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { i18n, useFormat } from '../i18n/index.js'
import { CheckCircleIcon, ErrorIcon, FileIcon } from '../icons.js'
import { PublicShell } from './PublicShell.js'

/** The values a problem's words are made with. */
type ProblemParams = Record<string, string | number>

interface Verification {
  sealedByUs: boolean
  unchanged: boolean
  problem: string | null
  problemCode?: string | null
  params?: ProblemParams
  document: { number: string; title: string; completedAt: string } | null
  signatures: Array<{
    valid: boolean
    signer: string | null
    signingTime: string | null
    ours: boolean
    problem: string | null
    problemCode?: string | null
    params?: ProblemParams
  }>
}

// i18n-dynamic: public:verify.problem.
// i18n-dynamic: public:verify.reason.
/** The key of a file's problem or of a signature's (`verify.problem.<code>`, `verify.reason.<code>`). */
export const problemKey = (kind: 'problem' | 'reason', code: string) => `verify.${kind}.${code}`

/**
 * A problem in the page's language, from its code and values; the server's English words when the code is
 * unknown here (a newer server), or none was given. A file's "signature-invalid" says its signature's reason.
 */
export function problemText(
  t: (key: string, options: ProblemParams) => string,
  kind: 'problem' | 'reason',
  code: string | null | undefined,
  params: ProblemParams = {},
  english: string | null = null,
): string | null {
  const key = code ? problemKey(kind, code) : undefined
  if (!key || !i18n.exists(`public:${key}`, params)) return english
  if (kind === 'problem' && code === 'signature-invalid') {
    const reason = problemText(t, 'reason', String(params.reason ?? 'bad-signature'), params)
    return t(key, { ...params, reason: reason ?? '' })
  }
  return t(key, params)
}

/** The server's finding, or what went wrong on the way (in `failed`'s words when nothing better is known). */
async function verify(file: File, failed: (status: number) => string): Promise<Verification> {
  const res = await fetch('/api/public/verify', {
    method: 'POST',
    headers: { 'content-type': 'application/pdf', accept: 'application/json' },
    body: file,
  })
  const body = (await res.json().catch(() => undefined)) as (Verification & { error?: { message: string } }) | undefined
  if (!res.ok || !body) throw new Error(body?.error?.message ?? failed(res.status))
  return body
}

export function VerifyPage() {
  const { t } = useTranslation('public')
  const format = useFormat()
  const [file, setFile] = useState<File | undefined>()
  const [result, setResult] = useState<Verification | undefined>()
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    document.title = t('verify.title')
  }, [t])

  const check = async (chosen: File) => {
    setFile(chosen)
    setResult(undefined)
    setError(undefined)
    if (chosen.size > 10 * 1024 * 1024) {
      setError(t('verify.tooLarge'))
      return
    }
    setBusy(true)
    try {
      setResult(await verify(chosen, (status) => t('error.http', { status })))
    } catch (e) {
      setError(e instanceof Error && e.message ? e.message : t('verify.failed'))
    } finally {
      setBusy(false)
    }
  }

  const good = result?.sealedByUs && result.unchanged
  // Our seal is there but no longer matches the bytes: changed after sealing, not someone else's file.
  const changed = result !== undefined && (result.sealedByUs || result.signatures.some((s) => s.ours && !s.valid))
  return (
    <PublicShell title={t('verify.title')} width="sm">
      <Stack spacing={2}>
        <Typography color="text.secondary">{t('verify.intro')}</Typography>
        <Button
          variant="contained"
          component="label"
          startIcon={<FileIcon />}
          disabled={busy}
          sx={{ alignSelf: 'flex-start' }}
        >
          {busy ? t('verify.checking') : t('verify.choose')}
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
                {good ? t('verify.good') : changed ? t('verify.changed') : t('verify.notOurs')}
              </Typography>
            </Stack>
            {result.document && (
              <Typography>
                {t('verify.isDocument', {
                  title: result.document.title,
                  date: format.day(result.document.completedAt),
                })}
              </Typography>
            )}
            {result.problem && (
              <Typography color="text.secondary">
                {problemText(t, 'problem', result.problemCode, result.params, result.problem)}
              </Typography>
            )}
            {result.signatures.map((s, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the file's signatures, in file order, never reordered
              <Typography key={i} variant="body2" color="text.secondary" sx={{ mt: 1 }}>
                {s.valid ? t('verify.signature.valid', { n: i + 1 }) : t('verify.signature.invalid', { n: i + 1 })}
                {s.signer ? t('verify.signature.by', { signer: s.signer }) : ''}
                {s.signingTime ? t('verify.signature.at', { time: format.when(s.signingTime) }) : ''}
                {s.ours ? t('verify.signature.ours') : ''}
                {s.problem ? ` — ${problemText(t, 'reason', s.problemCode, s.params, s.problem)}` : ''}
              </Typography>
            ))}
          </Paper>
        )}
      </Stack>
    </PublicShell>
  )
}
