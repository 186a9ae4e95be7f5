// The console follows the hive's dashboard WebSocket where the hive has one: a pushed event, or a pushed
// update whose numbers changed, reads the hive again at once (so a scenario switch or a reset is on screen
// within a second, not at the next poll; a changed update no sooner than a poll interval after the last read),
// and while the socket is live the full bodies are read less often
// (every LIVE_FULL_READ_MS at the least, or four intervals). When it drops, the hive is read at once and then at
// the interval again; the hive pane's freshness line says which.
import {openHiveSocket, type SocketState} from '../sources/hive-socket.js';
import type {HiveApp} from './create.js';

/** While the socket is live, the full reads come at least this far apart (never closer than 4 intervals). */
export const LIVE_FULL_READ_MS = 10_000;
/** Pushed changes read the hive at most this often (and never more often than the poll interval); events are read at once (coalesced over 100 ms). */
const MIN_SIGNAL_GAP_MS = 1_000;

export function followHiveSocket(app: HiveApp, options: {retryMinMs?: number; onState?: (state: SocketState) => void} = {}): () => void {
	let live = false;
	let pending: ReturnType<typeof setTimeout> | null = null;
	let lastSignalRead = 0;
	const readNow = (delay: number) => {
		if (pending) return;
		pending = setTimeout(() => {
			pending = null;
			lastSignalRead = Date.now();
			void app.poller.refreshNow('hive');
		}, delay);
	};
	const socket = openHiveSocket({
		baseUrl: app.config.hiveUrl,
		token: app.config.hiveToken,
		retryMinMs: options.retryMinMs,
		onSignal(kind) {
			// An event is read at once. A changed update waits until a poll interval has passed since the last
			// read of any kind: on a big busy hive the summaries change every second, and reading 10,000 agents
			// that often would cost more than plain polling (it did: keypress p95 128 ms, RSS 162 MB).
			const event = !kind.endsWith('_update');
			const lastRead = Math.max(lastSignalRead, app.store.getState().sources.hive.lastAttemptAt ?? 0);
			const gap = Math.max(MIN_SIGNAL_GAP_MS, app.store.getState().intervalMs);
			readNow(event ? 100 : Math.max(100, lastRead + gap - Date.now()));
		},
		onState(state) {
			options.onState?.(state);
			const wasLive = live;
			live = state.kind === 'live';
			if (live === wasLive) return;
			const interval = app.store.getState().intervalMs;
			app.poller.setFactor('hive', live ? Math.max(4, LIVE_FULL_READ_MS / interval) : 1);
			app.store.getState().setSourceStatus('hive', {pushedBy: live && state.kind === 'live' ? state.endpoint : null});
			// Back to polling: what happened while the socket was going down has not been read yet.
			if (wasLive) readNow(0);
		},
	});
	return () => {
		if (pending) clearTimeout(pending);
		socket.close();
	};
}
