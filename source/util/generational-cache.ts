/**
 * A memo with a fixed ceiling: two generations of at most `capacity` entries each. When the young
 * generation fills, the old one is dropped and the young one becomes old; a key read from the old
 * generation moves back to the young one, so what every frame uses stays while one-off strings (a clock, an
 * age, a value that changed) fall out. Reads of the young generation never mutate the Map (an LRU that
 * re-inserts on every hit allocates on the hot path; see the README's architecture notes).
 */
export class GenerationalCache<K, V> {
	private young = new Map<K, V>();
	private old = new Map<K, V>();

	constructor(private readonly capacity: number) {}

	get(key: K): V | undefined {
		const hit = this.young.get(key);
		if (hit !== undefined) return hit;
		const aged = this.old.get(key);
		if (aged !== undefined) this.set(key, aged);
		return aged;
	}

	set(key: K, value: V): void {
		if (this.young.size >= this.capacity) {
			this.old = this.young;
			this.young = new Map();
		}
		this.young.set(key, value);
	}

	/** Entries held, both generations: never more than twice the capacity. */
	get size(): number {
		return this.young.size + this.old.size;
	}
}
