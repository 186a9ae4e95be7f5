// The project's own table for live panes. ink-table cannot select rows, cut cells or window (docs/platform-facts.md),
// so this one renders only the rows that fit (10,000 agents cost what 10 do), marks the selected row with a
// glyph as well as inverse video (NO_COLOR keeps it visible), shows the sort column, and cuts every cell by
// display width through fitCell (which sanitises first), so wide characters count as two columns.
import React from 'react';
import {Box, Text} from 'ink';
import {cutToWidth, displayWidth, fitCell, sanitise} from '../util/terminal-text.js';
import {asciiText} from './ascii-output.js';
import {glyphs, toneColour, type Theme, type Tone} from './theme.js';

export interface Column<Row> {
	id: string;
	title: string;
	/** Preferred width in columns. */
	width: number;
	/** Narrowest useful width; defaults to the title's length. */
	minWidth?: number;
	/** Takes whatever width is left (one column per table). */
	flex?: boolean;
	align?: 'left' | 'right';
	/** Columns with a lower priority are dropped first when the pane is narrow. */
	priority?: number;
	/** Display text (raw: fitCell sanitises it); `width` is the column's width on screen (a sparkline fills it). */
	cell: (row: Row, now: number, width?: number) => string;
	/** Sort value; columns without one are skipped by `s`. Must not depend on the clock. */
	sortKey?: (row: Row) => number | string | null;
}

export interface SortState {
	column: string | null;
	descending: boolean;
}

export interface FittedColumn<Row> {
	column: Column<Row>;
	width: number;
}

const GAP = 1;
const MARKER = 2;

/** Chooses the columns that fit `width` (dropping low priority ones first) and their widths. */
export function fitColumns<Row>(columns: Column<Row>[], width: number): FittedColumn<Row>[] {
	const available = Math.max(0, width - MARKER);
	// A sorted header keeps its mark by cutting its title (headerCell), so a title needs no column kept
	// spare for the mark.
	const baseMin = (c: Column<Row>) => Math.min(c.width, c.minWidth ?? c.title.length);
	// The flex column (names, queries, log lines) is what the reader came for: it keeps about a third of
	// the width, and narrow numeric columns go first.
	const minOf = (c: Column<Row>) => (c.flex ? Math.min(c.width, Math.max(baseMin(c), Math.floor(available * 0.35))) : baseMin(c));
	let kept = [...columns];
	const need = (cols: Column<Row>[]) => cols.reduce((sum, c) => sum + minOf(c), 0) + GAP * Math.max(0, cols.length - 1);
	while (kept.length > 1 && need(kept) > available) {
		const lowest = kept.reduce((low, c) => ((c.priority ?? 1) < (low.priority ?? 1) ? c : low), kept[kept.length - 1]!);
		kept = kept.filter((c) => c !== lowest);
	}
	const widths = kept.map(minOf);
	let spare = available - need(kept);
	// Grow towards preferred widths, most important columns first, then give the rest to the flex column.
	const byPriority = kept.map((c, i) => ({c, i})).sort((a, b) => (b.c.priority ?? 1) - (a.c.priority ?? 1));
	for (const {c, i} of byPriority) {
		if (spare <= 0) break;
		const grow = Math.min(spare, c.width - widths[i]!);
		if (grow > 0) {
			widths[i]! += grow;
			spare -= grow;
		}
	}
	const flex = kept.findIndex((c) => c.flex);
	if (spare > 0 && flex >= 0) widths[flex]! += spare;
	return kept.map((column, i) => ({column, width: Math.max(0, widths[i]!)}));
}

export function sortRows<Row>(rows: Row[], columns: Column<Row>[], sort: SortState): Row[] {
	const column = columns.find((c) => c.id === sort.column);
	if (!column?.sortKey) return rows;
	// Row positions sorted by a parallel array of keys, with no object per row: at 10,000 agents those objects
	// were most of a sort's garbage.
	const sortKey = column.sortKey;
	const keys = rows.map((row) => sortKey(row));
	const order = rows.map((_, index) => index);
	order.sort((a, b) => {
		const ka = keys[a]!;
		const kb = keys[b]!;
		// Unknown values sort last in either direction: "?" is never the most or least of anything.
		if (ka === null && kb === null) return a - b;
		if (ka === null) return 1;
		if (kb === null) return -1;
		const compared = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb));
		return (sort.descending ? -compared : compared) || a - b;
	});
	return order.map((index) => rows[index]!);
}

/** First visible row so that `selected` stays in view, moving the window as little as possible. */
export function windowStart(previous: number, selected: number, visible: number, total: number): number {
	let start = Math.min(previous, Math.max(0, total - visible));
	if (selected < start) start = selected;
	if (selected >= start + visible) start = selected - visible + 1;
	return Math.max(0, start);
}

export interface TableProps<Row> {
	columns: FittedColumn<Row>[];
	rows: Row[];
	start: number;
	height: number;
	selected: number;
	focused: boolean;
	sort: SortState;
	theme: Theme;
	now: number;
	dim: boolean;
	tone?: (row: Row, now: number) => Tone;
	rowKey: (row: Row) => string;
}

/**
 * A header cell: the title, and after it the sort mark when this column is sorted. When the column is
 * narrower than both, the title is cut and the mark stays, so the reader still sees which column sorts.
 */
export function headerCell<Row>(column: Column<Row>, width: number, sort: SortState, theme: Theme): string {
	const g = glyphs(theme);
	const mark = sort.column === column.id ? (sort.descending ? g.sortDown : g.sortUp) : '';
	const title = ascii(theme, column.title, width);
	if (!mark) return fitCell(title, width, column.align);
	const room = width - displayWidth(mark);
	if (room <= 0) return fitCell(mark, width, column.align);
	return fitCell(cutToWidth(sanitise(title), room) + mark, width, column.align);
}

/** A body cell, cut and padded to its column's width. */
export function bodyCell<Row>(column: Column<Row>, row: Row, now: number, width: number, theme: Theme): string {
	return fitCell(ascii(theme, column.cell(row, now, width), width), width, column.align);
}

// Under --ascii, text is made ASCII here, before it is measured and cut, so that "≥ 95" becomes ">= 95"
// in a cell that is laid out for it (the last-resort mapping on the terminal stream keeps every character
// one column wide, and cannot). Only what can reach the screen is converted: a megabyte-long name costs
// what its first columns do.
function ascii(theme: Theme, text: string, width: number): string {
	if (!theme.ascii) return text;
	const reach = width * 4 + 64;
	return asciiText(text.length > reach ? text.slice(0, reach) + '…' : text);
}

function TableImpl<Row>(props: TableProps<Row>) {
	const {columns, rows, start, height, selected, focused, sort, theme, now, dim} = props;
	const g = glyphs(theme);
	const header = '  ' + columns.map(({column, width}) => headerCell(column, width, sort, theme)).join(' ');
	const visible = rows.slice(start, start + height);
	return (
		<Box flexDirection="column">
			<Text bold dimColor={dim} wrap="truncate">
				{header}
			</Text>
			{visible.map((row, i) => {
				const index = start + i;
				const isSelected = focused && index === selected;
				const tone = props.tone?.(row, now) ?? 'plain';
				const line = (isSelected ? g.selected + ' ' : '  ') + columns.map(({column, width}) => bodyCell(column, row, now, width, theme)).join(' ');
				return <TableRow key={props.rowKey(row)} line={line} color={toneColour(theme, tone)} dim={dim || tone === 'muted'} inverse={isSelected} bold={tone === 'critical'} />;
			})}
		</Box>
	);
}

interface TableRowProps {
	line: string;
	color: string | undefined;
	dim: boolean;
	inverse: boolean;
	bold: boolean;
}

/**
 * One row, drawn again only when its text or look changed. Every poll hands the table new rows, but on an
 * idle console most of them read the same as before: memoised on these five values, those rows cost React
 * no render and Ink no prop diff, style update or text sanitising; only the rows whose text changed (an
 * age, a count) or the two a key moves the selection between are redrawn.
 */
const TableRow = React.memo(function TableRow({line, color, dim, inverse, bold}: TableRowProps) {
	return (
		<Text color={color} dimColor={dim} inverse={inverse} bold={bold} wrap="truncate">
			{line}
		</Text>
	);
});

export const Table = React.memo(TableImpl) as typeof TableImpl;
