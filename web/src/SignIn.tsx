import Box from '@mui/material/Box'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { signIn } from './api.js'
import { FormCard, FormField } from './FormCard.js'
import { LanguagePicker } from './i18n/LanguagePicker.js'

/** The sign-in screen: email and password; what went wrong said in words; the language picked before signing in. */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useTranslation('account')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  return (
    <FormCard
      title={t('signIn.title')}
      intro={t('signIn.intro')}
      submitLabel={t('signIn.submit')}
      busyLabel={t('signIn.busy')}
      failure={t('signIn.failure')}
      submit={async () => {
        await signIn(email.trim(), password)
        onSignedIn()
      }}
    >
      <Box sx={{ justifySelf: 'end' }}>
        <LanguagePicker />
      </Box>
      <FormField
        label={t('signIn.email')}
        type="email"
        name="email"
        autoComplete="username"
        value={email}
        onChange={setEmail}
        autoFocus
      />
      <FormField
        label={t('signIn.password')}
        type="password"
        name="password"
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
      />
    </FormCard>
  )
}
