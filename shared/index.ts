/**
 * The code shared by the designer, the simulator, the runtime and the CLI. Imports nothing
 * from node:*, React, Hono or Kysely.
 */
export * from './catalog/index.js'
export * from './graph/fields.js'
export * from './graph/graph.js'
export * from './graph/io.js'
export * from './graph/migrate.js'
export * from './graph/schema-parts.js'
export * from './graph/vocabulary.js'
export * from './validate/finding.js'
export * from './validate/validate.js'
