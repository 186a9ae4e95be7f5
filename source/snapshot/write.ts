// Writes a snapshot's two files side by side: <name>.md for people and <name>.json for tools, readable
// by the user only (they describe a production incident). Names carry the context and the time, so two
// snapshots never overwrite each other.
import {mkdirSync} from 'node:fs';
import {open} from 'node:fs/promises';
import path from 'node:path';
import {contextSlug} from '../timeline/file.js';
import {toSafeJson} from '../util/safe-json.js';
import type {SnapshotDocument} from './build.js';
import {renderMarkdown} from './markdown.js';

export interface WrittenSnapshot {
	markdownPath: string;
	jsonPath: string;
}

/** The default folder: `snapshots/` in the state directory. */
export function defaultSnapshotDir(stateDir: string): string {
	return path.join(stateDir, 'snapshots');
}

/** "hive-snapshot-prod-20261201-113012" (UTC). */
export function snapshotBaseName(doc: Pick<SnapshotDocument, 'context' | 'generatedAt'>): string {
	const stamp = doc.generatedAt.replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
	return `hive-snapshot-${contextSlug(doc.context)}-${stamp}`;
}

async function writeNew(file: string, text: string): Promise<void> {
	// 'wx': never replace a file that is there (another snapshot in the same second gets a suffix instead).
	const handle = await open(file, 'wx', 0o600);
	try {
		await handle.writeFile(text);
		await handle.sync();
	} finally {
		await handle.close();
	}
}

export async function writeSnapshot(doc: SnapshotDocument, dir: string): Promise<WrittenSnapshot> {
	mkdirSync(dir, {recursive: true, mode: 0o700});
	const base = snapshotBaseName(doc);
	const markdown = renderMarkdown(doc);
	const json = toSafeJson(doc) + '\n';
	for (let n = 0; ; n++) {
		const name = n === 0 ? base : `${base}-${n}`;
		const markdownPath = path.join(dir, `${name}.md`);
		const jsonPath = path.join(dir, `${name}.json`);
		try {
			await writeNew(jsonPath, json);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST' && n < 100) continue;
			throw error;
		}
		await writeNew(markdownPath, markdown);
		return {markdownPath, jsonPath};
	}
}
