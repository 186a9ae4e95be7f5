// Views drawn over the pane area: the help overlay (generated from the keymap) and the details of one row.
// Details use ink-table for their small static table (through the loader); every value is sanitised and
// cut before ink-table sees it, because ink-table itself neither truncates nor knows display widths.
import React from 'react';
import {Box, Text} from 'ink';
import {cutToWidth, displayWidth, sanitise} from '../util/terminal-text.js';
import {helpSections, keysOf, type Keymap} from './keymap.js';
import {SegmentLine, seg} from './line.js';
import {loadInkTable} from './ink-table-loader.js';
import {toAscii} from './ascii-output.js';
import type {DetailView} from './panes/pane-spec.js';
import {toneColour, type Theme} from './theme.js';

export function Frame(props: {title: string; width: number; height: number; theme: Theme; children: React.ReactNode; closeHint: string}) {
	const {theme} = props;
	return (
		<Box flexDirection="column" width={props.width} height={props.height} borderStyle={theme.ascii ? 'classic' : 'double'} borderColor={toneColour(theme, 'accent')} overflow="hidden">
			<SegmentLine line={[seg(props.title, 'accent', true), seg(`   ${props.closeHint}`, 'muted')]} width={props.width - 2} theme={theme} />
			{props.children}
		</Box>
	);
}

export function HelpOverlay(props: {keymap: Keymap; notes?: Record<string, string>; demo: boolean; width: number; height: number; theme: Theme}) {
	const {theme} = props;
	const sections = helpSections(props.keymap, props.demo, theme.ascii, props.notes);
	const keyWidth = Math.min(14, Math.max(...sections.flatMap((s) => s.rows.map((r) => displayWidth(r.keys)))) + 2);
	const inner = props.width - 2;
	// Two columns of sections when the overlay is wide enough, so every key fits on one 80x24 screen.
	const columns = inner >= 70 ? 2 : 1;
	const colWidth = Math.floor(inner / columns);
	const perColumn: (typeof sections)[] = Array.from({length: columns}, () => []);
	let lines = 0;
	const total = sections.reduce((n, s) => n + s.rows.length + 1, 0);
	for (const s of sections) {
		const col = columns === 2 && lines + (s.rows.length + 1) / 2 > total / 2 ? 1 : 0;
		perColumn[col]!.push(s);
		lines += s.rows.length + 1;
	}
	return (
		<Frame title="Keys" width={props.width} height={props.height} theme={theme} closeHint={`${keysOf(props.keymap, 'help', theme.ascii)} or Esc closes`}>
			<Box>
				{perColumn.map((col, c) => (
					<Box key={c} flexDirection="column" width={colWidth}>
						{col.map((section) => (
							<Box key={section.title} flexDirection="column">
								<Text bold color={toneColour(theme, 'accent')}>
									{section.title}
								</Text>
								{section.rows.map((row) => (
									<Text key={row.keys + row.description} wrap="truncate">
										<Text bold>{cutToWidth(row.keys, keyWidth).padEnd(keyWidth)}</Text>
										{cutToWidth(row.description, Math.max(0, colWidth - keyWidth - 1))}
									</Text>
								))}
							</Box>
						))}
					</Box>
				))}
			</Box>
		</Frame>
	);
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

export function DetailOverlay(props: {detail: DetailView; width: number; height: number; theme: Theme}) {
	const {detail, theme, width} = props;
	const inner = width - 2;
	const labelWidth = Math.min(22, Math.max(...detail.fields.map(([l]) => displayWidth(l))) + 2);
	let budget = props.height - 3 - detail.fields.length;
	const tableRows = detail.table ? Math.max(0, Math.floor((budget - (detail.text ? 4 : 0) - 4) / 2)) : 0;
	if (detail.table) budget -= tableRows * 2 + 4;
	const textLines = detail.text ? sanitise(detail.text.body, {multiline: true}).split('\n') : [];
	return (
		<Frame title={cutToWidth(sanitise(detail.title), inner - 16)} width={width} height={props.height} theme={theme} closeHint="Esc closes">
			{detail.fields.map(([label, value]) => (
				<Text key={label} wrap="truncate">
					<Text bold>{cutToWidth(sanitise(label), labelWidth - 1).padEnd(labelWidth)}</Text>
					{cutToWidth(sanitise(value), Math.max(0, inner - labelWidth))}
				</Text>
			))}
			{detail.table && tableRows > 0 && (
				<Box flexDirection="column" marginTop={1}>
					<Text bold>{sanitise(detail.table.title)}</Text>
					<StaticTable rows={detail.table.rows} width={inner} maxRows={tableRows} theme={theme} />
				</Box>
			)}
			{detail.text && (
				<Box flexDirection="column" marginTop={1} height={Math.max(2, budget)} overflow="hidden">
					<Text bold>{sanitise(detail.text.title)}</Text>
					<Text wrap="wrap">{textLines.join('\n')}</Text>
				</Box>
			)}
		</Frame>
	);
}
