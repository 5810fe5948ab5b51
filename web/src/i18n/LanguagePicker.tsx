/** The language of the app, as a person picks it (remembered in this browser). */
import MenuItem from '@mui/material/MenuItem'
import TextField from '@mui/material/TextField'
import { useTranslation } from 'react-i18next'
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../../../shared/i18n/languages.js'
import { currentLanguage, setLanguage } from './index.js'

export function LanguagePicker({ onDark = false }: { onDark?: boolean }) {
  const { t } = useTranslation('common')
  return (
    <TextField
      select
      size="small"
      variant={onDark ? 'standard' : 'outlined'}
      value={currentLanguage()}
      onChange={(e) => setLanguage(e.target.value as Language)}
      slotProps={{ htmlInput: { 'aria-label': t('language') }, input: onDark ? { disableUnderline: true } : {} }}
      sx={
        onDark
          ? { '& .MuiInputBase-root, & .MuiSvgIcon-root': { color: 'inherit' }, '& .MuiSelect-select': { py: 0.5 } }
          : { minWidth: 140 }
      }
    >
      {LANGUAGES.map((language) => (
        <MenuItem key={language} value={language} lang={language}>
          {LANGUAGE_NAMES[language]}
        </MenuItem>
      ))}
    </TextField>
  )
}
