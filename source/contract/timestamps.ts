// The hive's timestamps come in three spellings: with an offset, naive (meaning UTC) and
// naive with Z, with up to microseconds. Date.parse would read the naive form as local time, so they are
// parsed here field by field into epoch milliseconds; ages are computed from numbers, never strings.
import {GenerationalCache} from '../util/generational-cache.js';

const ISO =
	/^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

const MAX_TIMESTAMP_TEXT = 64;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
	if (month !== 2) return MONTH_DAYS[month - 1]!;
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

// A poll of 10,000 agents reads 30,000 timestamps, nearly all of them the same text as the poll before
// (created_at, last_active, heartbeats that did not move): remembered, they cost a lookup instead of a
// regex match and a Date. Bounded at 100,000 entries (two generations of 50,000), and by age: a timestamp
// not read for a minute or two (a heartbeat that has since moved) is dropped, so a small hive's memo does
// not fill towards that ceiling over an hour of polls.
const cache = new GenerationalCache<string, number | null>(50_000);

/** Entries held by the memo (tests check it stays bounded). */
export function timestampCacheSize(): number {
	return cache.size;
}

/** Epoch ms (UTC) for a hive timestamp, or null when the text is not one. Sub-ms digits are dropped. */
export function parseHiveTimestamp(text: string): number | null {
	// The longest spelling ("2025-08-07T10:30:00.123456789+02:00", with spaces around) is far shorter: longer
	// text is no timestamp, and is neither matched nor kept in the memo.
	if (text.length > MAX_TIMESTAMP_TEXT) return null;
	const known = cache.get(text);
	if (known !== undefined) return known;
	const parsed = parseUncached(text);
	cache.set(text, parsed);
	return parsed;
}

function parseUncached(text: string): number | null {
	const m = ISO.exec(text.trim());
	if (!m) return null;
	const year = Number(m[1]);
	const month = Number(m[2]);
	const day = Number(m[3]);
	const hour = Number(m[4]);
	const minute = Number(m[5]);
	const second = m[6] === undefined ? 0 : Number(m[6]);
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
	if (hour > 23 || minute > 59 || second > 59) return null;
	const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
	let epoch: number;
	if (year >= 100) epoch = Date.UTC(year, month - 1, day, hour, minute, second, ms);
	else {
		// Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear takes the year as written.
		const date = new Date(0);
		date.setUTCFullYear(year, month - 1, day);
		date.setUTCHours(hour, minute, second, ms);
		epoch = date.getTime();
	}
	if (m[9] !== undefined) {
		const offsetHours = Number(m[10]);
		const offsetMinutes = Number(m[11]);
		if (offsetHours > 23 || offsetMinutes > 59) return null;
		const offsetMs = (offsetHours * 60 + offsetMinutes) * 60_000;
		epoch += m[9] === '+' ? -offsetMs : offsetMs;
	}
	return epoch;
}

/** Whole seconds from `thenMs` to `nowMs`, never negative (a hive clock slightly ahead reads as 0). */
export function ageSeconds(thenMs: number | null, nowMs: number): number | null {
	if (thenMs === null) return null;
	return Math.max(0, Math.floor((nowMs - thenMs) / 1000));
}
