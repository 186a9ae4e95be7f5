// Turns raw Redis replies (as ioredis hands them back over RESP2) into the store's stream shapes. XINFO
// replies are flat key/value lists whose keys change between server versions (7.0 added entries-read and
// lag, 7.2 added inactive), so everything is read by name and a missing key becomes null, never 0.
import type {StreamGroup, StreamInfo} from '../contract/snapshot.js';

type Reply = unknown;

/** A flat [k1, v1, k2, v2, ...] reply as a map; anything else gives an empty map. */
export function fieldMap(reply: Reply): Map<string, Reply> {
	const map = new Map<string, Reply>();
	if (!Array.isArray(reply)) return map;
	for (let i = 0; i + 1 < reply.length; i += 2) {
		const key = reply[i];
		if (typeof key === 'string' || Buffer.isBuffer(key)) map.set(String(key), reply[i + 1]);
	}
	return map;
}

/** Integers arrive as numbers or as strings (XPENDING's per-consumer counts); null stays null. */
export function toNumber(value: Reply): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'string' || Buffer.isBuffer(value)) {
		const text = String(value).trim();
		if (text === '') return null;
		const n = Number(text);
		return Number.isFinite(n) ? n : null;
	}
	return null;
}

function toText(value: Reply): string | null {
	if (typeof value === 'string') return value;
	if (Buffer.isBuffer(value)) return value.toString('utf8');
	if (typeof value === 'number') return String(value);
	return null;
}

/** `first-entry` / `last-entry` are [id, [field, value, ...]] or null. */
function entryId(entry: Reply): string | null {
	return Array.isArray(entry) ? toText(entry[0]) : null;
}

export interface ParsedStream {
	length: number;
	firstEntryId: string | null;
	lastEntryId: string | null;
}

export function parseXinfoStream(reply: Reply): ParsedStream {
	const f = fieldMap(reply);
	return {
		length: toNumber(f.get('length')) ?? 0,
		firstEntryId: entryId(f.get('first-entry')),
		lastEntryId: entryId(f.get('last-entry')),
	};
}

export interface ParsedGroup {
	name: string;
	consumers: number;
	pending: number;
	lag: number | null;
	lastDeliveredId: string | null;
}

export function parseXinfoGroups(reply: Reply): ParsedGroup[] {
	if (!Array.isArray(reply)) return [];
	const groups: ParsedGroup[] = [];
	for (const item of reply) {
		const f = fieldMap(item);
		const name = toText(f.get('name'));
		if (name === null) continue;
		groups.push({
			name,
			consumers: toNumber(f.get('consumers')) ?? 0,
			pending: toNumber(f.get('pending')) ?? 0,
			// Absent before 7.0, null after XDEL or for a `$` group that has seen new entries: unknown.
			lag: toNumber(f.get('lag')),
			lastDeliveredId: toText(f.get('last-delivered-id')),
		});
	}
	return groups;
}

export type ConsumerDetail = StreamGroup['consumerDetails'][number];

export function parseXinfoConsumers(reply: Reply): ConsumerDetail[] {
	if (!Array.isArray(reply)) return [];
	const consumers: ConsumerDetail[] = [];
	for (const item of reply) {
		const f = fieldMap(item);
		const name = toText(f.get('name'));
		if (name === null) continue;
		consumers.push({
			name,
			pending: toNumber(f.get('pending')) ?? 0,
			idleMs: toNumber(f.get('idle')),
			inactiveMs: f.has('inactive') ? toNumber(f.get('inactive')) : null,
		});
	}
	return consumers;
}

/** XPENDING key group: [count, minId, maxId, [[consumer, "count"], ...]], or [0, null, null, null]. */
export function parseXpendingSummary(reply: Reply): {count: number; minId: string | null; maxId: string | null} | null {
	if (!Array.isArray(reply) || reply.length < 1) return null;
	const count = toNumber(reply[0]);
	if (count === null) return null;
	return {count, minId: toText(reply[1]), maxId: toText(reply[2])};
}

/** XPENDING key group - + 1: [[id, consumer, idleMs, deliveries]] or []. Idle of the lowest pending id. */
export function parseXpendingOldestIdle(reply: Reply): number | null {
	if (!Array.isArray(reply) || reply.length === 0 || !Array.isArray(reply[0])) return null;
	return toNumber(reply[0][2]);
}

/** INFO text as a map of its `key:value` lines (section headers and blank lines skipped). */
export function parseInfo(text: unknown): Map<string, string> {
	const map = new Map<string, string>();
	if (typeof text !== 'string') return map;
	for (const line of text.split(/\r?\n/)) {
		if (line === '' || line.startsWith('#')) continue;
		const at = line.indexOf(':');
		if (at > 0) map.set(line.slice(0, at), line.slice(at + 1).trim());
	}
	return map;
}

export function infoNumber(info: Map<string, string>, key: string): number | null {
	return info.has(key) ? toNumber(info.get(key)) : null;
}

/** Assembles one stream's group from the per-group replies; a failed reply degrades to what is known. */
export function buildGroup(
	group: ParsedGroup,
	consumersReply: Reply,
	pendingReply: Reply,
	oldestReply: Reply,
): StreamGroup {
	const consumerDetails = parseXinfoConsumers(consumersReply);
	const summary = parseXpendingSummary(pendingReply);
	const pending = summary?.count ?? group.pending;
	let oldestPendingIdleMs: number | null = null;
	if (pending > 0) {
		oldestPendingIdleMs = parseXpendingOldestIdle(oldestReply);
		if (oldestPendingIdleMs === null) {
			// The consumers' idle time is a lower bound for their oldest pending message's idle time.
			// A loop, not Math.max(...idles): spreading 200,000 consumers overflows the call stack.
			for (const c of consumerDetails) {
				if (c.pending > 0 && c.idleMs !== null && (oldestPendingIdleMs === null || c.idleMs > oldestPendingIdleMs)) oldestPendingIdleMs = c.idleMs;
			}
		}
	}
	return {
		name: group.name,
		consumers: consumerDetails.length > 0 ? consumerDetails.length : group.consumers,
		pending,
		lag: group.lag,
		lastDeliveredId: group.lastDeliveredId,
		oldestPendingIdleMs,
		consumerDetails,
	};
}

export function buildStream(key: string, stream: ParsedStream, groups: StreamGroup[]): StreamInfo {
	return {key, length: stream.length, firstEntryId: stream.firstEntryId, lastEntryId: stream.lastEntryId, groups};
}
