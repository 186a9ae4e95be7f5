// The lines around the panes: header (context, environment badge, URL, profile, overall state, interval
// or PAUSED, clock), the tab bar for one-pane layouts, the footer with hints generated from the keymap, and
// the "terminal too small" message.
import React from 'react';
import {Box, Text} from 'ink';
import {describeUntrusted} from '../model/freshness.js';
import type {OverallState, UntrustedSource} from '../model/types.js';
import type {ApiProfile} from '../contract/types.js';
import {cutToWidth, displayWidth, sanitise} from '../util/terminal-text.js';
import {clock, duration} from './format.js';
import {footerHints, viewHints, type Keymap} from './keymap.js';
import {PANE_IDS, type PaneId} from './layout.js';
import {SegmentLine, seg, type Line} from './line.js';
import {PANES} from './panes/index.js';
import {overallLook, sourceLook, toneColour, type Theme, type Tone} from './theme.js';
import type {SourceStatus} from '../contract/snapshot.js';

export interface HeaderInfo {
	contextName: string;
	/** The context's environment badge from the config, e.g. {label: "PROD", color: "red"}. */
	environment: {label: string; color: string} | null;
	/** Already redacted (no credentials). */
	hiveUrl: string;
}

export function Header(props: {
	info: HeaderInfo;
	profile: ApiProfile | null;
	overall: OverallState;
	paused: boolean;
	intervalMs: number;
	/** Out of view (focus reporting): polling slowed to this interval, or paused. */
	unfocused?: number | 'paused' | null;
	now: number;
	width: number;
	theme: Theme;
	demo: string | null;
	/**
	 * The sources whose data the assessment did not trust (Assessment.untrusted): with the overall unknown
	 * the header says why, e.g. "? UNKNOWN · hive down 40 s", ticking with `now`.
	 */
	untrusted?: UntrustedSource[] | null;
}) {
	const {info, theme} = props;
	const look = overallLook(theme, props.overall);
	const env = info.environment ? sanitise(info.environment.label) : null;
	const sep = seg(theme.ascii ? ' | ' : ' │ ', 'muted');
	const polling = props.unfocused === 'paused' ? 'out of view: paused' : props.unfocused ? `out of view: every ${duration(props.unfocused / 1000)}` : props.paused ? 'PAUSED' : `every ${duration(props.intervalMs / 1000)}`;
	const right: Line = [seg(polling, props.paused || props.unfocused ? 'warning' : 'muted', props.paused && !props.unfocused), sep, seg(clock(props.now))];
	const left: Line = [seg('hive-console', 'accent', true), sep, seg(info.contextName, 'plain', true)];
	if (env) left.push(seg(' '), {text: `[${env}]`, bold: true, color: info.environment!.color});
	// The overall state comes before the demo label, the profile and the URL, so that a narrow terminal cuts
	// those, never the state.
	left.push(sep, seg(`${look.glyph} ${look.word}`, look.tone, true));
	// From the same assessment as `overall`, passed by the caller: never a module-wide "last" one.
	const why = props.overall === 'unknown' ? props.untrusted?.find((u) => u.source === 'hive') : undefined;
	if (why) left.push(seg(theme.ascii ? ' - ' : ' · ', look.tone), seg(describeUntrusted(why, props.now), look.tone, true));
	if (props.demo) left.push(sep, seg(`[DEMO: ${props.demo}]`, 'accent', true));
	left.push(sep, seg(props.profile ?? 'profile ?', 'muted'), sep, seg(info.hiveUrl));
	const rightWidth = right.reduce((n, s) => n + displayWidth(sanitise(s.text)), 0);
	const leftWidth = Math.max(0, props.width - rightWidth - 1);
	return (
		<Box width={props.width}>
			<Box width={leftWidth}>
				<SegmentLine line={left} width={leftWidth} theme={theme} />
			</Box>
			<Box flexGrow={1} justifyContent="flex-end">
				<SegmentLine line={right} width={rightWidth} theme={theme} />
			</Box>
		</Box>
	);
}

export function TabBar(props: {focused: PaneId; width: number; theme: Theme; states: Record<PaneId, SourceStatus['state']>}) {
	const {theme} = props;
	const parts = PANE_IDS.map((id) => {
		const spec = PANES[id];
		const state = props.states[id];
		const mark = state === 'down' || state === 'unauthorised' || state === 'misconfigured' ? sourceLook(theme, state).glyph : '';
		const label = `${spec.number} ${spec.tab}${mark ? ' ' + mark : ''}`;
		return {id, text: id === props.focused ? `[${label}]` : ` ${label} `};
	});
	let used = 0;
	return (
		<Text wrap="truncate">
			{parts.map((p) => {
				const text = cutToWidth(p.text, Math.max(0, props.width - used));
				used += displayWidth(text) + 1;
				const focused = p.id === props.focused;
				return (
					<Text key={p.id} inverse={focused} bold={focused} color={focused ? toneColour(theme, 'accent') : undefined}>
						{text}
						<Text inverse={false}> </Text>
					</Text>
				);
			})}
		</Text>
	);
}

export interface Notice {
	text: string;
	tone: Tone;
}

export interface FooterHint {
	keys: string;
	label: string;
	/** Unavailable here and now: drawn dimmed and marked. */
	disabled?: boolean;
}

/**
 * The footer: the hints of the view on top of the stack, generated from its bindings (`hints`; the panes'
 * own when absent, with the focused pane's actions after quit and help), the filter prompt, or a notice.
 */
export function Footer(props: {keymap: Keymap; demo: boolean; scenario: string | null; editingFilter: boolean; filter: string; notice: Notice | null; width: number; theme: Theme; extra?: FooterHint[]; hints?: FooterHint[]}) {
	const {theme, width} = props;
	if (props.editingFilter && !props.hints) {
		const keys = viewHints(props.keymap, 'filter', theme.ascii).map((h) => `${h.keys} ${h.label}`).join(' · ');
		return <SegmentLine line={[seg('/', 'accent', true), seg(props.filter), seg(theme.ascii ? '_' : '▏', 'accent'), seg(`   ${keys}`, 'muted')]} width={width} theme={theme} />;
	}
	if (props.notice) return <SegmentLine line={[seg(props.notice.text, props.notice.tone, true)]} width={width} theme={theme} />;
	const line: Line = [];
	let used = 0;
	const hints: FooterHint[] = props.hints ? [...props.hints] : footerHints(props.keymap, props.demo, theme.ascii);
	// Quit and help stay first; the focused pane's actions come right after them.
	if (!props.hints) hints.splice(Math.min(2, hints.length), 0, ...(props.extra ?? []));
	for (const hint of hints) {
		const base = hint.label === 'scenario' && props.scenario ? `scenario: ${props.scenario}` : hint.label;
		const label = hint.disabled ? `${base} (off)` : base;
		const w = displayWidth(hint.keys) + 1 + displayWidth(label) + 2;
		if (used + w > width) break;
		line.push(seg(hint.keys, hint.disabled ? 'muted' : 'accent', true), seg(` ${label}  `, 'muted'));
		used += w;
	}
	return <SegmentLine line={line} width={width} theme={theme} />;
}

export function TooSmall(props: {columns: number; rows: number; needColumns: number; needRows: number}) {
	return (
		<Box flexDirection="column">
			<Text wrap="truncate">hive-console needs at least {props.needColumns}x{props.needRows};</Text>
			<Text wrap="truncate">this terminal is {props.columns}x{props.rows}.</Text>
			<Text wrap="truncate">Enlarge it, or press q to quit.</Text>
		</Box>
	);
}
