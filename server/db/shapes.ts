/**
 * Queries of a fixed shape, compiled once. Kysely builds and compiles a query in a few
 * microseconds; on the hot path of the runtime (thousands of inputs a second, several queries
 * each) that adds up. A shape is built once with placeholder values, compiled, and each
 * placeholder's place among the parameters remembered; later runs copy the compiled query and
 * put the real values in those places. Values only: anything that changes the SQL text (a
 * column name, the number of rows) must be part of the shape's key.
 */
import type { Compilable, CompiledQuery, Kysely, QueryResult, Transaction } from 'kysely'
import type { Database } from './schema.js'

/** The database or a transaction on it. */
export type Executor = Kysely<Database> | Transaction<Database>

const PLACEHOLDER = '\u0000signflow-shape-arg-'

export class QueryShape<Args extends unknown[]> {
  private readonly compiled = new Map<string, { query: CompiledQuery; places: number[][] }>()

  constructor(private readonly build: (db: Executor, ...args: Args) => Compilable) {}

  /** Runs the shape with these values. `dialect` keys the compiled text (placeholders differ). */
  async run<R = unknown>(db: Executor, dialect: string, ...args: Args): Promise<QueryResult<R>> {
    let known = this.compiled.get(dialect)
    if (!known) {
      const marks = args.map((_, i) => `${PLACEHOLDER}${i}`) as unknown as Args
      const query = this.build(db, ...marks).compile()
      const places = args.map((_, i) => query.parameters.flatMap((p, at) => (p === `${PLACEHOLDER}${i}` ? [at] : [])))
      const unplaced = places.findIndex((p) => p.length === 0)
      if (unplaced >= 0) throw new Error(`query shape: argument ${unplaced} does not appear among the parameters`)
      known = { query, places }
      this.compiled.set(dialect, known)
    }
    const parameters = [...known.query.parameters]
    known.places.forEach((at, i) => {
      for (const j of at) parameters[j] = args[i]
    })
    return db.executeQuery<R>({ ...known.query, parameters })
  }
}

/**
 * An insert of rows with fixed columns, compiled once per number of rows (up to `maxRows`;
 * more rows are built the usual way). Rows are value lists in the order of `columns`.
 */
export class InsertShape<T extends keyof Database & string> {
  private readonly shapes = new Map<number, QueryShape<unknown[]>>()

  constructor(
    private readonly table: T,
    private readonly columns: ReadonlyArray<keyof Database[T] & string>,
    private readonly maxRows = 50,
  ) {}

  async run(db: Executor, dialect: string, rows: unknown[][]): Promise<void> {
    if (rows.length === 0) return
    const width = this.columns.length
    const build = (q: Executor, values: unknown[]) =>
      q
        .insertInto(this.table)
        .values(
          Array.from({ length: values.length / width }, (_, r) =>
            Object.fromEntries(this.columns.map((c, i) => [c, values[r * width + i]])),
          ) as never,
        )
    if (rows.length > this.maxRows) {
      await build(db, rows.flat()).execute()
      return
    }
    let shape = this.shapes.get(rows.length)
    if (!shape) {
      shape = new QueryShape((q, ...values: unknown[]) => build(q, values))
      this.shapes.set(rows.length, shape)
    }
    await shape.run(db, dialect, ...rows.flat())
  }
}
