// Focus-aware polling: a console whose terminal pane is out of view polls at a slower rate (or not at all)
// and says so in the header; back in view it returns to its interval and refreshes at once, so what the
// engineer sees on switching back is current. What was set by hand meanwhile (pause, +/-) is kept.
import type {HiveApp} from './create.js';

export interface FocusPolling {
	focus(focused: boolean): void;
}

/** `unfocusedMs`: the interval while out of view (never faster than the current one); 0 pauses instead. */
export function createFocusPolling(app: HiveApp, unfocusedMs: number): FocusPolling {
	let away: {intervalMs: number; paused: boolean} | null = null;
	return {
		focus(focused) {
			const state = app.store.getState();
			if (!focused) {
				if (away) return;
				away = {intervalMs: state.intervalMs, paused: state.paused};
				if (unfocusedMs === 0) app.poller.pause();
				else if (unfocusedMs > state.intervalMs) app.poller.setInterval(unfocusedMs);
				state.setUnfocused(unfocusedMs === 0 ? 'paused' : Math.max(unfocusedMs, state.intervalMs));
				return;
			}
			if (!away) return;
			const before = away;
			away = null;
			state.setUnfocused(null);
			if (unfocusedMs === 0 && !before.paused) app.poller.resume();
			else if (app.store.getState().intervalMs === Math.max(unfocusedMs, before.intervalMs)) app.poller.setInterval(before.intervalMs);
			if (!app.store.getState().paused) void app.poller.refreshNow();
		},
	};
}
