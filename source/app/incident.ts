// The console's incident tools, kept out of the UI: the timeline recorder following the store, the gate's
// action history and any playbook the operator runs, written per context to the state directory; and the
// snapshot the snapshot key writes from the same state. The UI reaches them through IncidentTools only.
import type {Gate} from '../actions/index.js';
import type {PlaybookState} from '../actions/playbooks/types.js';
import type {StoreApi} from 'zustand/vanilla';
import {takeSnapshot} from '../snapshot/take.js';
import {followActionHistory, followPlaybook} from '../timeline/follow.js';
import {createTimelineRecorder, type TimelineRecorder} from '../timeline/index.js';
import type {TimelineEntry} from '../timeline/types.js';
import type {HiveApp} from './create.js';

export interface ConsoleIncident {
	recorder: TimelineRecorder;
	/** Records the gate's runs, once the gate is there. */
	followGate(gate: Promise<Gate>): void;
	/** Records the steps of every playbook the holder's store opens (each runner once). */
	followPlaybooks(holder: PlaybookHolder): void;
	tools: {
		timeline(): TimelineEntry[];
		subscribeTimeline(listener: (entries: TimelineEntry[]) => void): () => void;
		snapshot(playbook: PlaybookState | null): Promise<{markdownPath: string; jsonPath: string; warnings: string[]}>;
	};
	/** Stops following and flushes the file. */
	close(): Promise<void>;
}

/** A store that holds the playbook the operator has open (the console's action controller's). */
export interface PlaybookHolder {
	subscribe(listener: (state: {playbook: {store: StoreApi<PlaybookState>} | null}) => void): () => void;
}

export function createConsoleIncident(app: HiveApp, options: {context: string | null; onError?: (message: string) => void}): ConsoleIncident {
	const recorder = createTimelineRecorder({
		store: app.store,
		context: options.context,
		stateDir: app.config.stateDir,
		// Data turning old while a poll hangs shows only with the clock.
		tickMs: 5000,
		onError: (error) => options.onError?.(error.message),
	});
	const unsubscribers: Array<() => void> = [];
	const followed = new WeakSet<object>();
	return {
		recorder,
		followGate(gate) {
			let closed = false;
			unsubscribers.push(() => (closed = true));
			gate.then(
				(g) => {
					if (!closed) unsubscribers.push(followActionHistory(g.history, recorder));
				},
				// No gate (the hive's profile could not be found): no actions to record.
				() => undefined,
			);
		},
		followPlaybooks(holder) {
			unsubscribers.push(
				holder.subscribe(({playbook}) => {
					if (!playbook || followed.has(playbook.store)) return;
					followed.add(playbook.store);
					unsubscribers.push(followPlaybook(playbook.store, recorder));
				}),
			);
		},
		tools: {
			timeline: () => recorder.entries(),
			subscribeTimeline: (listener) => recorder.subscribe(listener),
			async snapshot(playbook) {
				await recorder.flush();
				const taken = await takeSnapshot({state: app.store.getState(), config: app.config, timeline: recorder.entries(), playbook});
				recorder.record({kind: 'note', text: `incident snapshot written: ${taken.markdownPath}`});
				return {markdownPath: taken.markdownPath, jsonPath: taken.jsonPath, warnings: taken.warnings};
			},
		},
		async close() {
			for (const u of unsubscribers.splice(0)) u();
			await recorder.stop();
		},
	};
}
