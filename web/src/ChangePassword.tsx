import { useState } from 'react'
import { changeMyPassword } from './api.js'
import { FormCard, FormField } from './FormCard.js'

/** After signing in with a password someone else chose: choose your own before anything else. */
export function ChangePassword({ name, onChanged }: { name: string; onChanged: () => void }) {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [again, setAgain] = useState('')
  return (
    <FormCard
      title="Choose your password"
      intro={`Welcome, ${name}. You signed in with a password someone else chose; choose your own to go on.`}
      submitLabel="Save and go on"
      busyLabel="Saving…"
      failure="Changing the password failed. Try again."
      check={() => (next !== again ? 'The two new passwords differ.' : undefined)}
      submit={async () => {
        await changeMyPassword(current, next)
        onChanged()
      }}
      maxWidth={420}
    >
      <FormField
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={setCurrent}
        autoFocus
      />
      <FormField
        label="New password"
        type="password"
        autoComplete="new-password"
        helperText="At least 10 characters"
        value={next}
        onChange={setNext}
      />
      <FormField
        label="New password again"
        type="password"
        autoComplete="new-password"
        value={again}
        onChange={setAgain}
      />
    </FormCard>
  )
}
