// One prose duration for banners, status text and action notes; the one-unit cell form stays short.
import {describe, expect, it} from 'vitest';
import {shortDuration} from '../../source/util/duration.js';
import {duration} from '../../source/ui/format.js';
import {formatAge} from '../../source/actions/defs/task-facts.js';
import {describeUntrusted} from '../../source/model/freshness.js';

describe('shortDuration', () => {
	it('says seconds, minutes, hours and minutes, days and hours', () => {
		expect(shortDuration(40)).toBe('40 s');
		expect(shortDuration(180)).toBe('3 min');
		expect(shortDuration(7500)).toBe('2 h 5 min');
		expect(shortDuration(7200)).toBe('2 h');
		expect(shortDuration(3 * 86_400 + 4 * 3600)).toBe('3 d 4 h');
	});

	it('never says "60 min" inside an hour, nor a negative age', () => {
		expect(shortDuration(3600 + 59.7 * 60)).toBe('2 h');
		expect(shortDuration(-5)).toBe('0 s');
	});

	it('is what the banner and the action notes both say', () => {
		expect(formatAge(7500)).toBe('2 h 5 min');
		expect(formatAge(null)).toBeNull();
		expect(describeUntrusted({source: 'hive', what: 'down', since: 0, lastGoodAt: 0}, 7500_000)).toBe('hive down 2 h 5 min');
	});

	it('leaves table cells their one-unit form', () => {
		expect(duration(7500)).toBe('2 h');
	});
});
