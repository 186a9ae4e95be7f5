// One pane drawn from its spec: a top border carrying the number, title and filter; the freshness line
// (age, STALE, or the source's error and retry countdown); summary lines; then the windowed table. The
// last good data stays on screen when a source fails, dimmed.
import React from 'react';
import {Box, Text} from 'ink';
import type {SourceStatus} from '../contract/snapshot.js';
import {cutToWidth, displayWidth, sanitise} from '../util/terminal-text.js';
import {freshness} from './freshness.js';
import {SegmentLine, seg, type Line} from './line.js';
import type {AnyPaneSpec, PaneContext} from './panes/pane-spec.js';
import {Table, fitColumns, type SortState} from './table.js';
import {glyphs, sourceLook, toneColour, type Theme} from './theme.js';

export interface PaneProps {
	spec: AnyPaneSpec;
	ctx: PaneContext;
	status: SourceStatus;
	/** Rows after filter and sort. */
	rows: unknown[];
	totalRows: number;
	selected: number;
	start: number;
	tableHeight: number;
	filter: string;
	editingFilter: boolean;
	sort: SortState;
	width: number;
	height: number;
	focused: boolean;
	paused: boolean;
	theme: Theme;
}

const BORDERS = {
	round: {tl: '╭', tr: '╮', h: '─', style: 'round'},
	bold: {tl: '┏', tr: '┓', h: '━', style: 'bold'},
	classic: {tl: '+', tr: '+', h: '-', style: 'classic'},
	classicFocused: {tl: '#', tr: '#', h: '=', style: 'classic'},
} as const;

export function paneChromeLines(spec: AnyPaneSpec, ctx: PaneContext, status: SourceStatus, width?: number): {summary: Line[]; extra: number} {
	if (status.state === 'disabled') return {summary: [], extra: 0};
	const failing = status.state === 'down' || status.state === 'unauthorised' || status.state === 'misconfigured';
	return {summary: spec.summary(ctx, width), extra: failing ? 1 : 0};
}

function PaneImpl(props: PaneProps) {
	const {spec, ctx, status, theme, width, height, focused} = props;
	const border = theme.ascii ? (focused ? BORDERS.classicFocused : BORDERS.classic) : focused ? BORDERS.bold : BORDERS.round;
	const g = glyphs(theme);
	const inner = Math.max(0, width - 2);
	const filterText = props.filter || props.editingFilter ? ` /${sanitise(props.filter)}${props.editingFilter && focused ? g.cursor : ''} (${props.rows.length}/${props.totalRows})` : '';
	const titleText = cutToWidth(`${focused ? g.focus + ' ' : ''}${spec.number} ${spec.title}${filterText} `, Math.max(0, inner - 1));
	const top = border.tl + border.h + titleText + border.h.repeat(Math.max(0, inner - 1 - displayWidth(titleText))) + border.tr;
	const hint = status.state === 'disabled' ? (status.lastError ?? spec.disabledHint).replace(/^\w+: not configured; /, '') : spec.disabledHint;
	const fresh = freshness(status, ctx.now, props.paused, hint);
	const look = sourceLook(theme, status.state);
	const borderColour = focused ? toneColour(theme, 'accent') : undefined;
	const {summary} = paneChromeLines(spec, ctx, status, inner);
	const freshLine: Line =
		fresh.kind === 'failing'
			? [seg(`${look.glyph} ${spec.source} `, 'critical', true), seg(fresh.text, 'critical')]
			: fresh.kind === 'stale'
				? [seg(`${theme.ascii ? '!' : '▲'} `, 'warning'), seg(fresh.text, 'warning', true)]
				: fresh.kind === 'disabled'
					? [seg(`${look.glyph} ${spec.source} `, 'muted'), seg(fresh.text, 'muted')]
					: [seg(`${look.glyph} `, look.tone), seg(fresh.text, fresh.kind === 'paused' ? 'accent' : 'muted')];
	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<Text color={borderColour} bold={focused} wrap="truncate">
				{top}
			</Text>
			<Box
				// Remount when the border style changes: Ink re-applies only changed style keys, and a new
				// borderStyle alone brings the suppressed top border back as an empty line.
				key={border.style}
				flexDirection="column"
				borderStyle={border.style}
				borderTop={false}
				borderColor={borderColour}
				width={width}
				height={height - 1}
				overflowY="hidden"
			>
				{status.state === 'disabled' ? (
					<Box flexDirection="column" width={inner}>
						<SegmentLine line={[seg(`${look.glyph} ${spec.source} not configured`, 'muted', true)]} width={inner} theme={theme} />
						<Text wrap="wrap" dimColor>
							{sanitise(hint)}
						</Text>
					</Box>
				) : (
					<>
						<SegmentLine line={freshLine} width={inner} theme={theme} />
						{fresh.error !== null && <SegmentLine line={[seg(fresh.error, 'critical')]} width={inner} theme={theme} />}
						{summary.map((line, i) => (
							<SegmentLine key={i} line={line} width={inner} theme={theme} dim={fresh.dim} />
						))}
						{props.totalRows === 0 ? (
							<SegmentLine line={[seg(status.lastSuccessAt === null ? '' : spec.empty(ctx), 'muted')]} width={inner} theme={theme} />
						) : props.rows.length === 0 ? (
							<SegmentLine line={[seg(`no rows match /${props.filter} (Esc clears)`, 'muted')]} width={inner} theme={theme} />
						) : (
							<Table
								columns={fitColumns(spec.columns, inner)}
								rows={props.rows}
								start={props.start}
								height={props.tableHeight}
								selected={props.selected}
								focused={focused}
								sort={props.sort}
								theme={theme}
								now={ctx.now}
								dim={fresh.dim}
								tone={spec.tone}
								rowKey={spec.key}
							/>
						)}
					</>
				)}
			</Box>
		</Box>
	);
}

export const Pane = React.memo(PaneImpl);
