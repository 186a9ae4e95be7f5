// The Fleet view over the panes: every context of the config file as one row (the same table as
// `hive-console fleet`), worst first, each coloured by its state and polled on its own; the selected row is
// marked (visible without colour) and Enter switches the console to that context.
import React from 'react';
import {createPaint} from '../../headless/color.js';
import {renderFleetText, type FleetReport} from '../../headless/fleet.js';
import type {OverallState} from '../../model/types.js';
import {sanitise} from '../../util/terminal-text.js';
import {SegmentLine, seg, type Line} from '../line.js';
import type {Theme, Tone} from '../theme.js';
import {Frame} from './scroll-frame.js';
import {paletteWindowStart} from './palette-view.js';

const TONE: Record<OverallState, Tone> = {healthy: 'ok', warning: 'warning', critical: 'critical', unknown: 'unknown'};
const plain = createPaint(false);

/** The selected row's index in this report: by context name, since rows reorder as states change. */
export function fleetIndex(report: FleetReport, selected: string | null): number {
	const at = selected === null ? -1 : report.hives.findIndex((h) => h.context === selected);
	return at === -1 ? 0 : at;
}

export function FleetOverlay(props: {report: FleetReport; selected: string | null; current: string | null; unusable: Array<{name: string; why: string}>; width: number; height: number; theme: Theme; closeHint: string}) {
	const {report, width, theme} = props;
	const inner = width - 2;
	const [, header = '', ...rows] = renderFleetText(report, {paint: plain, width: inner - 2, title: ''}).split('\n');
	const at = fleetIndex(report, props.selected);
	const room = Math.max(1, props.height - 5 - props.unusable.length);
	const start = paletteWindowStart(at, room);
	const lines: Line[] = [[seg('  '), seg(header, 'muted', true)]];
	rows.slice(start, start + room).forEach((text, i) => {
		const hive = report.hives[start + i]!;
		const chosen = start + i === at;
		const here = hive.context === props.current;
		lines.push([seg(chosen ? '› ' : '  ', 'accent', true), seg(text, TONE[hive.overall], chosen || here)]);
	});
	for (const u of props.unusable) lines.push([seg('  '), seg(sanitise(`${u.name}: cannot be polled: ${u.why}`), 'muted')]);
	const worst = report.hives.length === 0 ? 'no hive answered yet' : `worst ${report.worst.toUpperCase()}`;
	return (
		<Frame title={`Fleet · ${report.hives.length} hives · ${worst}${props.current ? ` · here: ${sanitise(props.current)}` : ''}`} width={width} height={props.height} theme={theme} closeHint={props.closeHint}>
			{lines.map((line, i) => (
				<SegmentLine key={i} line={line} width={inner} theme={theme} />
			))}
		</Frame>
	);
}
