// Structural sharing between polls: an item that reads the same as in the last poll is handed on as the
// very object of the last poll, and a list whose items all came through unchanged as the very list. A
// 10,000-agent hive changes a few agents per poll; without this every poll replaced all 10,000 objects,
// which the garbage collector then had to move out of the old generation, and which made every
// consumer's identity check (memo, derived rows) see a change.

/** True when both objects have the same own keys with identical (===, NaN-aware) primitive values. */
export function shallowEqual(a: object, b: object): boolean {
	if (a === b) return true;
	const ka = Object.keys(a);
	if (ka.length !== Object.keys(b).length) return false;
	for (const key of ka) {
		const x = (a as Record<string, unknown>)[key];
		const y = (b as Record<string, unknown>)[key];
		if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
		if (!Object.hasOwn(b, key)) return false;
	}
	return true;
}

/**
 * `next` with every item equal (shallowEqual) to the last poll's item of the same id replaced by that
 * item; the last poll's list itself when nothing changed. Items are matched by position first (the
 * hive's order is stable), by id otherwise.
 */
export function reuseUnchanged<T extends {id: string}>(previous: readonly T[] | null, next: T[]): T[] {
	if (!previous || previous.length === 0) return next;
	let byId: Map<string, T> | null = null;
	let changed = previous.length !== next.length;
	const out: T[] = new Array(next.length);
	for (let i = 0; i < next.length; i++) {
		const item = next[i]!;
		let old: T | undefined = previous[i];
		if (!old || old.id !== item.id) {
			byId ??= new Map(previous.map((p) => [p.id, p]));
			old = byId.get(item.id);
			changed = true;
		}
		if (old && shallowEqual(old, item)) out[i] = old;
		else {
			out[i] = item;
			changed = true;
		}
	}
	return changed ? out : (previous as T[]);
}
