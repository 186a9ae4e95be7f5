// Stands in for the `widest-line` package inside Ink (see patches.mjs). Ink measures every text
// node on every frame with it, and string-width is slow on anything but plain ASCII (box glyphs, ●, ↑, …
// take its grapheme-segmenter path), so the widths of the strings a frame repeats are remembered, within a
// fixed bound; lines are measured through the console's one width memo (displayWidth).
import {displayWidth} from '../../util/terminal-text.js';
import {GenerationalCache} from '../../util/generational-cache.js';

const widths = new GenerationalCache<string, number>(4096);

export default function widestLine(text: string): number {
	const cached = widths.get(text);
	if (cached !== undefined) return cached;
	let width = 0;
	for (const line of text.split('\n')) width = Math.max(width, displayWidth(line));
	widths.set(text, width);
	return width;
}

export function widestLineCacheSize(): number {
	return widths.size;
}
