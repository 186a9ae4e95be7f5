// What happened to the actions: one run in full (status, per-target progress, the hive's replies, and for
// the analyses their result as a table), and the action history, newest first. Both are scrolled lines.
import React from 'react';
import type {ActionRun} from '../../actions/index.js';
import {FINAL_STATUSES} from '../../actions/index.js';
import {clock} from '../format.js';
import {keysOf, type Keymap} from '../keymap.js';
import {seg, type Line} from '../line.js';
import type {Theme, Tone} from '../theme.js';
import {ScrollFrame, wrappedLines, type ScrollWindow} from '../views/scroll-frame.js';
import {analysisLines, tableLines} from './analysis-views.js';

export const STATUS_TONE: Record<string, Tone> = {
	refused: 'critical', failed: 'critical', busy: 'warning', skipped: 'warning', unconfirmed: 'warning', stopped: 'warning',
	'dry-run': 'muted', checking: 'accent', sending: 'accent', pending: 'accent', confirmed: 'ok',
};

function cell(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return String(Math.round(value * 100) / 100);
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

/** An analysis reply as table rows: an array of records, the first array inside an object, or key/value pairs. */
export function resultRows(body: unknown): Array<Record<string, string>> {
	const records = (list: unknown[]) => list.filter((x) => x && typeof x === 'object' && !Array.isArray(x)).map((x) => Object.fromEntries(Object.entries(x as object).map(([k, v]) => [k, cell(v)])));
	if (Array.isArray(body)) return records(body);
	if (body && typeof body === 'object') {
		const list = Object.values(body).find((v) => Array.isArray(v) && v.length > 0 && typeof v[0] === 'object');
		if (list) return records(list as unknown[]);
		return Object.entries(body).map(([key, v]) => ({field: key, value: cell(v)}));
	}
	return body === null || body === undefined ? [] : [{value: cell(body)}];
}

/** A run as lines: status, targets, requests, progress, the hive's replies (wrapped: they are its reasons), notes, the result. */
export function runLines(run: ActionRun, inner: number, waitHint: string): Line[] {
	const analysis = run.status === 'confirmed' && run.replies.length === 1 && run.requests.every((r) => r.startsWith('GET '));
	// The shipped server's analyses get their own view (figures, then tables); other shapes a generic table.
	const readable = analysis ? analysisLines(run.actionId, run.replies[0]!.body, inner) : null;
	const lines: Line[] = [...wrappedLines([seg(run.status.toUpperCase(), STATUS_TONE[run.status] ?? 'plain', true), seg('  ')], run.message, inner)];
	if (run.targets.length > 0) lines.push(...wrappedLines([seg('targets: ', 'muted')], run.targets.map((t) => `${t.name} (${t.id})`).join(', '), inner));
	for (const r of run.requests.slice(0, 6)) lines.push(...wrappedLines([], r, inner, 'muted'));
	const waitLeft = run.waitingUntil ? Math.max(0, Math.ceil((run.waitingUntil - Date.now()) / 1000)) : null;
	if (waitLeft !== null) lines.push([seg(`next target in ${waitLeft} s (${waitHint})`, 'accent', true)]);
	for (const p of run.progress.slice(-10)) {
		lines.push(...wrappedLines([seg(`${clock(p.at)} `, 'muted'), seg(`${p.targetName} `, 'plain', true), seg(p.state, p.state === 'failed' ? 'critical' : p.state === 'sent' ? 'ok' : 'muted'), seg('  ')], p.message, inner));
	}
	if (!analysis) {
		for (const r of run.replies.slice(-4)) lines.push(...wrappedLines([seg(r.ok ? 'reply ' : 'refused by the hive ', r.ok ? 'muted' : 'critical', !r.ok), seg(r.httpStatus ? `${r.httpStatus} ` : '')], r.message, inner));
	}
	for (const n of run.notes.slice(0, 4)) lines.push(...wrappedLines([], n, inner, 'muted'));
	if (readable) lines.push([], ...readable);
	else if (analysis) {
		const rows = resultRows(run.replies[0]!.body);
		const headers = Object.keys(rows[0] ?? {});
		lines.push([], [seg('Result', 'plain', true)], ...(rows.length === 0 ? [[seg('the hive returned no rows', 'muted')]] : tableLines(headers, rows.map((r) => headers.map((h) => r[h])), inner)));
	}
	return lines;
}

export function RunView({run, width, height, theme, keymap, canStop, scroll}: {run: ActionRun; width: number; height: number; theme: Theme; keymap: Keymap; canStop: boolean; scroll?: ScrollWindow}) {
	const final = FINAL_STATUSES.has(run.status);
	const k = (command: string) => keysOf(keymap, command, theme.ascii);
	const stop = `${k('run-stop')} stops before the next target · ${k('run-skip-wait')} skips the wait`;
	const keys = final ? `${k('close')} closes` : `${k('close')} closes (it keeps running)${canStop ? ` · ${stop}` : ''}`;
	return <ScrollFrame title={run.title} closeHint={keys} lines={runLines(run, width - 2, `${k('run-skip-wait')} skips the wait, ${k('run-stop')} stops`)} width={width} height={height} scroll={scroll ?? {top: 0}} theme={theme} />;
}

export function HistoryView({runs, selected, width, height, theme, keymap}: {runs: ActionRun[]; selected: number; width: number; height: number; theme: Theme; keymap: Keymap}) {
	const newestFirst = [...runs].reverse();
	const k = (command: string) => keysOf(keymap, command, theme.ascii);
	const lines: Line[] = newestFirst.length === 0
		? [[seg('no action has run in this session yet; the audit log keeps every session (hive-console audit)', 'muted')]]
		: newestFirst.map((run, at) => {
				const targets = run.targets.map((t) => t.name).join(', ');
				return [
					seg(at === selected ? '› ' : '  ', 'accent', true),
					seg(`${clock(run.startedAt)} `, 'muted'),
					seg(run.status.padEnd(11), STATUS_TONE[run.status] ?? 'plain', true),
					seg(`${run.title}`, 'plain', true),
					seg(targets ? ` · ${targets}` : ''),
					seg(` · ${run.message}`, 'muted'),
				];
			});
	// The window follows the selection: the selected run is always on screen.
	const rows = Math.max(1, height - 3);
	const shown = lines.length > rows ? rows - 1 : rows;
	const top = Math.max(0, Math.min(selected - shown + 1, lines.length - shown));
	const hint = `${k('history-up')}/${k('history-down')} select · ${k('history-open')} details · ${k('run-stop')} stop · ${k('close')} closes`;
	return <ScrollFrame title={`Action history (${runs.length})`} closeHint={hint} lines={lines} width={width} height={height} scroll={{top}} theme={theme} />;
}
