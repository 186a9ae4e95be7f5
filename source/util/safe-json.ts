// JSON for a terminal or a file someone will `cat`: JSON.stringify escapes C0 controls and lone surrogates
// but not DEL, C1 controls (U+009B is a CSI on many terminals), bidi overrides and isolates, line and
// paragraph separators or invisible characters. Escaping them too keeps the data identical for any JSON
// parser and harmless on a terminal. These characters can only occur inside JSON strings, where a \u
// escape is always valid.
const UNSAFE_IN_JSON = /[\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g;

function escape(c: string): string {
	return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** JSON.stringify(value, null, indent) with the characters above written as \u escapes. */
export function toSafeJson(value: unknown, indent: number = 2): string {
	return (JSON.stringify(value, null, indent) ?? 'null').replace(UNSAFE_IN_JSON, escape);
}
