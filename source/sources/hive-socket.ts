// The shipped server's dashboard WebSocket (/api/dashboard/ws/dashboard; docs/hive-server-routes.md has its
// messages), as a source of signals rather than of data: its periodic updates carry only summaries
// (counts, a success rate computed unlike the Prometheus gauge the console judges), so a pushed update that
// differs from the last one of its kind, or a pushed event (a reset, an agent restart, a scenario or any
// other system event), asks for the hive to be read again at once. While the socket is live the console
// reads the full bodies less often; when it drops, as often as before. A hive without the route (the
// runbook profile answers the upgrade with 403 or 404) is asked again only every few minutes.
import type {WebSocket as WsSocket} from 'ws';
import {describeError, redactUrl} from '../util/redact.js';

/** Messages are small JSON; anything larger is not the dashboard's (ws closes the socket with 1009). */
const MAX_MESSAGE_BYTES = 256 * 1024;
/** The server drops a client silent for 10 minutes; a ping every 30 s is a client message. */
const PING_MS = 30_000;
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 30_000;
/** A hive that refused the route (no WebSockets there) is asked again this much later. */
const REFUSED_RETRY_MS = 300_000;
const EVENTS = new Set(['coordination_reset', 'agent_restart', 'system_event']);
const UPDATES = new Set(['agent_update', 'coordination_update', 'task_update', 'system_update']);

export type SocketState =
	| {kind: 'connecting'}
	| {kind: 'live'; endpoint: string}
	| {kind: 'down'; error: string; retryInMs: number}
	| {kind: 'unavailable'; error: string; retryInMs: number};

export interface HiveSocketOptions {
	/** The hive's base URL (http or https; ws or wss is derived). */
	baseUrl: string;
	token: string | null;
	/** A pushed event, or an update whose content changed: read the hive again. `event` says which. */
	onSignal(event: string): void;
	onState(state: SocketState): void;
	/** Tests: a shorter retry. */
	retryMinMs?: number;
}

export interface HiveSocket {
	close(): void;
}

/** ws://host/prefix/api/dashboard/ws/dashboard?subscriptions=… for http(s)://host/prefix. */
export function socketUrl(baseUrl: string): string {
	const url = new URL(baseUrl);
	url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
	url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/dashboard/ws/dashboard`;
	url.search = 'subscriptions=agents,coordination,tasks,system,alerts';
	return url.toString();
}

/** An update's content without its timestamps, to tell a change from the same numbers sent again. */
function contentOf(data: unknown): string {
	if (data === null || typeof data !== 'object') return JSON.stringify(data ?? null);
	const {last_updated: _l, timestamp: _t, ...rest} = data as Record<string, unknown>;
	return JSON.stringify(rest);
}

export function openHiveSocket(options: HiveSocketOptions): HiveSocket {
	const url = socketUrl(options.baseUrl);
	const shown = redactUrl(url);
	const endpoint = `WS ${new URL(url).pathname}`;
	const retryMin = options.retryMinMs ?? RETRY_MIN_MS;
	let socket: WsSocket | null = null;
	let closed = false;
	let failures = 0;
	let retryTimer: ReturnType<typeof setTimeout> | null = null;
	let pingTimer: ReturnType<typeof setInterval> | null = null;
	const last = new Map<string, string>();

	const stopTimers = () => {
		if (retryTimer) clearTimeout(retryTimer);
		if (pingTimer) clearInterval(pingTimer);
		retryTimer = null;
		pingTimer = null;
	};

	const retry = (error: string, refused: boolean) => {
		stopTimers();
		if (closed) return;
		failures++;
		const retryInMs = refused ? REFUSED_RETRY_MS : Math.min(RETRY_MAX_MS, retryMin * 2 ** Math.min(5, failures - 1));
		options.onState(refused ? {kind: 'unavailable', error, retryInMs} : {kind: 'down', error, retryInMs});
		retryTimer = setTimeout(() => void connect(), retryInMs);
		retryTimer.unref?.();
	};

	const onMessage = (raw: string) => {
		let message: unknown;
		try {
			message = JSON.parse(raw);
		} catch {
			return;
		}
		if (message === null || typeof message !== 'object') return;
		const {type, data} = message as {type?: unknown; data?: unknown};
		if (typeof type !== 'string') return;
		if (EVENTS.has(type)) return options.onSignal(type);
		if (!UPDATES.has(type)) return;
		const content = contentOf(data);
		const before = last.get(type);
		last.set(type, content);
		// The first of each kind is the state at connect: the poll just read it.
		if (before !== undefined && before !== content) options.onSignal(type);
	};

	async function connect(): Promise<void> {
		if (closed) return;
		options.onState({kind: 'connecting'});
		let WebSocketClass: typeof import('ws').WebSocket;
		try {
			// Loaded only by the console, and only once it connects: `status` and the other commands never read it.
			WebSocketClass = (await import('ws')).WebSocket;
		} catch (error) {
			return retry(`cannot load the WebSocket client: ${describeError(error)}`, true);
		}
		if (closed) return;
		const ws = new WebSocketClass(url, {
			headers: options.token ? {authorization: `Bearer ${options.token}`} : {},
			maxPayload: MAX_MESSAGE_BYTES,
			handshakeTimeout: 10_000,
			perMessageDeflate: false,
		});
		socket = ws;
		let settled = false;
		ws.on('unexpected-response', (_req, res) => {
			settled = true;
			const status = res.statusCode ?? 0;
			res.resume();
			ws.terminate();
			// 403/404: the hive has no such WebSocket (or refuses it to us): polling only, asked again much later.
			retry(`${endpoint}: the hive answered the upgrade with HTTP ${status}${status === 401 || status === 403 ? ' (no WebSocket here, or the token is refused)' : ''}`, status === 403 || status === 404 || status === 401);
		});
		ws.on('open', () => {
			failures = 0;
			last.clear();
			options.onState({kind: 'live', endpoint});
			pingTimer = setInterval(() => {
				if (ws.readyState === ws.OPEN) ws.send('{"type":"ping"}');
			}, PING_MS);
			pingTimer.unref?.();
		});
		ws.on('message', (data, isBinary) => {
			if (!isBinary) onMessage(data.toString());
		});
		ws.on('error', (error) => {
			if (settled) return;
			settled = true;
			retry(`${endpoint} at ${shown}: ${describeError(error)}`, false);
		});
		ws.on('close', (code) => {
			if (socket === ws) socket = null;
			if (settled || closed) return;
			settled = true;
			retry(`${endpoint}: closed by the hive (code ${code})`, false);
		});
	}

	void connect();
	return {
		close() {
			closed = true;
			stopTimers();
			socket?.terminate();
			socket = null;
		},
	};
}
