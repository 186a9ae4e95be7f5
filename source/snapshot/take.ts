// Takes a snapshot from a running state: reads what lives on disk (the context's timeline when the caller
// has none in memory, the recent audit entries), builds the document and writes both files. Shared by
// `hive-console snapshot` and the console's snapshot key, so the two write the same report.
import {readAuditLog} from '../actions/audit-log.js';
import type {PlaybookState} from '../actions/playbooks/types.js';
import type {ResolvedConfig} from '../config/resolve.js';
import type {HiveConsoleState} from '../contract/snapshot.js';
import {selectAssessment} from '../model/select.js';
import {readTimeline} from '../timeline/file.js';
import type {TimelineEntry} from '../timeline/types.js';
import {buildSnapshot, SNAPSHOT_AUDIT_LIMIT, SNAPSHOT_AUDIT_WINDOW_MS, type SnapshotDocument} from './build.js';
import {defaultSnapshotDir, writeSnapshot, type WrittenSnapshot} from './write.js';

export interface TakeSnapshotOptions {
	state: HiveConsoleState;
	config: ResolvedConfig;
	/** The console's clock (default now). */
	now?: number;
	/** The recorder's entries; without them the context's timeline file is read. */
	timeline?: TimelineEntry[];
	playbook?: PlaybookState | null;
	/** Folder for the two files (default `snapshots/` in the state directory). */
	outDir?: string;
}

export interface TakenSnapshot extends WrittenSnapshot {
	document: SnapshotDocument;
	/** What could not be read (the audit log, the timeline file): the snapshot is written without it. */
	warnings: string[];
}

export async function takeSnapshot(options: TakeSnapshotOptions): Promise<TakenSnapshot> {
	const {state, config} = options;
	const now = options.now ?? Date.now();
	const warnings: string[] = [];
	let timeline = options.timeline;
	if (!timeline) {
		try {
			timeline = (await readTimeline(config.stateDir, config.contextName)).entries;
		} catch (error) {
			warnings.push(`timeline not included: ${error instanceof Error ? error.message : String(error)}`);
			timeline = [];
		}
	}
	let audit: Awaited<ReturnType<typeof readAuditLog>>['entries'] = [];
	try {
		audit = (await readAuditLog(config.auditLogPath, {since: now - SNAPSHOT_AUDIT_WINDOW_MS})).entries.slice(-SNAPSHOT_AUDIT_LIMIT);
	} catch (error) {
		warnings.push(`audit entries not included: ${error instanceof Error ? error.message : String(error)}`);
	}
	const document = buildSnapshot({state, assessment: selectAssessment(state, now), config, now, audit, timeline, playbook: options.playbook ?? null});
	const written = await writeSnapshot(document, options.outDir ?? defaultSnapshotDir(config.stateDir));
	return {...written, document, warnings};
}
