// The focus bytes are taken out of what Ink reads, in order, whatever surrounds them: a key typed in the
// same read still arrives, and nothing else that starts with ESC [ (arrows, PgUp) is touched.
import {describe, expect, it} from 'vitest';
import {takeFocusEvents} from '../../source/ui/focus-reporting.js';
import {createFocusPolling} from '../../source/app/focus-polling.js';
import {createHiveStore} from '../../source/store/store.js';

describe('focus reporting', () => {
	it('removes ESC [ I and ESC [ O, reports them in order, and leaves keys and other sequences alone', () => {
		const seen: boolean[] = [];
		expect(takeFocusEvents('\u001b[O', (f) => seen.push(f))).toBe('');
		expect(takeFocusEvents('j\u001b[Ik\u001b[A\u001b[O\u001b[6~', (f) => seen.push(f))).toBe('jk\u001b[A\u001b[6~');
		expect(takeFocusEvents('I O \u001b[1;5A', (f) => seen.push(f))).toBe('I O \u001b[1;5A');
		expect(seen).toEqual([false, true, false]);
	});

	it('out of view slows the poll (or pauses it) and says so; back in view restores it and refreshes once', () => {
		const store = createHiveStore({intervalMs: 2000});
		const calls: string[] = [];
		const poller = {
			setInterval: (ms: number) => {
				calls.push(`interval ${ms}`);
				store.getState().setIntervalMs(ms);
			},
			pause: () => {
				calls.push('pause');
				store.getState().setPaused(true);
			},
			resume: () => {
				calls.push('resume');
				store.getState().setPaused(false);
			},
			refreshNow: async () => void calls.push('refresh'),
		};
		const app = {store, poller} as never;
		const slow = createFocusPolling(app, 30_000);
		slow.focus(false);
		expect(store.getState().unfocused).toBe(30_000);
		slow.focus(false);
		slow.focus(true);
		expect(store.getState().unfocused).toBeNull();
		expect(calls).toEqual(['interval 30000', 'interval 2000', 'refresh']);
		calls.length = 0;
		const paused = createFocusPolling(app, 0);
		paused.focus(false);
		expect(store.getState().unfocused).toBe('paused');
		paused.focus(true);
		expect(calls).toEqual(['pause', 'resume', 'refresh']);
	});
});
