import { readFile } from 'node:fs/promises'
import { type Finding, importGraph } from '../../shared/index.js'
import { EXIT, type Io } from './main.js'

interface FileReport {
  file: string
  valid: boolean
  /** Set when the file could not be read; it then has no findings. */
  error?: string
  findings: Array<Finding & { line?: number; column?: number }>
}

function describeReadError(error: unknown): string {
  const code = (error as { code?: string }).code
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EISDIR') return 'is a directory'
  if (code === 'EACCES') return 'permission denied'
  return error instanceof Error ? error.message : String(error)
}

/** `signflow validate FILE…` */
export async function runValidate(
  files: string[],
  options: { json?: boolean; allowWarnings?: boolean },
  io: Io,
): Promise<number> {
  let misuse = false
  let findings = false
  const reports: FileReport[] = []
  let stdin: Promise<string> | undefined // read once, however often "-" is named
  for (const file of files) {
    let text: string
    try {
      if (file === '-') {
        stdin ??= io.readStdin()
        text = await stdin
      } else text = await readFile(file, 'utf8')
    } catch (error) {
      misuse = true
      const reason = describeReadError(error)
      io.err(`signflow: cannot read ${file}: ${reason}\n`)
      reports.push({ file, valid: false, error: reason, findings: [] })
      continue
    }
    // Editors on Windows save JSON with a byte order mark; it is not part of the document.
    const result = importGraph(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
    if (result.syntaxError) misuse = true
    const counted = options.allowWarnings ? result.findings.filter((f) => f.severity === 'error') : result.findings
    if (counted.length > 0) findings = true
    reports.push({
      file,
      valid: result.valid,
      findings: result.findings.map((f) =>
        f.code === 'not-json' && result.syntaxError
          ? { ...f, line: result.syntaxError.line, column: result.syntaxError.column }
          : f,
      ),
    })
  }
  if (options.json) {
    io.out(`${JSON.stringify({ valid: reports.every((r) => r.valid), files: reports }, null, 2)}\n`)
  } else {
    for (const report of reports) {
      for (const f of report.findings) {
        const where = f.line !== undefined ? `${f.line}:${f.column}` : f.path
        const message = f.severity === 'warning' ? `Warning: ${f.message}` : f.message
        io.out(`${report.file}:${where}  ${f.code}  ${message} (${f.hint})\n`)
      }
    }
    io.out(`${summary(reports)}\n`)
  }
  if (misuse) return EXIT.misuse
  return findings ? EXIT.finding : EXIT.ok
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function summary(reports: FileReport[]): string {
  const read = reports.filter((r) => !r.error)
  if (read.length === 0) return 'No graph was read.'
  const count = (severity: Finding['severity']) =>
    read.reduce((n, r) => n + r.findings.filter((f) => f.severity === severity).length, 0)
  const valid = read.filter((r) => r.valid).length
  return `${plural(read.length, 'graph')} checked: ${valid} valid, ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}.`
}
