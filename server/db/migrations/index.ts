// Every migration, listed by hand (no folder scanning, so bundles and `tsx` see the same list).
// Add a new migration as a new timestamp-named file and a new line here; never edit or rename old ones.
// Kysely runs them in the alphabetical order of these names.
import type { Migration, MigrationProvider } from 'kysely'
import * as initial from './2026_11_23_0001_initial.js'
import * as messageKeys from './2026_11_23_0002_message_keys.js'
import * as webhooks from './2026_11_23_0003_webhooks.js'
import * as directory from './2026_11_23_0004_directory.js'
import * as runtimeState from './2026_11_23_0005_runtime_state.js'
import * as auditChain from './2026_11_23_0006_audit_chain.js'
import * as webhookSubscriptions from './2026_11_23_0007_webhook_subscriptions.js'
import * as auth from './2026_11_23_0008_auth.js'
import * as passwordChange from './2026_11_23_0009_password_change.js'
import * as documents from './2026_11_23_0010_documents.js'
import * as signingLinks from './2026_11_23_0011_signing_links.js'
import * as versionNotes from './2026_11_23_0012_version_notes.js'
import * as flowScenarios from './2026_11_23_0013_flow_scenarios.js'
import * as companyCalendar from './2026_11_24_0014_company_calendar.js'

/** The migrations by name, as Kysely's `Migrator` records them in `kysely_migration`. */
export const migrations: Readonly<Record<string, Migration>> = {
  '2026_11_23_0001_initial': initial,
  '2026_11_23_0002_message_keys': messageKeys,
  '2026_11_23_0003_webhooks': webhooks,
  '2026_11_23_0004_directory': directory,
  '2026_11_23_0005_runtime_state': runtimeState,
  '2026_11_23_0006_audit_chain': auditChain,
  '2026_11_23_0007_webhook_subscriptions': webhookSubscriptions,
  '2026_11_23_0008_auth': auth,
  '2026_11_23_0009_password_change': passwordChange,
  '2026_11_23_0010_documents': documents,
  '2026_11_23_0011_signing_links': signingLinks,
  '2026_11_23_0012_version_notes': versionNotes,
  '2026_11_23_0013_flow_scenarios': flowScenarios,
  '2026_11_24_0014_company_calendar': companyCalendar,
}

/** A `MigrationProvider` for Kysely's `Migrator` that serves {@link migrations}. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...migrations }),
}
