// The memo under every per-frame and per-poll cache: bounded by count and by age, and never dropping what
// is read on every poll.
import {describe, expect, it} from 'vitest';
import {GenerationalCache} from '../../source/util/generational-cache.js';

describe('GenerationalCache', () => {
	it('holds at most twice its capacity, however many keys it is fed', () => {
		const cache = new GenerationalCache<string, number>(100, {now: () => 0});
		for (let i = 0; i < 10_000; i++) cache.set(`k${i}`, i);
		expect(cache.size).toBeLessThanOrEqual(200);
		expect(cache.get('k9999')).toBe(9999);
	});

	it('fed 10,000 polls of new keys, keeps only the last two minutes of them, and every key read on every poll', () => {
		let now = 0;
		const cache = new GenerationalCache<string, number>(50_000, {now: () => now, maxAgeMs: 60_000});
		const hot = Array.from({length: 30}, (_, i) => `hot${i}`);
		let hotMisses = 0;
		let largest = 0;
		for (let poll = 0; poll < 10_000; poll++) {
			now = poll * 2000;
			for (const key of hot) {
				if (cache.get(key) === undefined) {
					hotMisses++;
					cache.set(key, 1);
				}
			}
			// Twenty strings per poll that never come back (a clock, ages, heartbeats that moved).
			for (let i = 0; i < 20; i++) cache.set(`once-${poll}-${i}`, i);
			largest = Math.max(largest, cache.size);
		}
		// A generation is open for at most 60 s = 30 polls of 20 new keys, plus the hot ones: two of them.
		expect(largest).toBeLessThanOrEqual(2 * (30 * 20 + hot.length));
		// The count alone (the old behaviour) would have held 100,000 by now.
		expect(cache.size).toBeLessThan(2000);
		// The hot keys were computed once, on the first poll, and never dropped.
		expect(hotMisses).toBe(hot.length);
	});

	it('does not age while nothing is written', () => {
		let now = 0;
		const cache = new GenerationalCache<string, number>(10, {now: () => now, maxAgeMs: 1000});
		cache.set('a', 1);
		now = 1_000_000;
		expect(cache.get('a')).toBe(1);
		cache.set('b', 2);
		now += 10;
		// 'a' went to the old generation on that write; a read brings it back.
		expect(cache.get('a')).toBe(1);
		expect(cache.get('b')).toBe(2);
	});
});
