// The runs this console started: their stop/skip handles while they run, and a toast whenever one of the
// gate's runs changes (any run, also one a playbook started), so the operator sees progress over the panes.
import {FINAL_STATUSES, type ActionRun, type RunHandle} from '../../actions/index.js';
import type {Notice} from '../chrome.js';

export function runTone(run: ActionRun): Notice['tone'] {
	switch (run.status) {
		case 'confirmed':
		case 'dry-run':
			return 'ok';
		case 'failed':
		case 'refused':
			return 'critical';
		case 'unconfirmed':
		case 'stopped':
		case 'busy':
		case 'skipped':
			return 'warning';
		default:
			return 'accent';
	}
}

export function runLine(run: ActionRun): string {
	const targets = run.targets.map((t) => t.name).join(', ');
	return `${run.title}${targets ? ` on ${targets}` : ''}: ${run.status} · ${run.message}`;
}

export class RunTracker {
	private readonly handles = new Map<string, RunHandle>();
	private readonly seen = new Map<string, string>();

	constructor(private readonly toast: (notice: Notice, ms: number) => void, private readonly finalToastMs: number) {}

	add(handle: RunHandle): void {
		this.handles.set(handle.runId, handle);
	}

	/** Whether a stop/skip handle is held for this run (it was started from this console and is running). */
	canStop(runId: string): boolean {
		return this.handles.has(runId);
	}

	stop(runId: string): void {
		this.handles.get(runId)?.stop();
	}

	skipWait(runId: string): void {
		this.handles.get(runId)?.skipWait();
	}

	/** The gate's history changed: a toast per run whose status, message or progress moved. */
	onHistory(runs: ActionRun[]): void {
		for (const run of runs) {
			const key = `${run.status}|${run.message}|${run.progress.length}`;
			if (this.seen.get(run.runId) === key) continue;
			this.seen.set(run.runId, key);
			const final = FINAL_STATUSES.has(run.status);
			this.toast({text: runLine(run), tone: runTone(run)}, final ? this.finalToastMs : 60_000);
			if (final) this.handles.delete(run.runId);
		}
	}

	dispose(): void {
		for (const h of this.handles.values()) h.stop();
		this.handles.clear();
	}
}
