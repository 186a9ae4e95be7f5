// Pane 4: Redis streams with their groups, consumers, pending counts, lag (unknown stays unknown, never 0)
// and the idle time of the oldest pending message; INFO clients in the summary.
import type {StreamInfo} from '../../contract/snapshot.js';
import {compactNumber, milliseconds} from '../format.js';
import {seg, type Line} from '../line.js';
import type {PaneSpec} from './pane-spec.js';

export interface StreamRow {
	key: string;
	length: number;
	groups: number;
	consumers: number;
	pending: number;
	/** null when any group's lag is unknown. */
	lag: number | null;
	lagUnknown: boolean;
	oldestIdleMs: number | null;
	stream: StreamInfo;
}

const IDLE_WARN_MS = 60_000;

function toRow(stream: StreamInfo): StreamRow {
	let lag: number | null = 0;
	let oldest: number | null = null;
	for (const g of stream.groups) {
		lag = lag === null || g.lag === null ? null : lag + g.lag;
		if (g.oldestPendingIdleMs !== null) oldest = Math.max(oldest ?? 0, g.oldestPendingIdleMs);
	}
	return {
		key: stream.key,
		length: stream.length,
		groups: stream.groups.length,
		consumers: stream.groups.reduce((n, g) => n + g.consumers, 0),
		pending: stream.groups.reduce((n, g) => n + g.pending, 0),
		lag: stream.groups.length === 0 ? null : lag,
		lagUnknown: stream.groups.length > 0 && lag === null,
		oldestIdleMs: oldest,
		stream,
	};
}

export const streamsPane: PaneSpec<StreamRow> = {
	id: 'streams',
	number: 4,
	title: 'Redis streams',
	tab: 'Streams',
	source: 'redis',
	disabledHint: 'start with --redis URL (or REDIS_URL) to see streams and pending messages',
	columns: [
		{id: 'key', title: 'Stream', width: 30, minWidth: 10, flex: true, priority: 9, cell: (r) => r.key, sortKey: (r) => r.key},
		{id: 'length', title: 'Length', width: 7, align: 'right', priority: 7, cell: (r) => compactNumber(r.length), sortKey: (r) => r.length},
		// One column wider at its narrowest than its title needs, so it joins only where the other columns
		// already fit: what a 2-column grid's pane shows (60 wide) must still show in a 3-column one (53).
		{id: 'groups', title: 'Grp', width: 5, minWidth: 5, align: 'right', priority: 4, cell: (r) => compactNumber(r.groups), sortKey: (r) => r.groups},
		{id: 'consumers', title: 'Cons', width: 5, align: 'right', priority: 3, cell: (r) => compactNumber(r.consumers), sortKey: (r) => r.consumers},
		{id: 'pending', title: 'Pending', width: 8, align: 'right', priority: 8, cell: (r) => compactNumber(r.pending), sortKey: (r) => r.pending},
		{id: 'lag', title: 'Lag', width: 7, minWidth: 7, align: 'right', priority: 6, cell: (r) => (r.groups === 0 ? '-' : r.lagUnknown ? 'unknown' : compactNumber(r.lag)), sortKey: (r) => r.lag},
		{id: 'idle', title: 'Oldest idle', width: 12, minWidth: 8, align: 'right', priority: 5, cell: (r) => (r.oldestIdleMs === null ? '-' : milliseconds(r.oldestIdleMs)), sortKey: (r) => r.oldestIdleMs},
	],
	defaultSort: {column: 'pending', descending: true},
	rows: (ctx) => (ctx.state.snapshots.redis?.streams ?? []).map(toRow),
	key: (r) => r.key,
	searchText: (r) => `${r.key} ${r.stream.groups.map((g) => g.name).join(' ')}`,
	copy: (r) => ({what: `stream key ${r.key}`, text: r.key}),
	tone: (r) => (r.key.includes('dead_letter') && r.length > 0 ? 'warning' : r.oldestIdleMs !== null && r.oldestIdleMs > IDLE_WARN_MS ? 'warning' : 'plain'),
	summary(ctx): Line[] {
		const redis = ctx.state.snapshots.redis;
		if (!redis) return [[seg('no Redis data yet', 'muted')]];
		const c = redis.clients;
		const line: Line = [
			seg(`${compactNumber(redis.streams.length)} streams`, 'plain', true),
			seg(` · clients ${compactNumber(c.connected)} connected, ${compactNumber(c.blocked)} blocked, max ${compactNumber(c.maxClients)}`),
		];
		if (redis.memory.usedBytes !== null) line.push(seg(` · mem ${compactNumber(redis.memory.usedBytes)}B`, 'muted'));
		if (redis.serverVersion) line.push(seg(` · v${redis.serverVersion}${redis.cluster ? ' cluster' : ''}`, 'muted'));
		const lines = [line];
		if (redis.truncated) lines.push([seg(`truncated: ${redis.truncatedReason ?? 'scan cut short'}`, 'warning')]);
		return lines;
	},
	empty: () => 'no streams found (agent_messages:*)',
	detail(r) {
		const consumers = r.stream.groups.flatMap((g) =>
			g.consumerDetails.length === 0
				? [{group: g.name, consumer: '-', pending: String(g.pending), idle: '-'}]
				: g.consumerDetails.map((c) => ({group: g.name, consumer: c.name, pending: String(c.pending), idle: c.idleMs === null ? '-' : milliseconds(c.idleMs)})),
		);
		return {
			title: `Stream ${r.key}`,
			fields: [
				['length', String(r.length)],
				['first / last id', `${r.stream.firstEntryId ?? '-'} / ${r.stream.lastEntryId ?? '-'}`],
				...r.stream.groups.map((g): [string, string] => [
					`group ${g.name}`,
					`${g.consumers} consumers, ${g.pending} pending, lag ${g.lag === null ? 'unknown' : g.lag}, last delivered ${g.lastDeliveredId ?? '-'}`,
				]),
			],
			table: consumers.length > 0 ? {title: 'Consumers', rows: consumers} : undefined,
		};
	},
};
