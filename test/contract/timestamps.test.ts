import {describe, expect, it, vi} from 'vitest';
import {ageSeconds, parseHiveTimestamp, timestampCacheSize} from '../../source/contract/timestamps.js';

describe('parseHiveTimestamp', () => {
	const at1030 = Date.UTC(2025, 7, 7, 10, 30, 0, 123);
	it('reads the three spellings of docs/hive-contract.md §3 as the same instant', () => {
		expect(parseHiveTimestamp('2025-08-07T10:30:00.123456')).toBe(at1030);
		expect(parseHiveTimestamp('2025-08-07T10:30:00.123456Z')).toBe(at1030);
		expect(parseHiveTimestamp('2025-08-07T10:30:00.123+00:00')).toBe(at1030);
		expect(parseHiveTimestamp('2025-08-07T12:30:00.123+02:00')).toBe(at1030);
		expect(parseHiveTimestamp('2025-08-07T05:00:00.123-05:30')).toBe(at1030);
	});

	it('reads naive time as UTC whatever the local zone', () => {
		expect(parseHiveTimestamp('2025-08-07T10:29:45.12+00:00')).toBe(Date.UTC(2025, 7, 7, 10, 29, 45, 120));
		expect(parseHiveTimestamp('2025-08-07 10:29:45')).toBe(Date.UTC(2025, 7, 7, 10, 29, 45));
	});

	it('orders by instant, not by text', () => {
		// As text, "10:30+02:00" sorts after "09:00Z" but it is earlier.
		const a = parseHiveTimestamp('2025-08-07T10:30:00+02:00')!;
		const b = parseHiveTimestamp('2025-08-07T09:00:00Z')!;
		expect(a).toBeLessThan(b);
	});

	it('returns null for what is not a timestamp', () => {
		for (const text of ['', 'yesterday', '1754562585', '2025-02-30T10:00:00', '2025-08-07T24:00:00', '2025-13-01T00:00:00Z', '2025-08-07']) {
			expect(parseHiveTimestamp(text), text).toBeNull();
		}
	});

	it('computes ages from numbers and never goes negative', () => {
		expect(ageSeconds(at1030, at1030 + 301_999)).toBe(301);
		expect(ageSeconds(at1030 + 5000, at1030)).toBe(0);
		expect(ageSeconds(null, at1030)).toBeNull();
	});
});

describe('years 0000-0099', () => {
	it('are read as written, not as 1900-1999 (Date.UTC reads two-digit years that way)', () => {
		const at = (text: string) => new Date(parseHiveTimestamp(text)!).toISOString();
		expect(at('0050-01-01T00:00:00Z')).toBe('0050-01-01T00:00:00.000Z');
		expect(at('0000-02-29T12:30:45.678+02:00')).toBe('0000-02-29T10:30:45.678Z');
		expect(at('0099-12-31 23:59:59')).toBe('0099-12-31T23:59:59.000Z');
		expect(at('0001-01-01T00:00:00-00:30')).toBe('0001-01-01T00:30:00.000Z');
		expect(at('0100-03-01T00:00:00Z')).toBe('0100-03-01T00:00:00.000Z');
		// 0100 is not a leap year in the proleptic Gregorian calendar; 0004 is.
		expect(parseHiveTimestamp('0100-02-29T00:00:00Z')).toBeNull();
		expect(at('0004-02-29T00:00:00Z')).toBe('0004-02-29T00:00:00.000Z');
	});

	it('refuses text far longer than any timestamp without reading it', () => {
		expect(parseHiveTimestamp(`2025-08-07T10:30:00Z${' '.repeat(100)}`)).toBeNull();
		expect(parseHiveTimestamp(`2025-08-07T10:30:00.${'1'.repeat(100_000)}Z`)).toBeNull();
	});
});

describe('the parse memo', () => {
	it('fed 10,000 polls of 50 moving heartbeats, holds a couple of minutes of them, not 100,000', () => {
		vi.useFakeTimers({toFake: ['Date']});
		try {
			const start = Math.floor(Date.now() / 1000) * 1000;
			let largest = 0;
			for (let poll = 0; poll < 10_000; poll++) {
				const at = start + poll * 2000;
				vi.setSystemTime(at);
				for (let agent = 0; agent < 50; agent++) {
					const text = new Date(at - agent * 137).toISOString().replace('Z', '');
					expect(parseHiveTimestamp(text)).toBe(at - agent * 137);
				}
				largest = Math.max(largest, timestampCacheSize());
			}
			// 60 s = 30 polls of 50 new timestamps per generation, two generations (plus what was there).
			expect(largest).toBeLessThanOrEqual(2 * 31 * 50 + 500);
		} finally {
			vi.useRealTimers();
		}
	});
});
