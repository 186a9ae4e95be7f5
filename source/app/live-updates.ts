// The console follows the hive's dashboard WebSocket where the hive has one. A pushed event reads the hive
// again at once (a scenario switch or a reset is on screen within a second, not at the next poll); a pushed
// update whose numbers changed reads it no sooner than a poll interval after the last read. While the socket
// is live the full bodies are read less often (every LIVE_FULL_READ_MS, or four intervals if longer); when it
// drops, the hive is read at once and then at the interval again. The hive panes' freshness line says which.
import {openHiveSocket, type SocketState} from '../sources/hive-socket.js';
import type {HiveApp} from './create.js';

/** While the socket is live, the full reads come at least this far apart (never closer than 4 intervals). */
export const LIVE_FULL_READ_MS = 10_000;
/** Pushed changes read the hive at most this often (and never more often than the poll interval); events are read at once (coalesced over 100 ms). */
const MIN_SIGNAL_GAP_MS = 1_000;
/** After the first read settles: past the 40 ms in which the console draws what it read. */
const SOCKET_AFTER_FIRST_READ_MS = 150;

export function followHiveSocket(app: HiveApp, options: {retryMinMs?: number; onState?: (state: SocketState) => void} = {}): () => void {
	let live = false;
	let pending: ReturnType<typeof setTimeout> | null = null;
	// A read already under way is awaited by refreshNow, not doubled.
	const readNow = (delay: number) => {
		if (pending) return;
		pending = setTimeout(() => {
			pending = null;
			void app.poller.refreshNow('hive');
		}, delay);
	};
	const openSocket = () => openHiveSocket({
		baseUrl: app.config.hiveUrl,
		token: app.config.hiveToken,
		retryMinMs: options.retryMinMs,
		onSignal(kind) {
			// An event is read at once. A changed update waits until a poll interval has passed since the last
			// read of any kind: on a big busy hive the summaries change every second, and reading 10,000 agents
			// that often would cost more than plain polling (it did: keypress p95 128 ms, RSS 162 MB).
			const event = !kind.endsWith('_update');
			const {sources, intervalMs} = app.store.getState();
			const lastRead = sources.hive.lastAttemptAt ?? 0;
			const gap = Math.max(MIN_SIGNAL_GAP_MS, intervalMs);
			readNow(event ? 100 : Math.max(100, lastRead + gap - Date.now()));
		},
		onState(state) {
			options.onState?.(state);
			const wasLive = live;
			live = state.kind === 'live';
			if (live === wasLive) return;
			const interval = app.store.getState().intervalMs;
			app.poller.setFactor('hive', live ? Math.max(4, LIVE_FULL_READ_MS / interval) : 1);
			app.store.getState().setSourceStatus('hive', {pushedBy: state.kind === 'live' ? state.endpoint : null});
			// Back to polling: what happened while the socket was going down has not been read yet.
			if (wasLive) readNow(0);
		},
	});
	// The socket opens once the first read of the hive has settled, and the frame it brings has had its turn:
	// the socket's first messages are the state that read saw, and loading the WebSocket client (ws, with
	// Node's TLS, crypto and zlib modules) at start held the console's first frame back (see README, speed).
	let socket: ReturnType<typeof openHiveSocket> | null = null;
	let grace: ReturnType<typeof setTimeout> | null = null;
	const openAfter = (firstRead: number | null) => {
		if (firstRead === null || grace !== null) return;
		unsubscribe();
		grace = setTimeout(() => (socket = openSocket()), SOCKET_AFTER_FIRST_READ_MS);
	};
	const unsubscribe = app.store.subscribe((state) => openAfter(state.sources.hive.lastAttemptAt));
	openAfter(app.store.getState().sources.hive.lastAttemptAt);
	return () => {
		unsubscribe();
		if (grace) clearTimeout(grace);
		if (pending) clearTimeout(pending);
		socket?.close();
	};
}
