// A company of ours keeps its working calendar: the time zone, work days, hours and holidays that delays "in
// working hours" and work days follow (shared/engine/types.ts WorkingCalendar, as JSON text). The runtime
// schedules with the calendar of the default company of ours (the first made); null: none set, the runtime's
// default applies (UTC, Monday to Friday, 09:00–18:00).
// Written against an untyped `Kysely`, as every migration is.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('my_companies').addColumn('calendar', 'text').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('my_companies').dropColumn('calendar').execute()
}
