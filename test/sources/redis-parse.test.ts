// XINFO replies from servers this machine does not have (6.2 without lag, 7.2 with `inactive`), written
// out as RESP2 arrays the way ioredis returns them; the 7.0 shapes are covered against the real server.
import {describe, expect, it} from 'vitest';
import {buildGroup, parseXinfoConsumers, parseXinfoGroups, parseXpendingSummary} from '../../source/sources/redis-parse.js';

describe('redis reply parsing across server versions', () => {
	it('a 6.2 group has no entries-read or lag: lag is unknown, not 0', () => {
		const [group] = parseXinfoGroups([['name', 'group_a', 'consumers', 1, 'pending', 2, 'last-delivered-id', '5-0']]);
		expect(group).toEqual({name: 'group_a', consumers: 1, pending: 2, lag: null, lastDeliveredId: '5-0'});
	});

	it('7.2 consumers carry `inactive`, keys in any order, unknown keys ignored', () => {
		const consumers = parseXinfoConsumers([['idle', 1200, 'name', 'agent-1', 'future-field', 'x', 'inactive', 900, 'pending', 3]]);
		expect(consumers).toEqual([{name: 'agent-1', pending: 3, idleMs: 1200, inactiveMs: 900}]);
		expect(parseXinfoConsumers([['name', 'agent-2', 'pending', 0, 'idle', 5]])[0]!.inactiveMs).toBeNull();
	});

	it('XPENDING with nothing pending is [0, null, null, null]; counts may be strings', () => {
		expect(parseXpendingSummary([0, null, null, null])).toEqual({count: 0, minId: null, maxId: null});
		expect(parseXpendingSummary(['4', '1-0', '9-0', [['agent-1', '4']]])).toEqual({count: 4, minId: '1-0', maxId: '9-0'});
	});

	it('when the oldest-pending query failed, the consumers idle time stands in', () => {
		const [group] = parseXinfoGroups([['name', 'g', 'consumers', 2, 'pending', 3, 'last-delivered-id', '9-0', 'entries-read', 9, 'lag', 0]]);
		const built = buildGroup(group!, [['name', 'a', 'pending', 2, 'idle', 700], ['name', 'b', 'pending', 0, 'idle', 99_000]], [3, '1-0', '9-0', [['a', '2']]], null);
		expect(built.oldestPendingIdleMs).toBe(700);
		expect(built.pending).toBe(3);
		expect(built.lag).toBe(0);
	});
});
