/**
 * Commands for integrators and CI that talk to a running server: `publish` a graph file as the
 * next version of its flow, and send an `event` for an element. `--server` (default
 * `$SIGNFLOW_SERVER`, else http://127.0.0.1:8080) and `--token` (default `$SIGNFLOW_TOKEN`, sent
 * as a bearer token). Exit 0 done, 1 refused by the server or an invalid graph, 2 misuse or an
 * unreachable server.
 */
import { readFile } from 'node:fs/promises'
import { importGraph } from '../../shared/index.js'
import { EXIT, type Io } from './main.js'

export interface RemoteOptions {
  server?: string
  token?: string
  json?: boolean
}

interface Answer {
  status: number
  body: unknown
}

function serverUrl(options: RemoteOptions): URL | string {
  const raw = options.server ?? process.env.SIGNFLOW_SERVER ?? 'http://127.0.0.1:8080'
  try {
    const url = new URL(raw)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `--server must be an http(s) URL, not "${raw}"`
    return url
  } catch {
    return `--server must be a URL such as http://127.0.0.1:8080, not "${raw}"`
  }
}

async function call(base: URL, path: string, method: string, body: unknown, options: RemoteOptions): Promise<Answer> {
  const token = options.token ?? process.env.SIGNFLOW_TOKEN
  const response = await fetch(new URL(path, base), {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  })
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // not JSON: kept as text for the message
  }
  return { status: response.status, body: parsed }
}

/** The server's `{"error":{code,message,path}}` as one line. */
function refusal(answer: Answer): string {
  const error = (answer.body as { error?: { code?: string; message?: string; path?: string } })?.error
  if (!error) return `the server answered ${answer.status}`
  return `${error.message ?? error.code ?? 'refused'}${error.path ? ` (at ${error.path})` : ''} [${answer.status} ${error.code ?? ''}]`
}

async function withServer(options: RemoteOptions, io: Io, run: (base: URL) => Promise<number>): Promise<number> {
  const base = serverUrl(options)
  if (typeof base === 'string') {
    io.err(`signflow: ${base}\n`)
    return EXIT.misuse
  }
  try {
    return await run(base)
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code
    io.err(`signflow: cannot reach the server at ${base.origin}${cause ? ` (${cause})` : ''}: is it running?\n`)
    return EXIT.misuse
  }
}

/** `signflow publish GRAPH [--flow ID]`: the graph becomes the flow's next version. */
export async function runPublish(file: string, options: RemoteOptions & { flow?: string }, io: Io): Promise<number> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    io.err(
      `signflow: cannot read ${file}: ${(error as { code?: string }).code === 'ENOENT' ? 'no such file' : String(error)}\n`,
    )
    return EXIT.misuse
  }
  const imported = importGraph(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
  if (imported.syntaxError) {
    const e = imported.syntaxError
    io.err(`signflow: ${file}:${e.line}:${e.column}: not JSON: ${e.message}\n`)
    return EXIT.misuse
  }
  if (!imported.valid || !imported.graph) {
    const errors = imported.findings.filter((f) => f.severity === 'error')
    io.err(`signflow: ${file} is not a valid graph, nothing was published:\n`)
    for (const f of errors.slice(0, 10)) io.err(`  ${f.path}  ${f.code}  ${f.message}\n`)
    return EXIT.finding
  }
  const graph = imported.graph
  const flow = options.flow ?? graph.flow.id
  return withServer(options, io, async (base) => {
    const answer = await call(base, `/api/flows/${encodeURIComponent(flow)}/versions`, 'POST', { graph }, options)
    if (answer.status !== 200 && answer.status !== 201) {
      io.err(`signflow: not published: ${refusal(answer)}\n`)
      return answer.status === 401 || answer.status === 403 || answer.status === 404 ? EXIT.misuse : EXIT.finding
    }
    const version = answer.body as { number: number; hash: string }
    if (options.json) io.out(`${JSON.stringify({ flow, ...version, created: answer.status === 201 })}\n`)
    else if (answer.status === 201)
      io.out(`published ${flow} version ${version.number} (${version.hash.slice(0, 12)})\n`)
    else io.out(`unchanged: ${flow} version ${version.number} has this content already\n`)
    return EXIT.ok
  })
}

/** `signflow event ELEMENT TYPE [--document-type T]`: something happened to an element. */
export async function runEvent(
  element: string,
  type: string,
  options: RemoteOptions & { documentType?: string },
  io: Io,
): Promise<number> {
  return withServer(options, io, async (base) => {
    const body = { type, ...(options.documentType ? { documentType: options.documentType } : {}) }
    const answer = await call(base, `/api/elements/${encodeURIComponent(element)}/events`, 'POST', body, options)
    if (answer.status !== 200) {
      io.err(`signflow: the event was refused: ${refusal(answer)}\n`)
      return answer.status === 422 ? EXIT.finding : EXIT.misuse
    }
    const after = answer.body as { id: string; stage: string | null; revision: number }
    if (options.json) io.out(`${JSON.stringify(after)}\n`)
    else io.out(`${after.id} is in stage "${after.stage ?? '—'}" (revision ${after.revision})\n`)
    return EXIT.ok
  })
}
