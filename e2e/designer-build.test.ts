/**
 * An analyst builds the seeds' flow (b) — the director signs the contract first, then the client — in a real
 * Chromium, from a new, empty pipeline: stages added and given their kind, the trigger and the rules dragged
 * from the palette onto the columns, the director picked from a constant with "…", text written with chips,
 * a condition set. They see validation errors and fix them, undo and redo, publish with a note, see the
 * version's changes on the canvas, and export. The exported graph validates and means what the fixture
 * means (plus the condition the analyst added). Screenshots go to e2e/screenshots/ and docs/.
 */
import { readFileSync } from 'node:fs'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../server/http/serve.js'
import type { FlowNode, Graph } from '../shared/graph/graph.js'
import { importGraph } from '../shared/graph/io.js'
import { launchBrowser } from './support/browser.js'
import { type DemoServer, startDemoServer } from './support/server.js'
import { docShot } from './support/shots.js'
import { visible } from './support/wait.js'

const WIDE = { width: 1920, height: 1080 }

let demo: DemoServer | undefined
let server: RunningServer
let browser: Browser
let context: BrowserContext | undefined
const problems: string[] = []

beforeAll(async () => {
  demo = await startDemoServer('build')
  server = demo.server
  browser = await launchBrowser()
}, 60_000)

afterAll(async () => {
  await context?.close()
  await browser?.close()
  await demo?.close()
})

/**
 * What a graph means, without what the designer chooses by itself: ids (references name what they point
 * at by its title or name instead), colours, the flow's id and name, designer-only data.
 */
function meaning(graph: Graph): unknown {
  const titles = new Map<string, string>()
  for (const stage of graph.pipeline.stages)
    for (const n of [...stage.triggers, ...stage.rules]) titles.set(n.id, n.title)
  const names = new Map([...graph.constants, ...graph.variables].map((d) => [d.id, d.name]))
  const named = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(named)
    if (value === null || typeof value !== 'object') return value
    const record = value as Record<string, unknown>
    if (record.kind === 'output') return { ...record, node: titles.get(record.node as string) }
    if ((record.kind === 'constant' || record.kind === 'variable') && typeof record.id === 'string')
      return { kind: record.kind, name: names.get(record.id) }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, named(v)]))
  }
  const node = ({ id: _id, ...rest }: FlowNode) => named(rest)
  return {
    elementType: graph.elementType,
    stages: graph.pipeline.stages.map((s) => ({
      name: s.name,
      kind: s.kind,
      triggers: s.triggers.map(node),
      rules: s.rules.map(node),
    })),
    constants: graph.constants.map(({ id: _id, ...c }) => c),
    variables: graph.variables.map(({ id: _id, ...v }) => v),
    fields: graph.fields,
  }
}

const status = (page: Page) => page.getByTestId('designer-status').innerText()

async function dropFromPalette(page: Page, type: string, stage: string) {
  const item = page.getByRole('complementary', { name: 'Palette' }).locator(`li[data-type="${type}"]`)
  const column = page.getByRole('group', { name: `Stage ${stage}` })
  const box = await column.boundingBox()
  if (!box) throw new Error(`no column ${stage}`)
  // Dropped low in the column: after its last rule.
  const point = { clientX: box.x + box.width / 2, clientY: box.y + box.height - 8 }
  const dataTransfer = await page.evaluateHandle(() => new DataTransfer())
  await item.dispatchEvent('dragstart', { dataTransfer })
  await column.dispatchEvent('dragover', { dataTransfer, ...point })
  await column.dispatchEvent('drop', { dataTransfer, ...point })
}

/** Opens the "…" picker of a slot, searches, and takes the first match. */
async function pick(panel: Locator, button: string, search: string, option: string | RegExp) {
  await panel.getByRole('button', { name: button, exact: true }).click()
  const page = panel.page()
  await page.keyboard.type(search)
  const choice = page.getByRole('option', { name: option }).first()
  await visible(choice)
  await choice.click()
  await page.locator('.MuiPopover-root').waitFor({ state: 'detached' })
}

async function choose(page: Page, scope: Locator, label: string, option: string) {
  await scope.getByRole('combobox', { name: label, exact: true }).click()
  await page.getByRole('option', { name: option, exact: true }).click()
  await page.getByRole('listbox').waitFor({ state: 'detached' })
}

async function addStage(page: Page, name: string, kind?: 'Success' | 'Failure') {
  await page.getByRole('button', { name: 'Add stage' }).click()
  await page.getByLabel('Stage name').fill(name)
  await page.getByRole('dialog').getByRole('button', { name: 'Add', exact: true }).click()
  await visible(page.getByRole('group', { name: `Stage ${name}` }))
  if (!kind) return
  await page.getByRole('button', { name: `Stage ${name}: more` }).click()
  await page.getByRole('menuitem', { name: 'Rename, colour, kind…' }).click()
  const dialog = page.getByRole('dialog')
  await choose(page, dialog, 'Kind', kind)
  await dialog.getByRole('button', { name: 'Save' }).click()
  await dialog.waitFor({ state: 'detached' })
}

describe('building the seeds’ flow (b) in the designer', () => {
  it('from an empty pipeline, by drag and drop, "…" and the condition builder; published and exported', async () => {
    context = await browser.newContext({ viewport: WIDE, deviceScaleFactor: 1, acceptDownloads: true })
    const page = await context.newPage()
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`)
    })
    await page.goto(`${server.url}/`)

    // A new pipeline of deals: one stage, "New", nothing on it.
    await (await visible(page.getByRole('button', { name: 'New pipeline…' }))).click()
    await page.getByLabel('Pipeline name').fill('Contracts')
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click()
    await visible(page.getByRole('group', { name: 'Stage New' }))
    expect(await page.locator('[data-kind]').count()).toBe(0)
    await page.waitForTimeout(400) // the view settles
    await docShot(page, 'designer-empty')

    for (const [name, kind] of [['Contract'], ['Sent'], ['Signed', 'Success'], ['Lost', 'Failure']] as Array<
      [string, 'Success' | 'Failure' | undefined]
    >) {
      await addStage(page, name, kind)
    }

    // The constants the rules will pick: the director's name and the director as a user.
    await page.getByRole('button', { name: 'Constants and variables' }).click()
    const manager = page.getByRole('dialog', { name: 'Constants and variables' })
    await manager.getByLabel("New constant's name").fill('Director')
    await manager.getByRole('button', { name: 'Add constant' }).click()
    await manager.getByRole('group', { name: 'Constant Director' }).getByLabel('Value').fill('Anna Kowalska')
    await manager.getByLabel("New constant's name").fill('Director (user)')
    await choose(page, manager.locator('form'), 'Type', 'User')
    await manager.getByRole('button', { name: 'Add constant' }).click()
    await manager.getByRole('group', { name: 'Constant Director (user)' }).getByLabel('Value').fill('u-director')
    await manager.getByRole('button', { name: 'Done' }).click()
    await manager.waitFor({ state: 'detached' })

    const panel = page.getByTestId('settings-panel')
    const title = (text: string) => panel.getByLabel('Title', { exact: true }).fill(text)

    // Contract: create the contract, the director's name picked from the constant with "…".
    await dropFromPalette(page, 'createDocument', 'Contract')
    await visible(panel.getByRole('heading', { name: 'Create document' }))
    await title('Create the contract')
    await panel.getByLabel('Template', { exact: true }).fill('tpl-contract')
    await panel.getByLabel('Public link').check()
    await panel.getByRole('button', { name: 'Add field' }).click()
    await panel.getByLabel('Name', { exact: true }).fill('Signatory')
    await pick(panel, 'Insert a value into Value', 'director', /^Director\s*text$/)
    expect(await panel.getByRole('textbox', { name: 'Value', exact: true }).innerText()).toBe('Director')

    // … then ask the director, in words and chips: the document's number and link, the client's name.
    await dropFromPalette(page, 'addNotification', 'Contract')
    await visible(panel.getByRole('heading', { name: 'Add notification' }))
    await title('Ask the director to sign')
    await pick(panel, 'Pick a value for To', 'director', /^Director \(user\)/)
    const text = panel.getByRole('textbox', { name: 'Text', exact: true })
    await text.click()
    await page.keyboard.type('Please sign contract ')
    await pick(panel, 'Insert a value into Text', 'document number', /^Document number · Create the contract/)
    await page.keyboard.type(' for ')
    await pick(panel, 'Insert a value into Text', 'client name', /^Client: name/)
    await page.keyboard.type(': ')
    await pick(panel, 'Insert a value into Text', 'public link create', /^Public link · Create the contract/)
    await docShot(panel, 'designer-settings')

    // Sent: the director's signature moves the deal here; the contract goes to the client.
    await dropFromPalette(page, 'signedByCompany', 'Sent')
    await visible(panel.getByRole('heading', { name: 'Signed by the company representative' }))
    await title('Director signed the contract')
    await choose(page, panel, 'Document type', 'Contract')
    await dropFromPalette(page, 'sendDocumentLink', 'Sent')
    await visible(panel.getByRole('heading', { name: 'Send document link' }))
    await title('Send the contract to the client')
    await pick(panel, 'Pick a value for Document', 'last document', /^Last document\s*document$/)
    await panel.getByRole('textbox', { name: 'Message', exact: true }).click()
    await page.keyboard.type('Dear ')
    await pick(panel, 'Insert a value into Message', 'client name', /^Client: name/)
    await page.keyboard.type(', our director has signed the contract. Please sign it too.')

    // A reminder by SMS two days later: its empty text is an error until it is written.
    await dropFromPalette(page, 'sendSms', 'Sent')
    await visible(panel.getByRole('heading', { name: 'Send SMS to client' }))
    await expect.poll(() => status(page), { timeout: 5_000 }).toMatch(/1 error/)
    const sms = page.locator('[data-kind="rule"][aria-label="Rule Send SMS to client"]')
    await visible(sms.getByTestId('problem-mark'))
    const problemsList = page.getByRole('region', { name: 'Problems' })
    await visible(problemsList.getByText(/"Send SMS to client" needs/))
    await docShot(page, 'designer-errors')
    // Choosing the problem selects the rule and puts the cursor in the field to fix.
    await page.getByTestId('flow-canvas').focus()
    await page.keyboard.press('Escape')
    await problemsList.getByRole('button', { name: /"Send SMS to client" needs/ }).click()
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('role')), { timeout: 5_000 })
      .toBe('textbox')
    expect(
      await page.evaluate(() =>
        document.activeElement?.closest('[data-settings-path]')?.getAttribute('data-settings-path'),
      ),
    ).toMatch(/\/settings\/text$/)
    await title('Remind the client after 2 days')
    await choose(page, panel, 'When', 'After a delay')
    await panel.getByLabel('Amount', { exact: true }).fill('2')
    await choose(page, panel, 'Working hours', "The responsible person's working hours")
    await panel.getByRole('textbox', { name: 'Text', exact: true }).click()
    await page.keyboard.type('Reminder: the contract is waiting for your signature: ')
    await pick(panel, 'Insert a value into Text', 'public link', /^Last document: public link/)
    await expect.poll(() => status(page), { timeout: 5_000 }).toMatch(/No problems/)
    // Ctrl+Z in the text goes to the designer's history, chips and all; Ctrl+Y puts it back.
    const smsText = panel.getByRole('textbox', { name: 'Text', exact: true })
    const written = 'Reminder: the contract is waiting for your signature: Last document: public link'
    expect(await smsText.innerText()).toBe(written)
    await smsText.click()
    await page.keyboard.press('Control+z')
    await expect.poll(() => smsText.innerText(), { timeout: 5_000 }).not.toBe(written)
    await page.keyboard.press('Control+y')
    await expect.poll(() => smsText.innerText(), { timeout: 5_000 }).toBe(written)

    // Only for deals over 5000: the condition builder, an error until the amount is given.
    await panel.getByRole('button', { name: 'Add a condition' }).click()
    await expect.poll(() => status(page), { timeout: 5_000 }).toMatch(/1 error/)
    await panel.getByRole('group', { name: 'Condition 1' }).getByLabel('Value', { exact: true }).fill('5000')
    await expect.poll(() => status(page), { timeout: 5_000 }).toMatch(/No problems/)
    const reminderCard = page.locator('[data-kind="rule"][aria-label="Rule Remind the client after 2 days"]')
    await visible(reminderCard.getByText('if Amount > 5000'))
    await visible(reminderCard.getByText('after 2 days', { exact: true }))

    // Signed and Lost: the client's signature, or their refusal (by the sales lead, who may move it back).
    await dropFromPalette(page, 'signedByClient', 'Signed')
    await visible(panel.getByRole('heading', { name: 'Signed by the client' }))
    await title('Client signed the contract')
    await choose(page, panel, 'Document type', 'Contract')
    await dropFromPalette(page, 'signingRefused', 'Lost')
    await visible(panel.getByRole('heading', { name: 'Signing refused' }))
    await title('Client refused to sign')
    await choose(page, panel, 'Document type', 'Contract')
    await panel.getByLabel('Allow return').check()
    await choose(page, panel, 'Change stage as', 'A named user')
    await panel.getByLabel('User id').fill('u-sales-lead')

    // Undo takes the last edit back, redo puts it again.
    await page.getByTestId('flow-canvas').focus()
    await page.keyboard.press('Control+z')
    await expect.poll(() => panel.getByLabel('User id').inputValue(), { timeout: 5_000 }).toBe('')
    await expect.poll(() => status(page), { timeout: 5_000 }).toMatch(/1 error/)
    await page.keyboard.press('Control+y')
    await expect.poll(() => panel.getByLabel('User id').inputValue(), { timeout: 5_000 }).toBe('u-sales-lead')
    await expect.poll(() => status(page), { timeout: 5_000 }).toMatch(/No problems/)

    // The draft saves itself; then published with a note.
    await expect.poll(() => status(page), { timeout: 10_000 }).toMatch(/all saved/)
    await page.getByTestId('flow-canvas').focus()
    await page.keyboard.press('Escape')
    await docShot(page, 'designer-flow')
    await page.getByRole('button', { name: 'Publish…' }).click()
    const publishing = page.getByRole('dialog')
    await visible(publishing.getByText('This will be the first version.'))
    await publishing.getByLabel('Note (what changed and why)').fill('The director signs first, then the client')
    await publishing.getByRole('button', { name: 'Publish', exact: true }).click()
    await visible(page.getByRole('alert').filter({ hasText: 'Published as version 1' }))

    // Exported: the file validates and means what the fixture means, with the condition added here.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ])
    const exported = importGraph(readFileSync((await download.path()) as string, 'utf8'))
    expect(exported.findings.filter((f) => f.severity === 'error')).toEqual([])
    const fixture = JSON.parse(
      readFileSync(new URL('../shared/fixtures/director-then-client.json', import.meta.url), 'utf8'),
    ) as Graph
    const reminder = fixture.pipeline.stages[2]?.rules[1] as FlowNode
    reminder.condition = {
      match: 'all',
      items: [{ left: { kind: 'field', path: 'amount' }, op: 'gt', values: [{ kind: 'literal', value: 5000 }] }],
    }
    expect(meaning(exported.graph as Graph)).toEqual(meaning(fixture))

    // A change after publishing shows on the canvas against version 1.
    await page.locator('[aria-label="Rule Send the contract to the client"]').click()
    await choose(page, panel, 'Channel', 'SMS')
    await page.getByRole('button', { name: 'History' }).click()
    const history = page.getByRole('dialog', { name: 'Version history' })
    await visible(history.getByText('The director signs first, then the client'))
    await history.getByRole('listitem', { name: 'Version 1' }).getByRole('button', { name: 'Show changes' }).click()
    await visible(page.getByTestId('comparison').getByText(/0 new, 1 changed, 0 removed/))
    const changed = page.locator('[aria-label="Rule Send the contract to the client"] [data-change="changed"]')
    await visible(changed)
    await page.getByTestId('flow-canvas').focus()
    await page.keyboard.press('Escape')
    await docShot(page, 'designer-version-diff')

    // Switching to another pipeline at once saves the change first.
    await page.getByTestId('flow-canvas').focus()
    await page.keyboard.press('Escape')
    await page.locator('[aria-label="Rule Send the contract to the client"]').click()
    await choose(page, panel, 'Channel', 'Email')
    await choose(page, page.locator('body'), 'Pipeline', 'Invoice signing')
    await visible(page.getByRole('group', { name: 'Stage Invoice' }))
    await expect
      .poll(
        async () => {
          const flow = (await (await fetch(`${server.url}/api/flows/Contracts`)).json()) as { draft: Graph }
          const rule = flow.draft.pipeline.stages[2]?.rules[0] as { settings: { channel: string } } | undefined
          return rule?.settings.channel
        },
        { timeout: 5_000 },
      )
      .toBe('email')
    expect(problems).toEqual([])
  }, 180_000)
})
