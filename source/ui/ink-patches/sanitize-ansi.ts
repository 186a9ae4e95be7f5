// Stands in for ink/build/sanitize-ansi.js (Ink 6.8; see patches.mjs): Ink's own function, memoised.
// Ink sanitises the squashed text of every text node on every frame, and a styled line (a coloured
// segment, a table row) holds SGR escapes, so each frame tokenised every styled line on screen again,
// changed or not, with an object per token; plain text was walked a character at a time. On an idle
// console that was, after React's, the largest share of a frame's garbage. The function is Ink's (imported
// from its file, not copied), so the results are its results; only the memo is ours, bounded like the others.
import inkSanitizeAnsi from '../../../node_modules/ink/build/sanitize-ansi.js';
import {GenerationalCache} from '../../util/generational-cache.js';

const cache = new GenerationalCache<string, string>(4096);

export default function sanitizeAnsi(text: string): string {
	if (text.length === 0) return text;
	const cached = cache.get(text);
	if (cached !== undefined) return cached;
	const clean = inkSanitizeAnsi(text);
	cache.set(text, clean);
	return clean;
}

export function sanitizeAnsiCacheSize(): number {
	return cache.size;
}
