/**
 * A memo with a fixed ceiling: two generations of at most `capacity` entries each. When the young
 * generation fills, or has been open for `maxAgeMs`, the old one is dropped and the young one becomes old;
 * a key read from the old generation moves back to the young one, so what every frame uses stays while
 * one-off strings (a clock, an age, a value that changed) fall out. Reads of the young generation never
 * mutate the Map (an LRU that re-inserts on every hit allocates on the hot path; see the README's
 * architecture notes).
 *
 * Why an age as well as a count: the console's memos are sized for a 10,000-agent hive (the timestamp memo
 * holds 100,000 entries), but on a small hive their entries are mostly strings that never come back (a
 * heartbeat that moved, the header clock, an age). A count alone let them fill for most of an hour, tens of
 * MB of heap that a console polling 50 agents never reads again (a soak measured RSS rising ~1.4 MB/min).
 * With the age, an entry not read for two windows is gone whatever the hive's size, so the memos reach
 * their steady size within a few minutes; the count stays as the ceiling for bursts.
 */
export const DEFAULT_MAX_AGE_MS = 60_000;

export interface GenerationalCacheOptions {
	/** How long a young generation stays open before it ages (default 60 s; Infinity: only the count). */
	maxAgeMs?: number;
	/** Clock, for tests. */
	now?: () => number;
}

export class GenerationalCache<K, V> {
	private young = new Map<K, V>();
	private old = new Map<K, V>();
	private readonly maxAgeMs: number;
	private readonly now: () => number;
	private youngSince: number;

	constructor(
		private readonly capacity: number,
		options: GenerationalCacheOptions = {},
	) {
		this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
		// Looked up on each call, so a test's fake clock (which replaces Date) reaches the module-level memos.
		this.now = options.now ?? (() => Date.now());
		this.youngSince = this.now();
	}

	get(key: K): V | undefined {
		const hit = this.young.get(key);
		if (hit !== undefined) return hit;
		const aged = this.old.get(key);
		if (aged !== undefined) this.set(key, aged);
		return aged;
	}

	set(key: K, value: V): void {
		// The clock is read on writes only (a miss, which costs far more than reading it); a memo nobody
		// writes to does not grow, so it need not age. A wall clock set back ages it too, or it never would.
		const now = this.now();
		const age = now - this.youngSince;
		if (this.young.size >= this.capacity || age >= this.maxAgeMs || age < 0) {
			this.old = this.young;
			this.young = new Map();
			this.youngSince = now;
		}
		this.young.set(key, value);
	}

	/** Entries held, both generations: never more than twice the capacity. */
	get size(): number {
		return this.young.size + this.old.size;
	}
}
