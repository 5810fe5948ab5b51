/**
 * Chromium for end-to-end tests: the system's Chromium driven by playwright-core (Playwright's
 * own browser download is not used). Set CHROMIUM_PATH to use another binary.
 */
import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(executablePath)) {
    throw new Error(
      `No Chromium at ${executablePath}. Install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.`,
    )
  }
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS })
}
