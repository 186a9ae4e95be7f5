import {describe, expect, it} from 'vitest';
import {toSafeJson} from '../../source/util/safe-json.js';

describe('JSON safe for a terminal', () => {
	it('escapes C1, bidi, separators and invisible characters, and parses back to the same data', () => {
		const value = {name: 'a\u009B31mb\u009C\u009D\u202E\u202C\u2066\u2069\u2028\u2029\u200B\u200D\u2060\uFEFF\u00AD\u007F', lone: '\uD800'};
		const json = toSafeJson(value, 0);
		expect(json).not.toMatch(/[\u007F-\u009F\u00AD\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF\uD800-\uDFFF]/);
		expect(json).toContain('\\u009b31m');
		expect(json).toContain('\\u202e');
		expect(JSON.parse(json)).toEqual(value);
		expect(json).not.toContain('\n');
		expect(toSafeJson({a: 1})).toBe('{\n  "a": 1\n}');
	});
});
