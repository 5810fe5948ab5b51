/**
 * The frame of the public pages (a signer's, a document's, the verify page): a band with the title and a
 * language picker, the page below. The pages open in the language the server says (the signer's, the
 * document's) or the browser's; a pick here changes this page only and is not remembered (the link may be
 * opened on someone else's device, whose own choice stays theirs).
 */
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Container from '@mui/material/Container'
import MenuItem from '@mui/material/MenuItem'
import Skeleton from '@mui/material/Skeleton'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from '../../../shared/i18n/languages.js'
import { currentLanguage } from '../i18n/index.js'

/** The language of this page: changed here only, never remembered (the app's own picker remembers). */
function PublicLanguagePicker({ onPick }: { onPick?: ((language: Language) => void) | undefined }) {
  const { t, i18n } = useTranslation('public')
  return (
    <TextField
      select
      size="small"
      variant="standard"
      value={currentLanguage()}
      onChange={(e) => {
        const language = e.target.value
        if (!isLanguage(language)) return
        void i18n.changeLanguage(language)
        onPick?.(language)
      }}
      slotProps={{ htmlInput: { 'aria-label': t('picker.label') }, input: { disableUnderline: true } }}
      sx={{
        flexShrink: 0,
        '& .MuiInputBase-root, & .MuiSvgIcon-root': { color: 'inherit' },
        '& .MuiSelect-select': { py: 0.5 },
      }}
    >
      {LANGUAGES.map((language) => (
        <MenuItem key={language} value={language} lang={language}>
          {LANGUAGE_NAMES[language]}
        </MenuItem>
      ))}
    </TextField>
  )
}

export function PublicShell({
  title,
  kicker,
  width = 'md',
  onLanguage,
  children,
}: {
  title: string
  /** A line above the title, e.g. who sends the document. */
  kicker?: string
  width?: 'sm' | 'md'
  /** Told when the person picks another language (the page may ask the server again in it). */
  onLanguage?: (language: Language) => void
  children: ReactNode
}) {
  return (
    <Box sx={{ minHeight: '100vh', bgcolor: 'background.default' }}>
      <Box component="header" sx={{ bgcolor: 'primary.main', color: 'primary.contrastText', px: 2, py: 1.5 }}>
        <Container maxWidth={width} disableGutters>
          <Stack direction="row" spacing={1.5} sx={{ alignItems: 'flex-start', justifyContent: 'space-between' }}>
            <Box sx={{ minWidth: 0 }}>
              {kicker && (
                <Typography variant="body2" sx={{ opacity: 0.85 }}>
                  {kicker}
                </Typography>
              )}
              <Typography variant="h1" component="h1" sx={{ overflowWrap: 'anywhere' }}>
                {title}
              </Typography>
            </Box>
            <PublicLanguagePicker onPick={onLanguage} />
          </Stack>
        </Container>
      </Box>
      <Container maxWidth={width} component="main" sx={{ py: { xs: 2, sm: 3 }, px: { xs: 1.5, sm: 3 } }}>
        {children}
      </Container>
    </Box>
  )
}

/** While a public page loads, or when it cannot: a placeholder, or what went wrong in words. */
export function PublicWaiting({ error }: { error?: string | undefined }) {
  return (
    <Container maxWidth="sm" sx={{ py: error ? 4 : 3 }}>
      {error ? (
        <Alert severity="error" role="alert">
          {error}
        </Alert>
      ) : (
        <>
          <Skeleton height={48} />
          <Skeleton variant="rectangular" height={400} />
        </>
      )}
    </Container>
  )
}
