import { useState } from 'react'
import { signIn } from './api.js'
import { FormCard, FormField } from './FormCard.js'

/** The sign-in screen: email and password; what went wrong said in words. */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  return (
    <FormCard
      title="Sign in"
      intro="With the email and password your administrator gave you."
      submitLabel="Sign in"
      busyLabel="Signing in…"
      failure="Signing in failed. Try again."
      submit={async () => {
        await signIn(email.trim(), password)
        onSignedIn()
      }}
    >
      <FormField
        label="Email"
        type="email"
        name="email"
        autoComplete="username"
        value={email}
        onChange={setEmail}
        autoFocus
      />
      <FormField
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
      />
    </FormCard>
  )
}
