/**
 * Commands for integrators and CI that talk to a running server: `publish` a graph file as the
 * next version of its flow, send an `event` for an element, and `test --flow` (run the scenarios
 * stored next to a flow). `--server` (default `$SIGNFLOW_SERVER`, else http://127.0.0.1:8080) and
 * `--token` (default `$SIGNFLOW_TOKEN`, sent as a bearer token). Exit 0 done, 1 refused by the
 * server, an invalid graph or a failed scenario, 2 misuse or an unreachable server.
 */
import { readFile } from 'node:fs/promises'
import { runScenario, type Scenario, scenarioProblems } from '../../shared/engine/scenario.js'
import { type Graph, importGraph, validate } from '../../shared/index.js'
import { EXIT, type Io } from './main.js'
import { progressBar, reportTests, type TestResult, testResult } from './test.js'

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

/** One request; `body` undefined sends none (a GET). */
async function call(base: URL, path: string, method: string, body: unknown, options: RemoteOptions): Promise<Answer> {
  const token = options.token ?? process.env.SIGNFLOW_TOKEN
  const response = await fetch(new URL(path, base), {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
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

/** Which graph `test --flow` runs the scenarios on: the draft, the latest published version, or version N. */
type Which = 'draft' | 'latest' | number

function whichGraph(text: string | undefined): Which | undefined {
  if (text === undefined || text === 'draft') return 'draft'
  if (text === 'latest') return 'latest'
  return /^[1-9]\d{0,8}$/.test(text) ? Number(text) : undefined
}

/** What `test --flow` runs: the flow's stored scenarios, and the graph they run on. */
interface Fetched {
  /** "the draft", "version 3". */
  label: string
  graph: unknown
  scenarios: Array<{ id: string; name: string; scenario: unknown }>
}

/** A refusal while reading what to test, as one line; a 401 says how to authenticate. */
function readRefusal(what: string, answer: Answer): string {
  const hint = answer.status === 401 ? '; pass an API token with --token or $SIGNFLOW_TOKEN' : ''
  return `signflow: cannot read ${what}: ${refusal(answer)}${hint}\n`
}

/**
 * `signflow test --flow ID [--version draft|latest|N]`: the scenarios stored next to the flow on the
 * server (the designer's simulator keeps them there), run on its draft, its latest published version or
 * version N, printed as `signflow test` prints scenario files. Exit 0 all passed, 1 one failed, 2 misuse,
 * no scenarios or an unreachable server.
 */
export async function runRemoteTests(
  options: RemoteOptions & { flow: string; version?: string },
  io: Io,
): Promise<number> {
  const which = whichGraph(options.version)
  if (which === undefined) {
    io.err(`signflow: --version must be draft, latest or a version number, not "${options.version}"\n`)
    return EXIT.misuse
  }
  const flow = options.flow
  const flowPath = `/api/flows/${encodeURIComponent(flow)}`
  let fetched: Fetched | undefined
  const code = await withServer(options, io, async (base) => {
    const flowAnswer = await call(base, flowPath, 'GET', undefined, options)
    if (flowAnswer.status !== 200) {
      io.err(readRefusal(`flow "${flow}"`, flowAnswer))
      return EXIT.misuse
    }
    const { draft, latestVersion } = flowAnswer.body as { draft: unknown; latestVersion: number | null }
    let label = 'the draft'
    let graph = draft
    if (which !== 'draft') {
      const number = which === 'latest' ? latestVersion : which
      if (number === null) {
        io.err(`signflow: flow "${flow}" has no published version yet; leave out --version to test its draft\n`)
        return EXIT.misuse
      }
      const version = await call(base, `${flowPath}/versions/${number}`, 'GET', undefined, options)
      if (version.status !== 200) {
        io.err(readRefusal(`version ${number} of flow "${flow}"`, version))
        return EXIT.misuse
      }
      label = `version ${number}`
      graph = version.body
    }
    const stored = await call(base, `${flowPath}/scenarios`, 'GET', undefined, options)
    if (stored.status !== 200) {
      io.err(readRefusal(`the scenarios of flow "${flow}"`, stored))
      return EXIT.misuse
    }
    const items = (stored.body as { items?: Fetched['scenarios'] }).items ?? []
    if (items.length === 0) {
      io.err(`signflow: flow "${flow}" has no stored scenarios (the designer's simulator keeps them)\n`)
      return EXIT.misuse
    }
    fetched = { label, graph, scenarios: items }
    return EXIT.ok
  })
  if (!fetched) return code

  // A draft may be saved while it still has errors: then no scenario can run on it, and each says why.
  const checked = validate(fetched.graph)
  const graph: Graph | undefined = checked.valid ? checked.graph : undefined
  const errors = checked.findings.filter((f) => f.severity === 'error')
  const graphFailures = [
    `${fetched.label} of flow "${flow}" is not a valid graph (${errors.length} error${errors.length === 1 ? '' : 's'}):`,
    ...errors.slice(0, 5).map((f) => `  ${f.path}  ${f.code}  ${f.message}`),
  ]
  const bar = progressBar(io, fetched.scenarios.length, options)
  const results: TestResult[] = []
  for (const item of fetched.scenarios) {
    const shown = `${flow}/scenarios/${item.id}`
    const problems = scenarioProblems(item.scenario)
    if (!graph) results.push({ file: shown, name: item.name, passed: false, failures: graphFailures })
    else if (problems.length) {
      results.push({
        file: shown,
        name: item.name,
        passed: false,
        failures: ['not a valid scenario:', ...problems.map((p) => `  ${p}`)],
      })
    } else results.push(testResult(shown, runScenario(item.scenario as Scenario, graph)))
    bar?.increment()
  }
  bar?.stop()
  return reportTests(results, options, io, { flow, graph: fetched.label.replace(/^the /, '') })
}
