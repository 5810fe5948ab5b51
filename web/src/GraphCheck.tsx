import Alert from '@mui/material/Alert'
import AlertTitle from '@mui/material/AlertTitle'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import LinearProgress from '@mui/material/LinearProgress'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import { useTheme } from '@mui/material/styles'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import useMediaQuery from '@mui/material/useMediaQuery'
import { type ChangeEvent, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Finding } from '../../shared/index.js'
import type { ValidationResponse } from './api.js'
import { findingHint, findingMessage } from './i18n/finding-text.js'
import { ErrorIcon, FileIcon, WarningIcon } from './icons.js'
import { monospace } from './theme.js'

/** The server refuses larger bodies; checking here avoids loading a huge file into the text box. */
const MAX_BYTES = 5 * 1024 * 1024

type Outcome =
  | { kind: 'result'; result: ValidationResponse; text: string }
  | { kind: 'failed'; title: string; message: string; text: string }

/** The character offset of a 1-based line and column. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset)
    if (next === -1) return text.length
    offset = next + 1
  }
  return Math.min(offset + column - 1, text.length)
}

export function GraphCheck() {
  const { t } = useTranslation('designer')
  const [text, setText] = useState('')
  const [fileName, setFileName] = useState<string>()
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<Outcome>()
  const textArea = useRef<HTMLTextAreaElement>(null)
  const headingId = useId()
  const phone = useMediaQuery(useTheme().breakpoints.down('sm'))

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0]
    event.target.value = '' // picking the same file again still fires `change`
    if (!file) return
    if (file.size > MAX_BYTES) {
      setOutcome({
        kind: 'failed',
        title: t('check.tooLarge'),
        message: t('check.tooLargeText', { name: file.name }),
        text,
      })
      return
    }
    const content = await file.text()
    setText(content)
    setFileName(file.name)
    setOutcome(undefined)
  }

  async function onValidate() {
    const checked = text
    setBusy(true)
    try {
      // Checked here in the browser, with the same validator as the server and the CLI (compiled ahead of
      // time, so the page's Content-Security-Policy needs no eval): nothing leaves the page.
      // Loaded on first use: the compiled schema is most of its weight.
      const { importGraph } = await import('../../shared/graph/io.js')
      const result = importGraph(checked)
      if (result.syntaxError) {
        const { line, column } = result.syntaxError
        const firstFinding = result.findings[0]
        const message = firstFinding ? findingMessage(firstFinding) : result.syntaxError.message
        setOutcome({ kind: 'failed', title: t('check.notJson'), message, text: checked })
        const area = textArea.current
        if (area) {
          const at = offsetOf(checked, line, column)
          area.focus()
          area.setSelectionRange(at, Math.min(at + 1, checked.length))
        }
      } else {
        setOutcome({ kind: 'result', result: { valid: result.valid, findings: result.findings }, text: checked })
      }
    } catch (error) {
      setOutcome({
        kind: 'failed',
        title: t('check.failed'),
        message: error instanceof Error ? error.message : String(error),
        text: checked,
      })
    } finally {
      setBusy(false)
    }
  }

  const stale = outcome !== undefined && outcome.text !== text

  return (
    <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: { xs: 2, sm: 3 } }}>
      <Typography variant="h2" id={headingId}>
        {t('check.title')}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5, mb: 2 }}>
        {t('check.lead')}
      </Typography>

      <TextField
        label={t('check.label')}
        multiline
        minRows={phone ? 8 : 10}
        maxRows={phone ? 14 : 22}
        fullWidth
        value={text}
        placeholder={t('check.placeholder')}
        onChange={(event) => {
          setText(event.target.value)
          setFileName(undefined)
        }}
        inputRef={textArea}
        slotProps={{
          htmlInput: { spellCheck: false, autoCapitalize: 'off', autoCorrect: 'off', 'data-testid': 'graph-text' },
          input: { sx: { fontFamily: monospace, fontSize: '0.8125rem', lineHeight: 1.5, alignItems: 'flex-start' } },
        }}
      />

      <Stack direction="row" spacing={1.5} sx={{ mt: 1.5, alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
        <Button variant="contained" onClick={onValidate} disabled={busy || text.trim() === ''}>
          {t('check.validate')}
        </Button>
        <Button variant="outlined" component="label" startIcon={<FileIcon />}>
          {t('check.chooseFile')}
          <input type="file" accept=".json,application/json" hidden onChange={onFile} />
        </Button>
        {fileName && (
          <Typography variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere' }}>
            {fileName}
          </Typography>
        )}
      </Stack>

      <Box sx={{ minHeight: 4, my: 2 }}>{busy && <LinearProgress aria-label={t('check.validating')} />}</Box>

      <Box aria-live="polite">
        {stale && (
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1, fontStyle: 'italic' }}>
            {t('check.stale')}
          </Typography>
        )}
        {outcome?.kind === 'failed' && (
          <Alert severity="error">
            <AlertTitle>{outcome.title}</AlertTitle>
            {outcome.message}
          </Alert>
        )}
        {outcome?.kind === 'result' && <Result result={outcome.result} />}
      </Box>
    </Paper>
  )
}

function Result({ result }: { result: ValidationResponse }) {
  const { t } = useTranslation('designer')
  const errors = result.findings.filter((f) => f.severity === 'error').length
  const warnings = result.findings.length - errors
  return (
    <Stack spacing={1.5}>
      {result.valid ? (
        <Alert severity="success" variant="filled" data-testid="validation-summary">
          <AlertTitle sx={{ mb: warnings ? 0.5 : 0 }}>{t('check.valid')}</AlertTitle>
          {warnings > 0 && t('check.warningsBelow', { count: warnings })}
        </Alert>
      ) : (
        <Alert severity="error" data-testid="validation-summary">
          <AlertTitle sx={{ mb: 0 }}>
            {t('check.invalid', {
              problems: [
                t('count.error', { count: errors }),
                ...(warnings > 0 ? [t('count.warning', { count: warnings })] : []),
              ].join(', '),
            })}
          </AlertTitle>
        </Alert>
      )}
      {result.findings.length > 0 && (
        <Stack component="ol" spacing={1} sx={{ listStyle: 'none', m: 0, p: 0 }} aria-label={t('check.findings')}>
          {result.findings.map((finding, index) => (
            // Findings have no id; their order is stable for one result.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <FindingItem key={index} finding={finding} />
          ))}
        </Stack>
      )}
    </Stack>
  )
}

/** A JSON Pointer that may wrap after each "/" (long paths on a phone). */
function PointerText({ pointer }: { pointer: string }) {
  const { t } = useTranslation('designer')
  if (pointer === '') return <>{t('check.wholeGraph')}</>
  const segments = pointer.split('/').slice(1)
  return (
    <>
      {segments.map((segment, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: segments of one pointer, never reordered
        <span key={index}>
          /{segment}
          <wbr />
        </span>
      ))}
    </>
  )
}

function FindingItem({ finding }: { finding: Finding }) {
  const { t } = useTranslation('designer')
  const isError = finding.severity === 'error'
  const Icon = isError ? ErrorIcon : WarningIcon
  return (
    <Box
      component="li"
      data-code={finding.code}
      sx={{
        border: 1,
        borderColor: 'divider',
        borderLeftWidth: 4,
        borderLeftColor: isError ? 'error.main' : 'warning.main',
        borderRadius: 2,
        p: 1.5,
      }}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
        <Icon color={isError ? 'error' : 'warning'} sx={{ mt: '1px' }} aria-hidden />
        <Box sx={{ minWidth: 0, flex: 1 }}>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', flexWrap: 'wrap', rowGap: 0.25 }}>
            <Typography
              variant="caption"
              sx={{ fontWeight: 700, textTransform: 'uppercase', color: isError ? 'error.dark' : 'warning.dark' }}
            >
              {isError ? t('check.error') : t('check.warning')}
            </Typography>
            <Typography
              component="code"
              variant="body2"
              sx={{ fontFamily: monospace, fontWeight: 600 }}
              data-testid="finding-code"
            >
              {finding.code}
            </Typography>
          </Stack>
          <Typography variant="body2" sx={{ mt: 0.5 }}>
            {findingMessage(finding)}
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
            <strong>{t('check.howToFix')}</strong> {findingHint(finding)}
          </Typography>
          <Typography
            variant="caption"
            component="div"
            color="text.secondary"
            sx={{ mt: 0.75, fontFamily: monospace, overflowWrap: 'anywhere' }}
            title={t('check.where')}
            data-testid="finding-path"
          >
            {t('check.at')} <PointerText pointer={finding.path} />
          </Typography>
        </Box>
      </Stack>
    </Box>
  )
}
