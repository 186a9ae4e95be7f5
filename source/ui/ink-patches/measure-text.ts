// Stands in for ink/build/measure-text.js (Ink 6.8; see patches.mjs). Ink's own keeps every
// distinct string ever measured in a Map that is never emptied (vadimdemedes/ink#986): a console that shows a
// clock, ages and live values adds entries every frame for as long as it runs. Same results, bounded memo.
import widestLine from './widest-line.js';
import {GenerationalCache} from '../../util/generational-cache.js';

interface Dimensions {
	width: number;
	height: number;
}

const cache = new GenerationalCache<string, Dimensions>(4096);

export default function measureText(text: string): Dimensions {
	if (text.length === 0) return {width: 0, height: 0};
	const cached = cache.get(text);
	if (cached) return cached;
	const dimensions = {width: widestLine(text), height: text.split('\n').length};
	cache.set(text, dimensions);
	return dimensions;
}

export function measureTextCacheSize(): number {
	return cache.size;
}
