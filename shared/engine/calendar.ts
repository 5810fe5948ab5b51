/**
 * Time arithmetic in the company's time zone and working hours (date-fns with @date-fns/tz),
 * so that "after 1 day, within working hours" means the same in the browser and the server.
 */
import { TZDate } from '@date-fns/tz'
import type { Duration } from '../graph/schema-parts.js'
import type { WorkingCalendar } from './types.js'

const DAY_LIMIT = 800 // never search longer than this for a working moment (a calendar with no work days)

function hm(text: string): [number, number] {
  const [h = '0', m = '0'] = text.split(':')
  return [Number(h), Number(m)]
}

function localDate(d: TZDate): string {
  const mm = String(d.getMonth() + 1).padStart(2, '0')
  const dd = String(d.getDate()).padStart(2, '0')
  return `${d.getFullYear()}-${mm}-${dd}`
}

function isWorkDay(d: TZDate, calendar: WorkingCalendar): boolean {
  const iso = d.getDay() === 0 ? 7 : d.getDay()
  return calendar.workDays.includes(iso) && !calendar.holidays.includes(localDate(d))
}

/** The moment `hh:mm` on the local day of `d` (DST-aware). */
function atTime(d: TZDate, time: string, tz: string): TZDate {
  const [h, m] = hm(time)
  return new TZDate(d.getFullYear(), d.getMonth(), d.getDate(), h, m, 0, 0, tz)
}

function nextDay(d: TZDate, tz: string): TZDate {
  return new TZDate(d.getFullYear(), d.getMonth(), d.getDate() + 1, 0, 0, 0, 0, tz)
}

/** The earliest moment at or after `t` that lies within working hours. */
export function nextWorkingMoment(t: number, calendar: WorkingCalendar): number {
  const tz = calendar.timeZone
  let d = new TZDate(t, tz)
  for (let i = 0; i < DAY_LIMIT; i++) {
    if (isWorkDay(d, calendar)) {
      const start = atTime(d, calendar.start, tz)
      const end = atTime(d, calendar.end, tz)
      if (d.getTime() < start.getTime()) return start.getTime()
      if (d.getTime() < end.getTime()) return d.getTime()
    }
    d = nextDay(d, tz)
  }
  return t
}

/** `t` plus a duration; days are local calendar days, work days skip weekends and holidays. */
export function addDuration(t: number, duration: Duration, calendar: WorkingCalendar): number {
  const tz = calendar.timeZone
  switch (duration.unit) {
    case 'minutes':
      return t + duration.amount * 60_000
    case 'hours':
      return t + duration.amount * 3_600_000
    case 'days': {
      const d = new TZDate(t, tz)
      d.setDate(d.getDate() + duration.amount)
      return d.getTime()
    }
    case 'workDays': {
      const d = new TZDate(t, tz)
      const step = duration.amount < 0 ? -1 : 1
      let left = Math.abs(duration.amount)
      for (let i = 0; left > 0 && i < DAY_LIMIT * 5; i++) {
        d.setDate(d.getDate() + step)
        if (isWorkDay(d, calendar)) left--
      }
      return d.getTime()
    }
  }
}

/** A date or date-time field value as a moment: a plain date is local midnight (or `at`). */
export function momentOf(value: unknown, calendar: WorkingCalendar, at?: string): number | undefined {
  if (typeof value !== 'string') return undefined
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (date) {
    const [h, m] = hm(at ?? '00:00')
    return new TZDate(Number(date[1]), Number(date[2]) - 1, Number(date[3]), h, m, 0, 0, calendar.timeZone).getTime()
  }
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) return undefined
  if (!at) return ms
  return atTime(new TZDate(ms, calendar.timeZone), at, calendar.timeZone).getTime()
}

/** "2026-11-24 09:00 (Europe/Warsaw)": a moment as people in the company read it. */
export function formatLocal(t: number, calendar: WorkingCalendar): string {
  const d = new TZDate(t, calendar.timeZone)
  const hh = String(d.getHours()).padStart(2, '0')
  const mi = String(d.getMinutes()).padStart(2, '0')
  return `${localDate(d)} ${hh}:${mi} (${calendar.timeZone})`
}

/**
 * The company's local day around moment `t`: its date as the UTC midnight of that date (how
 * plain dates compare), and the moments it starts and ends.
 */
export function localDay(t: number, calendar: WorkingCalendar): { date: number; from: number; to: number } {
  const d = new TZDate(t, calendar.timeZone)
  return {
    date: Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()),
    from: atTime(d, '00:00', calendar.timeZone).getTime(),
    to: nextDay(d, calendar.timeZone).getTime(),
  }
}
