// The console follows the hive's dashboard WebSocket where the hive has one: a pushed event, or a pushed
// update whose numbers changed, reads the hive again at once (so a scenario switch or a reset is on screen
// within a second, not at the next poll), and while the socket is live the full bodies are read less often
// (every LIVE_FULL_READ_MS at the least, or four intervals). When it drops, the hive is read at once and then at
// the interval again; the hive pane's freshness line says which.
import {openHiveSocket, type SocketState} from '../sources/hive-socket.js';
import type {HiveApp} from './create.js';

/** While the socket is live, the full reads come at least this far apart (never closer than 4 intervals). */
export const LIVE_FULL_READ_MS = 10_000;
/** Pushed changes read the hive at most this often; events are read at once (coalesced over 100 ms). */
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
			const event = !kind.endsWith('_update');
			const wait = event ? 100 : Math.max(100, lastSignalRead + MIN_SIGNAL_GAP_MS - Date.now());
			readNow(wait);
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
