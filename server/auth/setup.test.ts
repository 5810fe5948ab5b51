import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { sessionSecret } from './setup.js'

describe('the session secret', () => {
  const dir = mkdtempSync(join(tmpdir(), 'signflow-secret-'))
  const saved = process.env.SIGNFLOW_SECRET
  afterEach(() => {
    if (saved === undefined) delete process.env.SIGNFLOW_SECRET
    else process.env.SIGNFLOW_SECRET = saved
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const lines: string[] = []
  const log = (line: string) => lines.push(line)

  it('is made once beside the SQLite file, readable by its owner only, and kept', () => {
    delete process.env.SIGNFLOW_SECRET
    const db = join(dir, 'a', 'signflow.sqlite')
    const first = sessionSecret(db, log)
    expect(first.length).toBeGreaterThanOrEqual(32)
    expect(sessionSecret(db, log)).toBe(first)
    const file = join(dir, 'a', 'signflow.secret')
    expect(readFileSync(file, 'utf8').trim()).toBe(first)
    expect(statSync(file).mode & 0o077).toBe(0)
  })

  it('refuses a short one, in the file or in SIGNFLOW_SECRET, saying what to do', () => {
    delete process.env.SIGNFLOW_SECRET
    const db = join(dir, 'short.sqlite')
    writeFileSync(join(dir, 'signflow.secret'), 'hunter2\n')
    expect(() => sessionSecret(db, log)).toThrow(/shorter than 32 characters.*delete the file/)
    process.env.SIGNFLOW_SECRET = 'too short'
    expect(() => sessionSecret(db, log)).toThrow(/at least 32 characters/)
  })

  it('without a file (PostgreSQL) and without SIGNFLOW_SECRET lives as long as the process, and says so', () => {
    delete process.env.SIGNFLOW_SECRET
    lines.length = 0
    const a = sessionSecret(undefined, log)
    expect(sessionSecret(undefined, log)).not.toBe(a)
    expect(lines.join('\n')).toMatch(/SIGNFLOW_SECRET is not set/)
  })
})
