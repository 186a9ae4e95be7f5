import {describe, expect, it} from 'vitest';
import {reuseUnchanged, shallowEqual} from '../../source/sources/hive-reuse.js';

const agent = (id: string, beat: number | null, extra: Record<string, unknown> = {}) => ({id, name: `agent-${id}`, lastHeartbeat: beat, healthScore: Number.NaN, ...extra});

describe('structural sharing between polls', () => {
	it('always yields the new poll’s values, keeping the old objects only where nothing differs', () => {
		const first = [agent('a', 1), agent('b', 2), agent('c', 3)];
		const second = [agent('a', 1), agent('b', 5), agent('c', 3)];
		const out = reuseUnchanged(first, second);
		expect(out).toEqual(second);
		expect(out[0]).toBe(first[0]);
		expect(out[1]).toBe(second[1]);
		expect(out[2]).toBe(first[2]);
	});

	it('hands back the previous list itself when no agent changed, and a new one when one did', () => {
		const first = [agent('a', 1), agent('b', 2)];
		expect(reuseUnchanged(first, [agent('a', 1), agent('b', 2)])).toBe(first);
		expect(reuseUnchanged(first, [agent('a', 1)])).toEqual([agent('a', 1)]);
		expect(reuseUnchanged(first, [agent('a', 1), agent('b', 2), agent('c', 9)])).not.toBe(first);
	});

	it('matches by id when the order changed, and never reuses across ids', () => {
		const first = [agent('a', 1), agent('b', 2)];
		const out = reuseUnchanged(first, [agent('b', 2), agent('a', 1)]);
		expect(out.map((a) => a.id)).toEqual(['b', 'a']);
		expect(out[0]).toBe(first[1]);
		expect(out[1]).toBe(first[0]);
		expect(out).not.toBe(first);
	});

	it('treats a field that appeared, disappeared or changed type as a change', () => {
		expect(shallowEqual(agent('a', 1), agent('a', 1, {role: 'x'}))).toBe(false);
		expect(shallowEqual({id: 'a', x: undefined}, {id: 'a', y: undefined})).toBe(false);
		expect(shallowEqual(agent('a', 1), agent('a', null))).toBe(false);
		expect(shallowEqual(agent('a', 0), agent('a', '0' as unknown as number))).toBe(false);
	});
});
