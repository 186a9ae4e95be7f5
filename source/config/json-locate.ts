// Where things are in a config file. JSON.parse says "at position 104" (or nothing at all, for a file that
// ends early), and zod knows key paths but not lines; a person fixing the file needs a line and a column.
// This is a strict JSON reader (RFC 8259, as JSON.parse) that records where each key and value starts and,
// on the first syntax error, where it is and what to do about it. JSON.parse still builds the value.
// It runs in time linear in the file's size, without regular expressions, and never quotes the file's text
// in a message (a password in a URL could be next to the error): only the one character that is wrong,
// and only when it is punctuation.

export interface Location {
	/** 1-based. */
	line: number;
	/** 1-based, in characters (UTF-16 code units) from the start of the line. */
	column: number;
}

export interface JsonSyntaxError extends Location {
	message: string;
}

export interface JsonMap {
	/** The first syntax error, or null when the text is valid JSON. */
	error: JsonSyntaxError | null;
	/** Where the value at a key path starts (the path as keyPathId() spells it). */
	values: Map<string, Location>;
	/** Where the key of an object member at a path is written. */
	keys: Map<string, Location>;
	/** Keys written twice in one object (JSON.parse keeps the last without a word). */
	duplicates: Array<{path: Array<string | number>; first: Location; again: Location}>;
}

/** One string per key path, so ["contexts", "a.b"] and ["contexts", "a", "b"] stay apart. */
export function keyPathId(path: ReadonlyArray<string | number>): string {
	return JSON.stringify(path.map(String));
}

class Stop extends Error {
	constructor(
		readonly at: number,
		readonly why: string,
	) {
		super(why);
	}
}

const MAX_DEPTH = 200;

function isDigit(c: string | undefined): boolean {
	return c !== undefined && c >= '0' && c <= '9';
}

function isWordChar(c: string | undefined): boolean {
	return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c === '_' || c === '$');
}

/** The character at a syntax error, said only when it cannot be a piece of a secret. */
function shown(c: string | undefined): string {
	if (c === undefined) return 'the end of the file';
	if ('{}[]:,"\'/#;=()'.includes(c)) return `"${c}"`;
	if (c === '\t') return 'a tab';
	return 'this character';
}

export function mapJson(text: string): JsonMap {
	const values = new Map<string, Location>();
	const keys = new Map<string, Location>();
	const duplicates: JsonMap['duplicates'] = [];
	const lineStarts = [0];
	for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
	const locate = (offset: number): Location => {
		let lo = 0;
		let hi = lineStarts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (lineStarts[mid]! <= offset) lo = mid;
			else hi = mid - 1;
		}
		return {line: lo + 1, column: offset - lineStarts[lo]! + 1};
	};

	let i = 0;
	const skipSpace = () => {
		for (;;) {
			const c = text[i];
			if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
			else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
				throw new Stop(i, 'comments are not allowed in JSON; remove the comment');
			} else return;
		}
	};

	const readString = (): string => {
		// text[i] is the opening quote.
		const start = i;
		i++;
		let raw = '';
		let from = i;
		for (;;) {
			const c = text[i];
			if (c === undefined) throw new Stop(start, 'a string that is never closed; add the closing double quote');
			if (c === '"') break;
			if (c === '\n' || c === '\r') throw new Stop(start, 'a line break inside the string that starts here; add its closing double quote on the same line (or write \\n)');
			if (text.charCodeAt(i) < 0x20) throw new Stop(i, 'a control character inside a string; write it as an escape such as \\t');
			if (c === '\\') {
				raw += text.slice(from, i);
				const e = text[i + 1];
				if (e === 'u') {
					let ok = true;
					for (let k = 2; k < 6; k++) {
						const h = text[i + k];
						if (!(isDigit(h) || (h !== undefined && ((h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))))) ok = false;
					}
					if (!ok) throw new Stop(i, 'a \\u escape needs four hex digits, e.g. \\u00e9');
					raw += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
					i += 6;
				} else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
					raw += ({b: '\b', f: '\f', n: '\n', r: '\r', t: '\t'} as Record<string, string>)[e] ?? e;
					i += 2;
				} else {
					throw new Stop(i, 'an unknown escape after a backslash; write a backslash as \\\\ (e.g. in a Windows path)');
				}
				from = i;
				continue;
			}
			i++;
		}
		raw += text.slice(from, i);
		i++;
		return raw;
	};

	const readNumber = () => {
		const start = i;
		if (text[i] === '-') i++;
		if (text[i] === '0') i++;
		else if (isDigit(text[i])) while (isDigit(text[i])) i++;
		else throw new Stop(start, 'not a number; write numbers as 5, 0.5 or -1 (no leading + or .)');
		if (text[i] === '.') {
			i++;
			if (!isDigit(text[i])) throw new Stop(i, 'a number needs digits after its decimal point, e.g. 0.5');
			while (isDigit(text[i])) i++;
		}
		if (text[i] === 'e' || text[i] === 'E') {
			i++;
			if (text[i] === '+' || text[i] === '-') i++;
			if (!isDigit(text[i])) throw new Stop(i, 'a number needs digits in its exponent, e.g. 1e3');
			while (isDigit(text[i])) i++;
		}
		if (isDigit(text[i])) throw new Stop(start, 'a number with a leading zero; write 5, not 05');
	};

	const readValue = (path: Array<string | number>, depth: number): void => {
		if (depth > MAX_DEPTH) throw new Stop(i, `nested more than ${MAX_DEPTH} levels deep`);
		skipSpace();
		values.set(keyPathId(path), locate(i));
		const c = text[i];
		if (c === '{') return readObject(path, depth);
		if (c === '[') return readArray(path, depth);
		if (c === '"') {
			readString();
			return;
		}
		if (c === '-' || isDigit(c)) return readNumber();
		if (c === "'") throw new Stop(i, 'strings must be in double quotes, not single quotes');
		if (c === undefined) throw new Stop(i, 'the file ends where a value was expected; finish it or remove the key');
		if (isWordChar(c)) {
			const start = i;
			while (isWordChar(text[i])) i++;
			const word = text.slice(start, i);
			if (word === 'true' || word === 'false' || word === 'null') return;
			throw new Stop(start, 'a bare word where a value was expected; put text in double quotes, and write true, false or null in lower case');
		}
		throw new Stop(i, `${shown(c)} where a value was expected`);
	};

	const readObject = (path: Array<string | number>, depth: number): void => {
		const open = i;
		i++;
		const seen = new Map<string, Location>();
		skipSpace();
		if (text[i] === '}') {
			i++;
			return;
		}
		for (;;) {
			skipSpace();
			const c = text[i];
			if (c === '"') {
				const at = locate(i);
				const key = readString();
				const first = seen.get(key);
				if (first) duplicates.push({path: [...path, key], first, again: at});
				else seen.set(key, at);
				keys.set(keyPathId([...path, key]), at);
				skipSpace();
				if (text[i] !== ':') throw new Stop(i, `expected ":" after the key "${key.length > 40 ? `${key.slice(0, 40)}…` : key}"`);
				i++;
				readValue([...path, key], depth + 1);
			} else if (c === '}') {
				throw new Stop(i, 'a comma before "}"; remove the trailing comma (JSON allows none)');
			} else if (c === undefined) {
				const o = locate(open);
				throw new Stop(i, `the file ends inside the object opened at line ${o.line}, column ${o.column}; add the missing "}"`);
			} else if (c === "'") {
				throw new Stop(i, 'keys must be in double quotes, not single quotes');
			} else if (isWordChar(c)) {
				throw new Stop(i, 'a key without quotes; write keys in double quotes, e.g. "hive"');
			} else {
				throw new Stop(i, `${shown(c)} where a key in double quotes was expected`);
			}
			skipSpace();
			const after = text[i];
			if (after === ',') {
				i++;
				continue;
			}
			if (after === '}') {
				i++;
				return;
			}
			if (after === '"') throw new Stop(i, 'a comma is missing before this key');
			if (after === undefined) {
				const o = locate(open);
				throw new Stop(i, `the file ends inside the object opened at line ${o.line}, column ${o.column}; add the missing "}"`);
			}
			throw new Stop(i, `${shown(after)} after a value; expected "," or "}" (a missing comma or quote?)`);
		}
	};

	const readArray = (path: Array<string | number>, depth: number): void => {
		const open = i;
		i++;
		skipSpace();
		if (text[i] === ']') {
			i++;
			return;
		}
		for (let index = 0; ; index++) {
			skipSpace();
			if (text[i] === ']') throw new Stop(i, 'a comma before "]"; remove the trailing comma (JSON allows none)');
			readValue([...path, index], depth + 1);
			skipSpace();
			const after = text[i];
			if (after === ',') {
				i++;
				continue;
			}
			if (after === ']') {
				i++;
				return;
			}
			if (after === undefined) {
				const o = locate(open);
				throw new Stop(i, `the file ends inside the list opened at line ${o.line}, column ${o.column}; add the missing "]"`);
			}
			throw new Stop(i, `${shown(after)} after a list item; expected "," or "]" (a missing comma?)`);
		}
	};

	try {
		skipSpace();
		if (i >= text.length) throw new Stop(i, 'the file is empty; it should hold a JSON object such as {"contexts": {}}');
		readValue([], 0);
		skipSpace();
		if (i < text.length) throw new Stop(i, `${shown(text[i])} after the end of the top-level value; remove it (or a "}" closes the object too early)`);
		return {error: null, values, keys, duplicates};
	} catch (error) {
		if (!(error instanceof Stop)) throw error;
		return {error: {...locate(Math.min(error.at, text.length)), message: error.why}, values, keys, duplicates};
	}
}

/** Line and column of a JSON.parse "position N" message, for the case this reader accepts what it refuses. */
export function positionToLocation(text: string, position: number): Location {
	let line = 1;
	let start = 0;
	for (let k = 0; k < position && k < text.length; k++) {
		if (text.charCodeAt(k) === 10) {
			line++;
			start = k + 1;
		}
	}
	return {line, column: position - start + 1};
}
