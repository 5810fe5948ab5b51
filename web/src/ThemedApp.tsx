/** The MUI theme in the app's language: MUI's own texts (a list's "Open", "No options", …) follow it. */

import { deDE, enUS, frFR, plPL, trTR } from '@mui/material/locale'
import { createTheme, ThemeProvider } from '@mui/material/styles'
import { type ReactNode, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { isLanguage, type Language } from '../../shared/i18n/languages.js'
import { theme } from './theme.js'

const MUI_LOCALES = { en: enUS, pl: plPL, fr: frFR, tr: trTR, de: deDE } satisfies Record<Language, unknown>

export function LocalizedTheme({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation()
  const language = isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'en'
  const localized = useMemo(() => createTheme(theme, MUI_LOCALES[language]), [language])
  return <ThemeProvider theme={localized}>{children}</ThemeProvider>
}
