// Flapping folds into one entry. A thing that goes A→B and back B→A is two facts (it broke, it
// recovered); the moment it goes A→B again within the window it is flapping, and from then on each further
// change between those states only raises the count of the entry that stands for the flapping. Pure over
// its own small memory (the last two entries per subject), which the recorder rebuilds from the file's tail.
import type {TimelineEntry} from './types.js';
import {METRIC_LABELS} from '../model/metrics.js';
import {reasonName} from '../model/agents.js';
import type {MetricName} from '../contract/thresholds.js';

export const DEFAULT_FLAP_WINDOW_MS = 10 * 60_000;

const SEVERITY_RANK: Record<TimelineEntry['severity'], number> = {ok: 0, info: 1, unknown: 2, warning: 3, critical: 4};

export interface FoldResult {
	/** The entry to write: new, or an earlier one (same id) with the change folded in. */
	entry: TimelineEntry;
	folded: boolean;
}

function keyOf(e: Pick<TimelineEntry, 'kind' | 'subject'>): string {
	return `${e.kind}\u0000${e.subject}`;
}

export class Folder {
	/** Per subject: the last two entries, oldest first. Bounded by the number of subjects seen lately. */
	private readonly recent = new Map<string, TimelineEntry[]>();

	constructor(private readonly windowMs: number = DEFAULT_FLAP_WINDOW_MS) {}

	/** Feeds an entry already written (a restart reading the file's tail), without folding. */
	remember(entry: TimelineEntry): void {
		const key = keyOf(entry);
		const list = (this.recent.get(key) ?? []).filter((e) => e.id !== entry.id);
		list.push(entry);
		this.recent.set(key, list.slice(-2));
	}

	/** Either returns `entry` as it came (a new fact) or an earlier entry with it folded in. */
	fold(entry: TimelineEntry): FoldResult {
		const key = keyOf(entry);
		const list = this.recent.get(key) ?? [];
		const last = list[list.length - 1];
		const previous = list[list.length - 2];
		const {from, to} = entry;
		const transition = from !== null && to !== null && !entry.baseline;
		if (transition && last) {
			const lastAt = last.lastAt ?? last.at;
			// Once flapping, any change between its states folds in, even one whose start went unseen (the
			// console was restarted, or a poll in between failed).
			const states = last.states ?? [];
			if ((last.count ?? 1) >= 2 && entry.at - lastAt <= this.windowMs && states.includes(to) && states.includes(from)) {
				return this.update(key, list, {...last, count: last.count! + 1, to, lastAt: entry.at, severity: worse(last.severity, entry.severity), text: flapText(last, to, last.count! + 1), detail: entry.detail});
			}
		}
		if (transition && last && last.to === from) {
			// A→B (previous), B→A (last), A→B (this) within the window: the flapping starts at `last`.
			if (previous && !last.count && previous.from === from && previous.to === to && last.from === to && entry.at - previous.at <= this.windowMs) {
				const states = [last.from!, last.to!];
				const folded: TimelineEntry = {...last, count: 2, states, to, lastAt: entry.at, severity: worse(last.severity, entry.severity), detail: entry.detail, text: ''};
				folded.text = flapText(folded, to, 2);
				return this.update(key, list, folded);
			}
		}
		this.remember(entry);
		return {entry, folded: false};
	}

	/** Forgets subjects whose last change is older than the window (keeps the memory bounded). */
	prune(now: number): void {
		for (const [key, list] of this.recent) {
			const last = list[list.length - 1]!;
			if (now - (last.lastAt ?? last.at) > this.windowMs) this.recent.delete(key);
		}
	}

	private update(key: string, list: TimelineEntry[], folded: TimelineEntry): FoldResult {
		this.recent.set(key, [...list.slice(0, -1), folded]);
		return {entry: folded, folded: true};
	}
}

function worse(a: TimelineEntry['severity'], b: TimelineEntry['severity']): TimelineEntry['severity'] {
	return SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a;
}

function labelOf(entry: TimelineEntry): string {
	if (entry.kind === 'metric') return METRIC_LABELS[entry.subject as MetricName] ?? entry.subject;
	if (entry.kind === 'agent') return `agent ${typeof entry.detail?.name === 'string' ? reasonName(entry.detail.name) : entry.subject}`;
	if (entry.kind === 'task') return `task ${typeof entry.detail?.title === 'string' ? reasonName(entry.detail.title) : entry.subject}`;
	return entry.subject;
}

function flapText(entry: TimelineEntry, now: string, count: number): string {
	const states = entry.states ?? [entry.from ?? '?', entry.to ?? '?'];
	return `${labelOf(entry)} flapping ${states.join(' ⇄ ')}: ${count} changes, now ${now}`;
}
