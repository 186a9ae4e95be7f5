// Views drawn over the pane area: the help overlay (generated from the keymap: every view's keys) and the
// details of one row, both as scrolled lines. A run's generic result table uses ink-table (through the
// loader); every value is sanitised and cut before ink-table sees it, because ink-table itself neither
// truncates nor knows display widths.
import React from 'react';
import {Box, Text} from 'ink';
import {cutToWidth, displayWidth, fitCell, sanitise} from '../util/terminal-text.js';
import {helpSections, keysOf, type Keymap} from './keymap.js';
import {seg, type Line} from './line.js';
import {tableLines} from './actions/analysis-views.js';
import {Frame, ScrollFrame, wrappedLines, wrapText, type ScrollWindow} from './views/scroll-frame.js';
import {loadInkTable} from './ink-table-loader.js';
import {toAscii} from './ascii-output.js';
import type {DetailView} from './panes/pane-spec.js';
import type {Theme} from './theme.js';

export {Frame};

/**
 * The help as lines: every binding of every view, grouped, in two columns when the overlay is wide enough.
 * Each row is its key column, at least two spaces, and its description cut with "…", so key and text never
 * run into each other.
 */
export function helpLines(keymap: Keymap, demo: boolean, inner: number, ascii: boolean, notes: Record<string, string> = {}): Line[] {
	const sections = helpSections(keymap, demo, ascii, notes);
	const keyWidth = Math.min(16, Math.max(...sections.flatMap((s) => s.rows.map((r) => displayWidth(r.keys)))) + 2);
	const columns = inner >= 100 ? 2 : 1;
	const gap = 2;
	const colWidth = Math.floor((inner - gap * (columns - 1)) / columns);
	const sectionLines = (section: (typeof sections)[number]): Line[] => [
		[seg(cutToWidth(section.title, colWidth), 'accent', true)],
		// A long description wraps under itself rather than being cut: the help is where a key is looked up.
		...section.rows.flatMap((row): Line[] =>
			wrapText(row.description, colWidth - keyWidth).map((part, i) => [seg(fitCell(i === 0 ? cutToWidth(row.keys, keyWidth - 2) : '', keyWidth), 'plain', true), seg(fitCell(part, colWidth - keyWidth))]),
		),
	];
	const all = sections.map(sectionLines);
	if (columns === 1) return all.flatMap((lines, i) => (i === 0 ? lines : [[], ...lines]));
	// Sections fill the left column to about half, then the right one; rows are joined side by side.
	const total = all.reduce((n, l) => n + l.length + 1, 0);
	const cols: Line[][] = [[], []];
	let used = 0;
	for (const lines of all) {
		const c = used + lines.length / 2 > total / 2 ? 1 : 0;
		if (cols[c]!.length > 0) cols[c]!.push([]);
		cols[c]!.push(...lines);
		used += lines.length + 1;
	}
	const height = Math.max(cols[0]!.length, cols[1]!.length);
	const pad = (line: Line): Line => {
		const w = line.reduce((n, s) => n + displayWidth(s.text), 0);
		return [...line, seg(' '.repeat(Math.max(0, colWidth - w) + gap))];
	};
	return Array.from({length: height}, (_, i) => [...pad(cols[0]![i] ?? []), ...(cols[1]![i] ?? [])]);
}

export function HelpOverlay(props: {keymap: Keymap; notes?: Record<string, string>; demo: boolean; width: number; height: number; theme: Theme; scroll?: ScrollWindow}) {
	const {theme} = props;
	const lines = helpLines(props.keymap, props.demo, props.width - 2, theme.ascii, props.notes);
	const close = `${keysOf(props.keymap, 'help', theme.ascii)} or ${keysOf(props.keymap, 'close', theme.ascii)} closes`;
	return <ScrollFrame title="Keys" closeHint={close} lines={lines} width={props.width} height={props.height} scroll={props.scroll ?? {top: 0}} theme={theme} />;
}

function AsciiSkeleton({children}: {children?: React.ReactNode}) {
	return <Text bold>{toAscii(String(children ?? ''))}</Text>;
}

export function StaticTable(props: {rows: Array<Record<string, string>>; width: number; maxRows: number; theme: Theme}) {
	const InkTable = loadInkTable();
	const keys = Object.keys(props.rows[0] ?? {});
	const cellWidth = Math.max(4, Math.floor((props.width - 1) / Math.max(1, keys.length)) - 3);
	const data = props.rows.slice(0, props.maxRows).map((row) => Object.fromEntries(keys.map((k) => [k, cutToWidth(sanitise(row[k]), cellWidth)])));
	const more = props.rows.length - data.length;
	if (!InkTable) {
		return (
			<Box flexDirection="column">
				{data.map((row, i) => (
					<Text key={i} wrap="truncate">
						{keys.map((k) => row[k]).join('  ')}
					</Text>
				))}
			</Box>
		);
	}
	return (
		<Box flexDirection="column">
			<InkTable data={data} {...(props.theme.ascii ? {skeleton: AsciiSkeleton} : {})} />
			{more > 0 && <Text dimColor>… {more} more</Text>}
		</Box>
	);
}

/** A row's details as lines: fields (long values wrap under themselves), its table, its text. */
export function detailLines(detail: DetailView, inner: number): Line[] {
	const labelWidth = Math.min(22, Math.max(0, ...detail.fields.map(([l]) => displayWidth(sanitise(l)))) + 2);
	const lines: Line[] = [];
	for (const [label, value] of detail.fields) {
		lines.push(...wrappedLines([seg(fitCell(cutToWidth(sanitise(label), labelWidth - 2), labelWidth), 'plain', true)], value, inner));
	}
	if (detail.table) {
		const headers = Object.keys(detail.table.rows[0] ?? {});
		lines.push([], [seg(sanitise(detail.table.title), 'plain', true)], ...tableLines(headers, detail.table.rows.map((r) => headers.map((h) => r[h])), inner));
	}
	if (detail.text) {
		lines.push([], [seg(sanitise(detail.text.title), 'plain', true)]);
		for (const l of wrapText(detail.text.body, inner)) lines.push([seg(l)]);
	}
	return lines;
}

export function DetailOverlay(props: {detail: DetailView; width: number; height: number; theme: Theme; closeHint: string; scroll?: ScrollWindow}) {
	const {detail, theme, width} = props;
	return <ScrollFrame title={detail.title} closeHint={props.closeHint} lines={detailLines(detail, width - 2)} width={width} height={props.height} scroll={props.scroll ?? {top: 0}} theme={theme} />;
}
