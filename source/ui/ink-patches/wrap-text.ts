// Stands in for ink/build/wrap-text.js (Ink 6.8; see patches.mjs): the same wrapping and
// truncation, with the memo bounded (Ink's is a plain object that keeps every distinct text forever,
// vadimdemedes/ink#986).
import wrapAnsi from 'wrap-ansi';
import cliTruncate from 'cli-truncate';
import {GenerationalCache} from '../../util/generational-cache.js';

type WrapType = 'wrap' | 'end' | 'middle' | 'truncate' | 'truncate-end' | 'truncate-middle' | 'truncate-start';

const cache = new GenerationalCache<string, string>(4096);

export default function wrapText(text: string, maxWidth: number, wrapType: WrapType): string {
	const key = `${maxWidth}\u0000${wrapType}\u0000${text}`;
	const cached = cache.get(key);
	if (cached !== undefined) return cached;
	let wrapped = text;
	if (wrapType === 'wrap') wrapped = wrapAnsi(text, maxWidth, {trim: false, hard: true});
	if (wrapType.startsWith('truncate')) {
		const position = wrapType === 'truncate-middle' ? 'middle' : wrapType === 'truncate-start' ? 'start' : 'end';
		wrapped = cliTruncate(text, maxWidth, {position});
	}
	cache.set(key, wrapped);
	return wrapped;
}

export function wrapTextCacheSize(): number {
	return cache.size;
}
