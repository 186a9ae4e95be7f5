// Reading a frame the way a user does: rows of text between the borders, and a scrolled overlay's rows
// collected by pressing PgDn until its position line says it reached the end.
import {stripSgr} from './harness.js';
import {KEYS, type Rendered} from './render-console.js';

export function rows(frame: string): string[] {
	return stripSgr(frame).split('\n');
}

/** The rows inside a double-bordered overlay (without the border characters). */
export function overlayRows(frame: string): string[] {
	return rows(frame)
		.filter((r) => r.startsWith('║') || r.startsWith('|'))
		.map((r) => r.slice(1, -1));
}

/** Every row an overlay shows while scrolled from its top to its end with PgDn. */
export async function scrollThrough(r: Rendered, max = 40): Promise<string[]> {
	const seen: string[] = [];
	for (let i = 0; i < max; i++) {
		const inside = overlayRows(r.lastFrame());
		seen.push(...inside.filter((row) => !/^lines \d+–\d+ of \d+/.test(row.trim())));
		const position = inside.map((row) => /lines (\d+)–(\d+) of (\d+)/.exec(row)).find(Boolean);
		if (!position || position[2] === position[3]) break;
		await r.press(KEYS.pageDown);
	}
	return seen;
}

/** Text of rows with runs of spaces collapsed, so a description wrapped onto two rows reads as one. */
export function flowing(rowsOfText: string[]): string {
	return rowsOfText.map((r) => r.replace(/\s+/g, ' ').trim()).join(' ');
}

/**
 * The help's text column by column (it has two at 100 inner columns and more), each column read top to
 * bottom over every page, so a description wrapped onto the next row reads as one.
 */
export function helpText(pages: string[], width: number): string {
	const inner = width - 2;
	if (inner < 100) return flowing(pages);
	const colWidth = Math.floor((inner - 2) / 2);
	return flowing(pages.map((r) => r.slice(0, colWidth))) + ' ' + flowing(pages.map((r) => r.slice(colWidth + 2)));
}
