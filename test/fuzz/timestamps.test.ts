// Hive timestamps: any text is an instant or null (never an exception, never NaN), every instant in years
// 0000-9999 written by Date's own toISOString reads back as itself, and every input takes less than the budget.
import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import {parseHiveTimestamp} from '../../source/contract/timestamps.js';
import {codeUnit, timed, warmUp, runs} from './budget.js';

describe('fuzz: timestamps', () => {
	beforeAll(() => warmUp(parseHiveTimestamp, ['2025-08-07T10:30:00Z', '0050-01-01 00:00', 'x']));

	it('reads back every instant of years 0000-9999 in its three spellings', () => {
		const date = fc.date({min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true});
		fc.assert(
			fc.property(date, fc.integer({min: -23 * 60, max: 23 * 60}), (d, offsetMinutes) => {
				const iso = d.toISOString();
				expect(parseHiveTimestamp(iso)).toBe(d.getTime());
				expect(parseHiveTimestamp(iso.slice(0, -1))).toBe(d.getTime());
				const local = new Date(d.getTime() + offsetMinutes * 60_000);
				if (local.getUTCFullYear() < 0 || local.getUTCFullYear() > 9999) return;
				const sign = offsetMinutes < 0 ? '-' : '+';
				const abs = Math.abs(offsetMinutes);
				const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
				expect(parseHiveTimestamp(local.toISOString().slice(0, -1) + offset)).toBe(d.getTime());
			}),
			{numRuns: runs(1000)},
		);
	});

	it('any text is an instant or null, within the budget', () => {
		const text = fc.oneof(
			fc.string({unit: fc.oneof(fc.constantFrom('0', '1', '2', '9', '-', ':', 'T', ' ', '.', 'Z', '+'), codeUnit), maxLength: 40}),
			fc.date({noInvalidDate: true}).map((d) => d.toISOString()),
		);
		fc.assert(
			fc.property(text, (t) => {
				const {result, error} = timed('parseHiveTimestamp', () => parseHiveTimestamp(t));
				expect(error).toBeUndefined();
				expect(result === null || Number.isFinite(result)).toBe(true);
			}),
			{numRuns: runs(2000)},
		);
		for (const t of ['1'.repeat(262_144), `2025-08-07T10:30:00.${'1'.repeat(100_000)}`, ' '.repeat(262_144)]) {
			expect(timed('long', () => parseHiveTimestamp(t)).result).toBeNull();
		}
	});
});
