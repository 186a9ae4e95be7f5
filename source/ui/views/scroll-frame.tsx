// A framed view over the panes drawn as a list of lines: exactly the lines that fit are drawn, one Ink row
// each, so nothing can be squeezed onto another row and overdraw it (Ink shrinks rows that overflow a fixed
// height box, which drew two help rows on one line). Lines that do not fit scroll with the view's keys.
import React from 'react';
import {Box, Text} from 'ink';
import {cutToWidth, displayWidth, sanitise} from '../../util/terminal-text.js';
import {SegmentLine, seg, type Line} from '../line.js';
import {toneColour, type Theme} from '../theme.js';

/** Where a scrolled view stands; the console keeps `top` per view and the view reports what it could show. */
export interface ScrollWindow {
	top: number;
	/** Called while drawing with the largest useful `top` and the page size, for the scroll keys. */
	measure?(maxTop: number, page: number): void;
	/** The view's scroll keys, from the keymap, shown under the window when there is more. */
	hint?: string;
}

/**
 * Words of `text` in lines of at most `width` columns; a word longer than a line is split. Widths are
 * added up as it goes, one character at a time in a long word, so a hive's 100 KB reason costs time
 * linear in its length, not its square.
 */
export function wrapText(text: string, width: number): string[] {
	const w = Math.max(1, width);
	const out: string[] = [];
	for (const paragraph of sanitise(text, {multiline: true}).split('\n')) {
		let line = '';
		let lineWidth = 0;
		for (const word of paragraph.split(/(\s+)/)) {
			if (word === '') continue;
			const wordWidth = displayWidth(word);
			if (lineWidth + wordWidth <= w) {
				line += word;
				lineWidth += wordWidth;
				continue;
			}
			if (line.trim() !== '') out.push(line.trimEnd());
			line = '';
			lineWidth = 0;
			if (/^\s+$/.test(word)) continue;
			if (wordWidth <= w) {
				line = word;
				lineWidth = wordWidth;
				continue;
			}
			for (const ch of word) {
				const chWidth = displayWidth(ch);
				if (lineWidth + chWidth > w && line !== '') {
					out.push(line);
					line = '';
					lineWidth = 0;
				}
				line += ch;
				lineWidth += chWidth;
			}
		}
		out.push(line.trimEnd());
	}
	return out;
}

/** `label` then `text` wrapped under itself, each continuation indented to the text's column. */
export function wrappedLines(label: Line, text: string, width: number, tone?: Line[number]['tone']): Line[] {
	const labelWidth = label.reduce((n, s) => n + displayWidth(s.text), 0);
	const room = Math.max(8, width - labelWidth);
	return wrapText(text, room).map((part, i) => [...(i === 0 ? label : [seg(' '.repeat(labelWidth))]), seg(part, tone)]);
}

export function windowOf(lineCount: number, rows: number, top: number): {start: number; shown: number; overflow: boolean; maxTop: number} {
	const overflow = lineCount > rows;
	const shown = Math.max(1, overflow ? rows - 1 : rows);
	const maxTop = Math.max(0, lineCount - shown);
	return {start: Math.max(0, Math.min(maxTop, top)), shown, overflow, maxTop};
}

/** The lines of a scrolled window, and under them where the window is when there is more. */
export function ScrollLines(props: {lines: Line[]; width: number; rows: number; scroll: ScrollWindow; theme: Theme}) {
	const {lines, width, theme} = props;
	const w = windowOf(lines.length, props.rows, props.scroll.top);
	props.scroll.measure?.(w.maxTop, w.shown);
	const shown = lines.slice(w.start, w.start + w.shown);
	return (
		<Box flexDirection="column" flexShrink={0}>
			{shown.map((line, i) => (line.length === 0 ? <Text key={i}> </Text> : <SegmentLine key={i} line={line} width={width} theme={theme} />))}
			{w.overflow && <SegmentLine line={[seg(`lines ${w.start + 1}–${Math.min(lines.length, w.start + w.shown)} of ${lines.length}${props.scroll.hint ? ` · ${props.scroll.hint}` : ''}`, 'muted')]} width={width} theme={theme} />}
		</Box>
	);
}

/** A double-bordered frame: the title and its close hint on the first line, then the body. */
export function Frame(props: {title: string; width: number; height: number; theme: Theme; children: React.ReactNode; closeHint: string}) {
	const {theme} = props;
	return (
		<Box flexDirection="column" width={props.width} height={props.height} borderStyle={theme.ascii ? 'classic' : 'double'} borderColor={toneColour(theme, 'accent')} overflow="hidden">
			<SegmentLine line={[seg(props.title, 'accent', true), seg(`   ${props.closeHint}`, 'muted')]} width={props.width - 2} theme={theme} />
			{props.children}
		</Box>
	);
}

/** A frame whose whole body is scrolled lines. */
export function ScrollFrame(props: {title: string; closeHint: string; lines: Line[]; width: number; height: number; scroll: ScrollWindow; theme: Theme}) {
	return (
		<Frame title={cutToWidth(sanitise(props.title), Math.max(8, props.width - 20))} width={props.width} height={props.height} theme={props.theme} closeHint={props.closeHint}>
			<ScrollLines lines={props.lines} width={props.width - 2} rows={Math.max(1, props.height - 3)} scroll={props.scroll} theme={props.theme} />
		</Frame>
	);
}
