import {describe, expect, it} from 'vitest';
import {ageSeconds, parseHiveTimestamp} from '../../source/contract/timestamps.js';

describe('parseHiveTimestamp', () => {
	const at1030 = Date.UTC(2025, 7, 7, 10, 30, 0, 123);
	it('reads the three spellings of contract §3 as the same instant', () => {
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
