// How values leave the simulator on the wire, with the hive's inconsistencies (docs/hive-contract.md, section 3): timestamps in
// three spellings (offset, naive, naive with Z) and counters that sometimes arrive as strings. Which
// spelling a field gets is a pure function of the entity id and the field, so a given agent always looks
// the same, while a list always mixes all three.

export type TimeSpelling = 'offset' | 'naive' | 'zulu';
const SPELLINGS: TimeSpelling[] = ['offset', 'naive', 'zulu'];

export function hashString(text: string): number {
	let h = 2166136261;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 16777619);
	}
	return h >>> 0;
}

export function spellingFor(id: string, field: string): TimeSpelling {
	return SPELLINGS[hashString(`${id}:${field}`) % 3]!;
}

/** Python's datetime.isoformat(): microseconds only when non-zero. */
export function isoTime(ms: number, spelling: TimeSpelling): string {
	const d = new Date(ms);
	const base = d.toISOString().slice(0, 19);
	const micros = d.getUTCMilliseconds() * 1000;
	const fraction = micros ? `.${String(micros).padStart(6, '0')}` : '';
	if (spelling === 'offset') return `${base}${fraction}+00:00`;
	if (spelling === 'zulu') return `${base}${fraction}Z`;
	return `${base}${fraction}`;
}

export function timeField(ms: number | null, id: string, field: string): string | null {
	return ms === null ? null : isoTime(ms, spellingFor(id, field));
}

/** The hive's database keeps some counters as text; about a third of the entities show it. */
export function counterField(value: number, id: string): number | string {
	return hashString(`${id}:counter`) % 3 === 0 ? String(value) : value;
}
