// What happened to the actions: one run in full (status, per-target progress, the hive's replies, and for
// the analyses their result as a table), and the action history, newest first.
import React from 'react';
import {Box, Text} from 'ink';
import type {ActionRun} from '../../actions/index.js';
import {FINAL_STATUSES} from '../../actions/index.js';
import {cutToWidth, sanitise} from '../../util/terminal-text.js';
import {clock} from '../format.js';
import {SegmentLine, seg} from '../line.js';
import {Frame, StaticTable} from '../overlays.js';
import type {Theme, Tone} from '../theme.js';
import {analysisLines, ScrollingLines} from './analysis-views.js';

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

export function RunView({run, width, height, theme, canStop}: {run: ActionRun; width: number; height: number; theme: Theme; canStop: boolean}) {
	const inner = width - 2;
	const final = FINAL_STATUSES.has(run.status);
	const analysis = run.status === 'confirmed' && run.replies.length === 1 && run.requests.every((r) => r.startsWith('GET '));
	// The shipped server's analyses get their own view (figures, then tables, scrollable); other shapes the generic table.
	const readable = analysis ? analysisLines(run.actionId, run.replies[0]!.body, inner) : null;
	const rows = analysis && !readable ? resultRows(run.replies[0]!.body) : [];
	// Rows above the view: borders, title, status, targets, requests, progress, notes, and the view's margin.
	const used = 4 + (run.targets.length > 0 ? 1 : 0) + Math.min(6, run.requests.length) + Math.min(10, run.progress.length) + Math.min(4, run.notes.length) + 1;
	const keys = final ? 'Esc closes' : `Esc closes (it keeps running)${canStop ? ' · s stops before the next target · w skips the wait' : ''}`;
	const waitLeft = run.waitingUntil ? Math.max(0, Math.ceil((run.waitingUntil - Date.now()) / 1000)) : null;
	return (
		<Frame title={run.title} width={width} height={height} theme={theme} closeHint={keys}>
			<SegmentLine line={[seg(run.status.toUpperCase(), STATUS_TONE[run.status] ?? 'plain', true), seg(`  ${run.message}`)]} width={inner} theme={theme} />
			{run.targets.length > 0 && <SegmentLine line={[seg('targets: ', 'muted'), seg(run.targets.map((t) => `${t.name} (${t.id})`).join(', '))]} width={inner} theme={theme} />}
			{run.requests.slice(0, 6).map((r, i) => (
				<Text key={i} wrap="truncate" dimColor>
					{cutToWidth(sanitise(r), inner)}
				</Text>
			))}
			{waitLeft !== null && <SegmentLine line={[seg(`next target in ${waitLeft} s (w skips the wait, s stops)`, 'accent', true)]} width={inner} theme={theme} />}
			{run.progress.slice(-10).map((p, i) => (
				<SegmentLine key={i} line={[seg(`${clock(p.at)} `, 'muted'), seg(`${p.targetName} `, 'plain', true), seg(p.state, p.state === 'failed' ? 'critical' : p.state === 'sent' ? 'ok' : 'muted'), seg(`  ${p.message}`)]} width={inner} theme={theme} />
			))}
			{!analysis && run.replies.slice(-4).map((r, i) => (
				<SegmentLine key={i} line={[seg(r.ok ? 'reply ' : 'refused by the hive ', r.ok ? 'muted' : 'critical', !r.ok), seg(r.httpStatus ? `${r.httpStatus} ` : ''), seg(r.message)]} width={inner} theme={theme} />
			))}
			{run.notes.slice(0, 4).map((n, i) => (
				<Text key={i} dimColor wrap="truncate">
					{cutToWidth(sanitise(n), inner)}
				</Text>
			))}
			{readable && (
				<Box flexDirection="column" marginTop={1}>
					<ScrollingLines lines={readable} width={inner} height={Math.max(3, height - used)} theme={theme} />
				</Box>
			)}
			{analysis && !readable && (
				<Box flexDirection="column" marginTop={1}>
					<Text bold>Result</Text>
					{rows.length === 0 ? <Text dimColor>the hive returned no rows</Text> : <StaticTable rows={rows} width={inner} maxRows={Math.max(1, Math.floor((height - 10) / 2))} theme={theme} />}
				</Box>
			)}
		</Frame>
	);
}

export function HistoryView({runs, selected, width, height, theme}: {runs: ActionRun[]; selected: number; width: number; height: number; theme: Theme}) {
	const inner = width - 2;
	const newestFirst = [...runs].reverse();
	const fit = Math.max(1, height - 3);
	const start = Math.max(0, Math.min(selected - fit + 1, newestFirst.length - fit));
	return (
		<Frame title={`Action history (${runs.length})`} width={width} height={height} theme={theme} closeHint="↑/↓ select · Enter details · s stop · Esc closes">
			{newestFirst.length === 0 && <Text dimColor>no action has run in this session yet; the audit log keeps every session (hive-console audit)</Text>}
			{newestFirst.slice(start, start + fit).map((run, i) => {
				const at = start + i;
				const targets = run.targets.map((t) => t.name).join(', ');
				return (
					<SegmentLine
						key={run.runId}
						line={[
							seg(at === selected ? '› ' : '  ', 'accent', true),
							seg(`${clock(run.startedAt)} `, 'muted'),
							seg(run.status.padEnd(11), STATUS_TONE[run.status] ?? 'plain', true),
							seg(`${run.title}`, 'plain', true),
							seg(targets ? ` · ${targets}` : ''),
							seg(` · ${run.message}`, 'muted'),
						]}
						width={inner}
						theme={theme}
					/>
				);
			})}
		</Frame>
	);
}
