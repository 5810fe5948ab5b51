/**
 * `signflow <command>`: exit 0 on success, 1 on a finding, 2 on misuse or unreadable input.
 * Every command has `--help`; machine output with `--json`. Never a stack trace for bad input.
 */
import { Argument, Command, CommanderError, Option } from 'commander'
import { runAuditVerify } from './audit.js'
import { runCatalog } from './catalog.js'
import { runEvent, runPublish, runRemoteTests } from './remote.js'
import { runSchema } from './schema.js'
import { runServe } from './serve.js'
import { runSimulate } from './simulate.js'
import { runTests } from './test.js'
import { runValidate } from './validate.js'
import { runWorker } from './worker.js'

export const EXIT = { ok: 0, finding: 1, misuse: 2 } as const

export interface Io {
  out: (text: string) => void
  err: (text: string) => void
  readStdin: () => Promise<string>
  /** Whether output goes to a terminal (progress bars only then). */
  isTty?: boolean
}

const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTty: process.stdout.isTTY === true,
  readStdin: async () => {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  },
}

/** Runs the CLI with `argv` (without `node` and the script) and resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code: number = EXIT.ok
  const program = new Command('signflow')
    .description('Signflow: design, check and run document-signing automation for sales pipelines.')
    .version('0.1.0', '-v, --version')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    // Options after a command's name are the command's: `test --version 3` is not the program's --version.
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')

  program
    .command('validate')
    .description('Check rule graphs (JSON files, or - for standard input) against the schema and the semantic rules.')
    .argument('<file...>', 'graph files')
    .option('--json', 'print the findings as JSON')
    .option('--allow-warnings', 'exit 0 when a graph has warnings but no errors')
    .addHelpText(
      'after',
      '\nPrints one line per finding: FILE:PATH  code  message (hint).\nExit codes: 0 valid, 1 findings, 2 misuse or unreadable/non-JSON input.',
    )
    .action(async (files: string[], options: { json?: boolean; allowWarnings?: boolean }) => {
      code = await runValidate(files, options, io)
    })

  program
    .command('schema')
    .description(
      'Print the JSON Schema (draft 2020-12) of the rule graph format (or, with --scenario, of scenario files).',
    )
    .option('--out <file>', 'write it to a file instead')
    .option('--scenario', 'the schema of scenario files')
    .action(async (options: { out?: string; scenario?: boolean }) => {
      code = await runSchema(options, io)
    })

  program
    .command('simulate')
    .description('Play a scenario on a graph with a virtual clock; nothing is sent. Prints the timeline.')
    .argument('<graph>', 'the graph file')
    .requiredOption('--scenario <file>', 'the scenario file (sample elements, steps, expectations)')
    .option('--json', 'print the timeline, outbox and expectations as JSON')
    .action(async (graph: string, options: { scenario: string; json?: boolean }) => {
      code = await runSimulate(graph, options, io)
    })

  program
    .command('test')
    .description(
      'Run scenarios as regression tests: scenario files, or with --flow the scenarios stored next to a flow on a ' +
        'server (the designer\'s simulator keeps them there); prints one line per scenario and "N passed, N failed".',
    )
    .addArgument(new Argument('[glob...]', 'scenario files or globs').default([], '**/*.scenario.json'))
    .option('--flow <id>', 'run the scenarios stored next to this flow on the server, instead of files')
    .option('--version <which>', 'with --flow, the graph they run on: draft (default), latest or a version number')
    .option('--server <url>', 'with --flow, the server (default: $SIGNFLOW_SERVER or http://127.0.0.1:8080)')
    .option('--token <token>', 'with --flow, an API token (default: $SIGNFLOW_TOKEN)')
    .option('--json', 'print the results as JSON')
    .addHelpText(
      'after',
      '\nWith --flow, the scenarios come from GET /api/flows/<id>/scenarios and the graph from the flow: its\n' +
        'draft, its latest published version or version N. For example, in CI:\n' +
        '  signflow test --server https://sign.example.com --flow sales --version latest\n' +
        'Exit codes: 0 all passed, 1 a scenario failed, 2 misuse, no scenarios, or a server that cannot be\n' +
        'reached or refuses.',
    )
    .action(
      async (
        patterns: string[],
        options: { flow?: string; version?: string; server?: string; token?: string; json?: boolean },
      ) => {
        if (options.flow === undefined) {
          const remoteOnly = (['version', 'server', 'token'] as const).filter((o) => options[o] !== undefined)
          if (remoteOnly.length) {
            io.err(
              `signflow: ${remoteOnly.map((o) => `--${o}`).join(', ')} go${remoteOnly.length === 1 ? 'es' : ''} with --flow\n`,
            )
            code = EXIT.misuse
            return
          }
          code = await runTests(patterns, options, io)
          return
        }
        if (patterns.length) {
          io.err('signflow: give scenario files or --flow, not both\n')
          code = EXIT.misuse
          return
        }
        code = await runRemoteTests({ ...options, flow: options.flow }, io)
      },
    )

  program
    .command('catalog')
    .description('List the rule and trigger types, by category.')
    .addOption(
      new Option('--element-type <type>', 'the pipeline the palette is for')
        .choices(['deal', 'lead', 'contact', 'signingDocument'])
        .default('deal'),
    )
    .option('--json', 'print the catalog as JSON')
    .action((options: { elementType: 'deal' | 'lead' | 'contact' | 'signingDocument'; json?: boolean }) => {
      code = runCatalog(options, io)
    })

  program
    .command('serve')
    .description('Start the server: the API under /api and the designer at /.')
    .option('--port <port>', 'port to listen on (default: $PORT or 8080)')
    .option('--host <host>', 'address to listen on (default: $HOST or 127.0.0.1)')
    .option('--demo', 'on an empty database, seed the demo: pipelines, deals, clients, people (also $SIGNFLOW_DEMO=1)')
    .action(async (options: { port?: string; host?: string; demo?: boolean }) => {
      code = await runServe(options, io)
    })

  program
    .command('publish')
    .description('Publish a graph file as the next version of its flow on a running server.')
    .argument('<graph>', 'the graph file')
    .option('--flow <id>', "the flow to publish to (default: the graph's flow.id)")
    .option('--server <url>', 'the server (default: $SIGNFLOW_SERVER or http://127.0.0.1:8080)')
    .option('--token <token>', 'an API token (default: $SIGNFLOW_TOKEN)')
    .option('--json', 'print the version as JSON')
    .action(async (graph: string, options: { flow?: string; server?: string; token?: string; json?: boolean }) => {
      code = await runPublish(graph, options, io)
    })

  program
    .command('event')
    .description('Tell a running server that something happened to an element (signed, viewed, paid, …).')
    .argument('<element>', 'the element id')
    .argument(
      '<type>',
      'signedByCompany, signedByClient, signedByAll, documentViewed, signingRefused, signingExpired, invoicePaid, …',
    )
    .option('--document-type <type>', 'the document it is about (invoice, contract, …)')
    .option('--server <url>', 'the server (default: $SIGNFLOW_SERVER or http://127.0.0.1:8080)')
    .option('--token <token>', 'an API token (default: $SIGNFLOW_TOKEN)')
    .option('--json', 'print the element afterwards as JSON')
    .action(
      async (
        element: string,
        type: string,
        options: { documentType?: string; server?: string; token?: string; json?: boolean },
      ) => {
        code = await runEvent(element, type, options, io)
      },
    )

  program
    .command('worker')
    .description('Run due rules and deliver effects (email, SMS, …) without HTTP; several may share one PostgreSQL.')
    .option('--database <url>', 'postgres://… or a SQLite file (default: $DATABASE_URL or data/signflow.sqlite)')
    .action(async (options: { database?: string }) => {
      code = await runWorker(options, io)
    })

  program
    .command('audit')
    .description('Check the audit log.')
    .command('verify')
    .description(
      "Recompute the audit log's hash chain and name the first row that was edited, deleted or reordered (exit 1).",
    )
    .option('--database <url>', 'postgres://… or a SQLite file (default: $DATABASE_URL or data/signflow.sqlite)')
    .option('--json', 'print the report as JSON')
    .action(async (options: { database?: string; json?: boolean }) => {
      code = await runAuditVerify(options, io)
    })

  if (argv.length === 0) {
    io.err(program.helpInformation())
    return EXIT.misuse
  }
  try {
    await program.parseAsync(argv, { from: 'user' })
    return code
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exitCode 0; everything else is misuse.
      return error.exitCode === 0 ? EXIT.ok : EXIT.misuse
    }
    io.err(`signflow: ${error instanceof Error ? error.message : String(error)}\n`)
    return EXIT.misuse
  }
}
