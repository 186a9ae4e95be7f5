// The console's own clock: it ticks only when nothing else redraws the screen often enough for the ages on
// it to move: while paused, while a source fails, and while a source is read less often than every 5 s (the
// hive behind its WebSocket, read every 10 s).
import {describe, expect, it} from 'vitest';
import {createHiveStore} from '../../source/store/store.js';
import {clockTickMs} from '../../source/ui/use-terminal.js';

describe('clock ticks', () => {
	it('none while every source is read every 2 s; every 5 s once the hive is read every 10 s', () => {
		const store = createHiveStore({intervalMs: 2000});
		for (const name of ['hive', 'redis'] as const) store.getState().setSourceStatus(name, {state: 'ok', intervalMs: 2000});
		store.getState().setSourceStatus('postgres', {state: 'disabled', intervalMs: 60_000});
		store.getState().setSourceStatus('logs', {state: 'disabled', intervalMs: 60_000});
		expect(clockTickMs(store.getState())).toBe(0);
		store.getState().setSourceStatus('hive', {intervalMs: 10_000, pushedBy: 'WS /api/dashboard/ws/dashboard'});
		expect(clockTickMs(store.getState())).toBe(5000);
		store.getState().setSourceStatus('hive', {intervalMs: 2000, pushedBy: null});
		store.getState().setSourceStatus('redis', {state: 'down'});
		expect(clockTickMs(store.getState())).toBe(5000);
	});
});
