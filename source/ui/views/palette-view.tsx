// The command palette over the panes: the typed query with a cursor, then the matches, the highlighted one
// marked (visible without colour), each with its key and what it does; an action the profile lacks says
// why it is off. "interval N" shows what Enter will set.
import React from 'react';
import {SegmentLine, seg, type Line} from '../line.js';
import type {Theme} from '../theme.js';
import {fitCell, sanitise} from '../../util/terminal-text.js';
import {Frame} from './scroll-frame.js';
import type {PaletteEntry, PaletteState} from './palette.js';
import {entryName, parseIntervalCommand} from './palette.js';

/** The first match shown, so that the highlighted one is always in the window. */
export function paletteWindowStart(selected: number, rows: number): number {
	return Math.max(0, selected - rows + 1);
}

export function PaletteOverlay(props: {state: PaletteState; matches: PaletteEntry[]; width: number; height: number; theme: Theme; closeHint: string}) {
	const {state, matches, width, theme} = props;
	const inner = width - 2;
	const rows = Math.max(1, props.height - 5);
	const interval = parseIntervalCommand(state.query);
	const lines: Line[] = [];
	if (interval !== null) lines.push([seg('› ', 'accent', true), seg(`set the poll interval to ${interval} s`, 'plain', true)]);
	else if (matches.length === 0) lines.push([seg('no command matches; Backspace to edit, Esc to close', 'muted')]);
	const start = paletteWindowStart(state.selected, rows);
	if (interval === null) {
		const keyWidth = Math.min(12, Math.max(3, ...matches.slice(start, start + rows).map((m) => m.keys.length)));
		const nameOf = (m: PaletteEntry) => sanitise(entryName(m));
		const nameWidth = Math.min(Math.max(28, Math.floor(inner / 2)), Math.max(8, ...matches.slice(start, start + rows).map((m) => nameOf(m).length)));
		matches.slice(start, start + rows).forEach((m, i) => {
			const chosen = start + i === state.selected;
			lines.push([
				seg(chosen ? '› ' : '  ', 'accent', true),
				seg(`${fitCell(nameOf(m), nameWidth)}  `, chosen ? 'accent' : 'plain', chosen),
				seg(m.keys.padEnd(keyWidth + 2), 'muted'),
				seg(m.description, m.off ? 'muted' : 'plain'),
				...(m.off ? [seg(` [off: ${m.off}]`, 'warning')] : []),
			]);
		});
	}
	const count = interval !== null ? '' : `${matches.length} match${matches.length === 1 ? '' : 'es'}${matches.length > rows ? ` · ${start + 1}–${Math.min(matches.length, start + rows)}` : ''}`;
	return (
		<Frame title="Command palette" width={width} height={props.height} theme={theme} closeHint={props.closeHint}>
			<SegmentLine line={[seg(': ', 'accent', true), seg(sanitise(state.query), 'plain', true), seg(theme.ascii ? '_' : '▏', 'accent'), seg(`   ${count}`, 'muted')]} width={inner} theme={theme} />
			<SegmentLine line={[]} width={inner} theme={theme} />
			{lines.map((line, i) => (
				<SegmentLine key={i} line={line} width={inner} theme={theme} />
			))}
		</Frame>
	);
}
