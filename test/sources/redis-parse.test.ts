// XINFO replies from servers this machine does not have (6.2 without lag, 7.2 with `inactive`), written
// out as RESP2 arrays the way ioredis returns them; the 7.0 shapes are covered against the real server.
import {describe, expect, it} from 'vitest';
import {buildGroup, parseXinfoConsumers, parseXinfoGroups, parseXpendingSummary} from '../../source/sources/redis-parse.js';
import {parseRedisUrl} from '../../source/sources/redis-connection.js';
import {SourceError} from '../../source/sources/source.js';

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

describe('big and odd replies', () => {
	it('a group with 200,000 consumers: the stand-in idle time is found without overflowing the stack', () => {
		const [group] = parseXinfoGroups([['name', 'g', 'consumers', 200_000, 'pending', 5, 'lag', 0]]);
		const consumers = Array.from({length: 200_000}, (_, i) => ['name', `c${i}`, 'pending', i % 2, 'idle', i]);
		const built = buildGroup(group!, consumers, [5, '1-0', '9-0', null], null);
		expect(built.oldestPendingIdleMs).toBe(199_999);
		expect(built.consumers).toBe(200_000);
	});
});

describe('parseRedisUrl: no part of a password in any error', () => {
	const message = (url: string): string => {
		try {
			parseRedisUrl(url);
		} catch (error) {
			expect(error).toBeInstanceOf(SourceError);
			expect((error as SourceError).kind).toBe('misconfigured');
			return (error as Error).message;
		}
		throw new Error(`${url} was accepted`);
	};

	it('a password with / and # that was not percent-encoded is a malformed URL, shown without it', () => {
		const text = message('redis://:p@ss/w0rd#Xy_666@host');
		expect(text).toMatch(/URL is not valid \(malformed: an @ after the host\)/);
		expect(text).toContain('redis://***@host');
		expect(text).toMatch(/percent-encoded \(%2F %23 %40 %3F %25\)/);
		for (const piece of ['p@ss', 'ss/', 'w0rd', 'Xy_666']) expect(text).not.toContain(piece);
	});

	const leaks: Array<[string, string[]]> = [
		['redis://:pa?ss@host:6379/2', ['pa?ss', 'ss@']],
		['redis://:se#cret@host', ['se#', 'cret']],
		['redis://:100%@host', ['100%']],
		['redis://:pw/1@host', ['pw/1']],
		['redis://user:p/w@host/0', ['p/w']],
		['redis://:a/b/c', ['a/b', 'b/c']],
		['p@ss/w0rd@host', ['p@ss', 'w0rd']],
	];
	for (const [url, pieces] of leaks) {
		it(`says nothing of the password in ${url}`, () => {
			const text = message(url);
			for (const piece of pieces) expect(text).not.toContain(piece);
		});
	}

	it('still reads good URLs, with percent-encoded passwords', () => {
		expect(parseRedisUrl('redis://:p%40ss%2Fw0rd%23Xy@host:6380/3')).toMatchObject({host: 'host', port: 6380, password: 'p@ss/w0rd#Xy', db: 3});
		expect(parseRedisUrl('rediss://user:pw@[::1]')).toMatchObject({host: '::1', port: 6379, username: 'user', password: 'pw', db: 0, tls: true});
		expect(parseRedisUrl('redis://lonely-password@host')).toMatchObject({password: 'lonely-password', username: undefined});
	});
});
