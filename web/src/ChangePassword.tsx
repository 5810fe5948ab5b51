import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { changeMyPassword } from './api.js'
import { FormCard, FormField } from './FormCard.js'

/** After signing in with a password someone else chose: choose your own before anything else. */
export function ChangePassword({ name, onChanged }: { name: string; onChanged: () => void }) {
  const { t } = useTranslation('account')
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [again, setAgain] = useState('')
  return (
    <FormCard
      title={t('changePassword.title')}
      intro={t('changePassword.intro', { name })}
      submitLabel={t('changePassword.submit')}
      busyLabel={t('changePassword.busy')}
      failure={t('changePassword.failure')}
      check={() => (next !== again ? t('changePassword.differ') : undefined)}
      submit={async () => {
        await changeMyPassword(current, next)
        onChanged()
      }}
      maxWidth={420}
    >
      <FormField
        label={t('changePassword.current')}
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={setCurrent}
        autoFocus
      />
      <FormField
        label={t('changePassword.new')}
        type="password"
        autoComplete="new-password"
        helperText={t('changePassword.newHint')}
        value={next}
        onChange={setNext}
      />
      <FormField
        label={t('changePassword.again')}
        type="password"
        autoComplete="new-password"
        value={again}
        onChange={setAgain}
      />
    </FormCard>
  )
}
