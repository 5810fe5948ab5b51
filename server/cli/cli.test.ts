import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { brokenCases } from '../../shared/test/fixtures.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const bin = join(root, 'server/cli/bin.js')
const fixtures = join(root, 'shared/fixtures')

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs the real `signflow` executable, as `npx signflow` does. */
function signflow(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { cwd: root, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? -1 : 0
        resolve({ code, stdout, stderr })
      },
    )
    if (stdin !== undefined) child.stdin?.end(stdin)
    else child.stdin?.end()
  })
}

const noStackTrace = (run: Run) => {
  expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
  expect(run.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/)
}

describe('signflow validate', () => {
  it('accepts every seed fixture and exits 0', async () => {
    const files = [
      'invoice-signing',
      'director-then-client',
      'requisites-from-field',
      'delivery-courier',
      'large-deals-only',
    ]
    const run = await signflow(['validate', ...files.map((f) => join(fixtures, `${f}.json`))])
    expect(run.stdout).toBe('5 graphs checked: 5 valid, 0 errors, 0 warnings.\n')
    expect(run.code).toBe(0)
  })

  it('rejects every broken fixture with its code and path, FILE:PATH  code  message (hint), exit 1', async () => {
    const files = brokenCases.map((c) => join(fixtures, 'broken', c.file))
    const run = await signflow(['validate', ...files])
    expect(run.code).toBe(1)
    for (const c of brokenCases) {
      const line = run.stdout
        .split('\n')
        .find((l) => l.startsWith(`${join(fixtures, 'broken', c.file)}:${c.path}  ${c.code}  `))
      expect(line, `${c.file}\n${run.stdout}`).toBeDefined()
      expect(line).toMatch(/ \(.+\)$/)
      if (c.severity === 'warning') expect(line).toContain(`  ${c.code}  Warning: `)
    }
  })

  it('lets warnings pass with --allow-warnings, but never errors', async () => {
    const warning = join(fixtures, 'broken/possible-loop.json')
    const error = join(fixtures, 'broken/setting-empty.json')
    expect((await signflow(['validate', '--allow-warnings', warning])).code).toBe(0)
    expect((await signflow(['validate', '--allow-warnings', warning, error])).code).toBe(1)
  })

  it('prints machine-readable findings with --json', async () => {
    const run = await signflow(['validate', '--json', join(fixtures, 'broken/unknown-output.json')])
    expect(run.code).toBe(1)
    const report = JSON.parse(run.stdout)
    expect(report.valid).toBe(false)
    expect(report.files[0].findings[0]).toEqual({
      severity: 'error',
      code: 'unknown-output',
      path: '/pipeline/stages/1/rules/1/settings/text/parts/3/output',
      message: expect.stringContaining('"adress"'),
      hint: expect.stringContaining('Did you mean "address"?'),
      // What translations need: the values in the message and hint, and which wording it is.
      params: expect.objectContaining({ output: 'adress', suggestion: 'address' }),
      variant: 'missing',
    })
  })

  it('reads standard input for "-"', async () => {
    const run = await signflow(['validate', '-'], readFileSync(join(fixtures, 'invoice-signing.json'), 'utf8'))
    expect(run.code).toBe(0)
  })

  it('exits 2 with the line and column of a JSON syntax error, without a stack trace', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'signflow-'))
    const file = join(dir, 'bad.json')
    await writeFile(file, '{\n  "formatVersion": 1,\n  "flow": { "id": "x" "name": "y" }\n}\n')
    const run = await signflow(['validate', file])
    expect(run.code).toBe(2)
    expect(run.stdout).toContain(`${file}:3:23  not-json  Not valid JSON at line 3, column 23`)
    noStackTrace(run)
    const json = await signflow(['validate', '--json', file])
    expect(JSON.parse(json.stdout).files[0].findings[0]).toMatchObject({ code: 'not-json', line: 3, column: 23 })
    expect(json.code).toBe(2)
  })

  it('exits 2 on a file that cannot be read, and on misuse', async () => {
    const missing = await signflow(['validate', '/no/such/graph.json'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toBe('signflow: cannot read /no/such/graph.json: no such file\n')
    noStackTrace(missing)
    const dir = await signflow(['validate', fixtures])
    expect(dir.code).toBe(2)
    expect(dir.stderr).toContain('is a directory')
    expect((await signflow(['validate'])).code).toBe(2)
    expect((await signflow(['validate', '--frobnicate', 'x.json'])).code).toBe(2)
    expect((await signflow(['launch-rockets'])).code).toBe(2)
    expect((await signflow([])).code).toBe(2)
  })

  it('answers --help for every command with exit 0', async () => {
    for (const args of [
      ['--help'],
      ['validate', '--help'],
      ['schema', '--help'],
      ['catalog', '--help'],
      ['serve', '--help'],
      ['simulate', '--help'],
      ['test', '--help'],
      ['publish', '--help'],
      ['event', '--help'],
      ['worker', '--help'],
    ]) {
      const run = await signflow(args)
      expect(run.code, args.join(' ')).toBe(0)
      expect(run.stdout).toContain('Usage: signflow')
    }
  })

  it('accepts a file saved with a byte order mark', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'signflow-'))
    const file = join(dir, 'bom.json')
    await writeFile(file, `\ufeff${readFileSync(join(fixtures, 'invoice-signing.json'), 'utf8')}`)
    expect((await signflow(['validate', file])).code).toBe(0)
  })

  it('prints the root of the document as an empty path', async () => {
    const run = await signflow(['validate', '-'], '{"flow": {}}')
    expect(run.stdout.split('\n')[0]).toBe(
      '-:/formatVersion  format-version-missing  The graph has no formatVersion. (Add "formatVersion": 1 at the top of the document.)',
    )
    const root = await signflow(['validate', '-'], '[]')
    expect(root.stdout).toMatch(/^-: {2}not-an-object {2}A rule graph is a JSON object; this is an array\./)
  })

  it('reads standard input once, however often "-" is named', async () => {
    const run = await signflow(['validate', '-', '-'], readFileSync(join(fixtures, 'invoice-signing.json'), 'utf8'))
    expect(run.stdout).toBe('2 graphs checked: 2 valid, 0 errors, 0 warnings.\n')
    expect(run.code).toBe(0)
  })

  it('lists unreadable files in the JSON report too', async () => {
    const run = await signflow(['validate', '--json', '/no/such.json', join(fixtures, 'invoice-signing.json')])
    expect(run.code).toBe(2)
    const report = JSON.parse(run.stdout)
    expect(report.valid).toBe(false)
    expect(report.files[0]).toEqual({ file: '/no/such.json', valid: false, error: 'no such file', findings: [] })
    expect(report.files[1].valid).toBe(true)
  })

  it('stops quietly when the reader closes the pipe early', async () => {
    const files = brokenCases.map((c) => join(fixtures, 'broken', c.file)).join(' ')
    const run = await new Promise<Run>((resolve) => {
      execFile(
        'sh',
        ['-c', `"${process.execPath}" "${bin}" validate ${files} | head -c 10`],
        { cwd: root },
        (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }),
      )
    })
    expect(run.stdout).toHaveLength(10)
    expect(run.stderr).toBe('')
  })

  it('does not crash on a hostile graph', async () => {
    const run = await signflow(
      ['validate', '-'],
      `{"formatVersion":1,"__proto__":{"x":1},"pipeline":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('graph-too-deep')
    noStackTrace(run)
  })
})

describe('signflow simulate', () => {
  const scenarios = join(fixtures, 'scenarios')

  it('prints the timeline of a scenario and its expectations, exit 0 when they hold', async () => {
    const run = await signflow([
      'simulate',
      join(fixtures, 'large-deals-only.json'),
      '--scenario',
      join(scenarios, 'large-deals-only.scenario.json'),
    ])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(
      'small    ⤼ "Create the commercial offer" skipped: condition false: amount 4200 > 5000',
    )
    expect(run.stdout).toContain('✉ would send email to achats@sg.fr: "Our offer for Big deal" + document-1.pdf')
    expect(run.stdout).toContain('✓ variable netAmount = 3414.63')
  })

  it('prints JSON with --json', async () => {
    const run = await signflow([
      'simulate',
      join(fixtures, 'invoice-signing.json'),
      '--scenario',
      join(scenarios, 'invoice-signing.scenario.json'),
      '--json',
    ])
    const out = JSON.parse(run.stdout)
    expect(out.passed).toBe(true)
    expect(
      out.timeline.some((r: { type: string; stage?: string }) => r.type === 'stage.entered' && r.stage === 'signed'),
    ).toBe(true)
    expect(out.outbox[0].request).toMatchObject({ kind: 'sendForSigning', companySigner: 'Anna Kowalska' })
  })

  it('refuses an invalid graph with exit 1 and a broken scenario file with exit 2', async () => {
    const bad = await signflow([
      'simulate',
      join(fixtures, 'broken/setting-empty.json'),
      '--scenario',
      join(scenarios, 'invoice-signing.scenario.json'),
    ])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('is not a valid graph')
    const dir = await mkdtemp(join(tmpdir(), 'signflow-'))
    await writeFile(join(dir, 'x.scenario.json'), '{"formatVersion": 1, "name": "x"}')
    const broken = await signflow([
      'simulate',
      join(fixtures, 'invoice-signing.json'),
      '--scenario',
      join(dir, 'x.scenario.json'),
    ])
    expect(broken.code).toBe(2)
    expect(broken.stderr).toContain('is not a valid scenario')
    noStackTrace(broken)
    expect((await signflow(['simulate', join(fixtures, 'invoice-signing.json')])).code).toBe(2)
  })
})

describe('signflow test', () => {
  it('runs the seed scenarios: one line each and "N passed, N failed"', async () => {
    const run = await signflow(['test', 'shared/fixtures/scenarios/*.scenario.json'])
    expect(run.code).toBe(0)
    expect(run.stdout.trim().split('\n').at(-1)).toBe('5 passed, 0 failed')
    expect(run.stdout.match(/^✓ /gm)).toHaveLength(5)
  })

  it('fails with exit 1 and says which expectation did not hold', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'signflow-'))
    const scenario = JSON.parse(readFileSync(join(fixtures, 'scenarios/invoice-signing.scenario.json'), 'utf8'))
    scenario.graph = join(fixtures, 'invoice-signing.json')
    scenario.steps.push({ expect: { element: 'deal-1', stage: 'lost' } })
    await writeFile(join(dir, 'wrong.scenario.json'), JSON.stringify(scenario))
    await writeFile(join(dir, 'bad.scenario.json'), '{')
    const run = await signflow(['test', join(dir, '*.scenario.json')])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('step 11: expected deal-1 in "Lost"; but deal-1 is in "Signed", not "Lost"')
    expect(run.stdout).toContain('bad.scenario.json:1:2: not JSON')
    expect(run.stdout.trim().split('\n').at(-1)).toBe('0 passed, 2 failed')
    expect((await signflow(['test', join(dir, 'nothing-*.json')])).code).toBe(2)
  })
})

describe('signflow schema', () => {
  it('prints the JSON Schema that is committed in shared/schema/', async () => {
    const run = await signflow(['schema'])
    expect(run.code).toBe(0)
    const committed = readFileSync(join(root, 'shared/schema/graph-v1.schema.json'), 'utf8')
    // If this fails, the catalog or format changed: run `npm run schema` and commit the file.
    expect(run.stdout).toBe(committed)
    const schema = JSON.parse(run.stdout)
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(Object.keys(schema.$defs)).toEqual([
      'rule',
      'trigger',
      'value',
      'reference',
      'conditionGroup',
      'conditionRow',
    ])
  })

  it('prints the scenario schema committed in shared/schema/ with --scenario', async () => {
    const run = await signflow(['schema', '--scenario'])
    expect(run.stdout).toBe(readFileSync(join(root, 'shared/schema/scenario-v1.schema.json'), 'utf8'))
    expect(JSON.parse(run.stdout).title).toBe('Signflow scenario')
  })
})

describe('signflow catalog', () => {
  it('lists the rules and triggers by category', async () => {
    const run = await signflow(['catalog'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^Paperwork\n {2}createDocument +Create document \(rule\)/)
    expect(run.stdout).toContain('signedByClient')
    const json = JSON.parse((await signflow(['catalog', '--json', '--element-type', 'signingDocument'])).stdout)
    expect(json[0].items.find((i: { type: string }) => i.type === 'createDocument').disabledReason).toBeTruthy()
    expect((await signflow(['catalog', '--element-type', 'invoice'])).code).toBe(2)
  })
})
