// Renders a line of styled segments. The render boundary for summary and detail text: every segment is
// sanitised here and the line is cut to the pane's width by display width.
import React from 'react';
import {Text} from 'ink';
import {cutToWidth, displayWidth, sanitise} from '../util/terminal-text.js';
import {toneColour, type Theme, type Tone} from './theme.js';

export interface Segment {
	text: string;
	tone?: Tone;
	bold?: boolean;
	dim?: boolean;
	/** An explicit colour (a config's environment badge); dropped when colour is off. */
	color?: string;
}

export type Line = Segment[];

export function seg(text: string | number, tone?: Tone, bold?: boolean): Segment {
	return {text: String(text), tone, bold};
}

interface SegmentLineProps {
	line: Line;
	width: number;
	theme: Theme;
	dim?: boolean;
}

/** Every field of Segment compared: a field added there must be added here, or a change to it is not drawn. */
function sameLine(a: Line, b: Line): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) {
		const x = a[i]!;
		const y = b[i]!;
		if (x.text !== y.text || x.tone !== y.tone || x.bold !== y.bold || x.dim !== y.dim || x.color !== y.color) return false;
	}
	return true;
}

/**
 * Memoised on what the line says, not on the array holding it: panes build their lines afresh each render,
 * and on an idle console most read as before, so those cost React and Ink nothing (see TableRow).
 */
export const SegmentLine = React.memo(SegmentLineImpl, (a, b) => a.width === b.width && a.theme === b.theme && a.dim === b.dim && sameLine(a.line, b.line));

function SegmentLineImpl({line, width, theme, dim}: SegmentLineProps) {
	let remaining = width;
	const parts: Array<{text: string; s: Segment}> = [];
	for (const s of line) {
		if (remaining <= 0) break;
		const text = cutToWidth(sanitise(s.text), remaining);
		remaining -= displayWidth(text);
		parts.push({text, s});
	}
	return (
		<Text wrap="truncate" dimColor={dim}>
			{parts.map(({text, s}, i) => (
				<Text key={i} color={s.color && theme.color ? s.color : toneColour(theme, s.tone ?? 'plain')} bold={s.bold} dimColor={dim || s.dim || s.tone === 'muted'}>
					{text}
				</Text>
			))}
		</Text>
	);
}
