// Redis replies (anything ioredis can hand back over RESP2: strings, Buffers, integers, null, errors and
// arrays of them, nested) read without an exception, into numbers that are finite or null, within the
// per-input budget; and a Redis URL, however malformed, fails only with a SourceError that holds no
// piece of its password.
import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import {
	buildGroup,
	fieldMap,
	infoNumber,
	parseInfo,
	parseXinfoConsumers,
	parseXinfoGroups,
	parseXinfoStream,
	parseXpendingOldestIdle,
	parseXpendingSummary,
} from '../../source/sources/redis-parse.js';
import {parseRedisUrl} from '../../source/sources/redis-connection.js';
import {SourceError} from '../../source/sources/source.js';
import {ADVERSARIAL_BUDGET_MS, codeUnit, onlyOwnError, timed, warmUp, runs} from './budget.js';

const KEYS = ['name', 'consumers', 'pending', 'lag', 'last-delivered-id', 'length', 'first-entry', 'last-entry', 'idle', 'inactive', 'entries-read'];
const scalar = fc.oneof(
	fc.constantFrom(...KEYS),
	fc.string({maxLength: 20}),
	fc.constantFrom('12', ' 7 ', '-1', '1e999', 'NaN', '0x10', '', `${'9'.repeat(400)}`),
	fc.integer(),
	fc.double(),
	fc.constant(null),
	fc.string({maxLength: 10}).map((s) => Buffer.from(s)),
	fc.constant(new Error('ERR wrong type')),
);
const {reply} = fc.letrec<{reply: unknown}>((tie) => ({
	reply: fc.oneof({depthSize: 'small', withCrossShrink: true}, scalar, fc.array(tie('reply'), {maxLength: 12})),
}));

function finiteOrNull(n: number | null): boolean {
	return n === null || Number.isFinite(n);
}

function readEverything(r: unknown, r2: unknown, r3: unknown) {
	fieldMap(r);
	const stream = parseXinfoStream(r);
	const groups = parseXinfoGroups(r);
	const consumers = parseXinfoConsumers(r);
	const summary = parseXpendingSummary(r);
	const idle = parseXpendingOldestIdle(r);
	// The source builds each group from that group's own replies; here a few groups share the fuzzed ones.
	const built = groups.slice(0, 3).map((g) => buildGroup(g, r2, r3, r));
	// INFO is one bulk string; the fuzzed reply's strings stand in for its lines.
	const info = parseInfo(Array.isArray(r) ? r.filter((x) => typeof x === 'string').join('\r\n') : r);
	return {stream, groups, consumers, summary, idle, built, info};
}

describe('fuzz: Redis replies', () => {
	beforeAll(() => warmUp((r: unknown) => readEverything(r, r, r), [[['name', 'g', 'pending', '3']], ['length', 4], 'a:b\r\n']));

	it('reads any reply without an exception, into finite numbers or null, within the budget', () => {
		fc.assert(
			fc.property(reply, reply, reply, (r, r2, r3) => {
				const {result, error} = timed('redis replies', () => readEverything(r, r2, r3));
				expect(error).toBeUndefined();
				const out = result!;
				expect(Number.isFinite(out.stream.length)).toBe(true);
				for (const g of out.groups) expect([g.consumers, g.pending].every(Number.isFinite) && finiteOrNull(g.lag)).toBe(true);
				for (const c of out.consumers) expect(Number.isFinite(c.pending) && finiteOrNull(c.idleMs) && finiteOrNull(c.inactiveMs)).toBe(true);
				for (const g of out.built) expect(finiteOrNull(g.oldestPendingIdleMs)).toBe(true);
				expect(finiteOrNull(out.idle)).toBe(true);
				for (const key of out.info.keys()) expect(finiteOrNull(infoNumber(out.info, key))).toBe(true);
			}),
			{numRuns: runs(1000)},
		);
	});

	it('handles adversarial replies within the budget', () => {
		const big = Array.from({length: 20_000}, (_, i) => ['name', `c${i}`, 'pending', '1', 'idle', String(i)]);
		let deep: unknown = 'x';
		for (let i = 0; i < 10_000; i++) deep = [deep];
		const cases: unknown[] = [big, deep, 'key:value\r\n'.repeat(50_000), `${'9'.repeat(262_144)}`, Buffer.alloc(1_000_000, 0x39)];
		for (const [i, r] of cases.entries()) {
			const {error} = timed(`reply ${i}`, () => readEverything(r, r, r), ADVERSARIAL_BUDGET_MS);
			expect(error).toBeUndefined();
		}
	});
});

describe('fuzz: Redis URLs', () => {
	it('any text is a target or a SourceError, within the budget', () => {
		const url = fc.oneof(
			fc.string({unit: fc.oneof(fc.constantFrom('redis://', 'rediss://', ':', '@', '/', '#', '?', '%', '[', ']', 'h', '1'), codeUnit), maxLength: 30}),
			fc.webUrl().map((u) => u.replace(/^https?/, 'redis')),
		);
		fc.assert(
			fc.property(url, (u) => {
				const {error} = timed('parseRedisUrl', () => parseRedisUrl(u));
				onlyOwnError(error, SourceError);
			}),
			{numRuns: runs(1000)},
		);
	});

	it('never puts a piece of a password in its error, however the password breaks the URL', () => {
		// Two tokens that cannot appear in any message by chance, joined by what a password may hold.
		const token = fc.stringMatching(/^[QXZ][0-9]{3}[QXZ]$/);
		const joint = fc.string({unit: fc.constantFrom('/', '#', '@', '?', '%', ':', '[', ' '), minLength: 1, maxLength: 3});
		fc.assert(
			fc.property(token, joint, token, fc.constantFrom('', 'user'), fc.constantFrom('host', 'host:6380', 'host/2', '[::1]:7000'), (a, j, b, user, host) => {
				const {error} = timed('parseRedisUrl', () => parseRedisUrl(`redis://${user}:${a}${j}${b}@${host}`));
				onlyOwnError(error, SourceError);
				if (error) {
					const message = (error as Error).message;
					expect(message).not.toContain(a);
					expect(message).not.toContain(b);
				}
			}),
			{numRuns: runs(1000)},
		);
	});
});
