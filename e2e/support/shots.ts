/** Screenshots of the designer kept twice: with the tests (e2e/screenshots/) and for the README (docs/screenshots/). */
import { copyFileSync, mkdirSync } from 'node:fs'
import type { Locator, Page } from 'playwright-core'

const SCREENSHOTS = new URL('../screenshots/', import.meta.url)
const DOCS = new URL('../../docs/screenshots/', import.meta.url)

/** A page is shown by its flow designer's section; a locator as it is. */
export async function docShot(target: Page | Locator, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  mkdirSync(DOCS, { recursive: true })
  const part = 'goto' in target ? target.locator('section[aria-labelledby="flow-designer-title"]') : target
  const path = new URL(`${name}.png`, SCREENSHOTS).pathname
  await part.screenshot({ path })
  copyFileSync(path, new URL(`${name}.png`, DOCS).pathname)
}
