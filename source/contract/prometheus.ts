// A strict parser for the Prometheus text exposition format (0.0.4) as the hive prints it,
// plus exact lookups by sample name and label values. Written by hand: the one npm parser for this format
// (parse-prometheus-text-format 1.1.1, CommonJS) skips what it cannot read instead of reporting the line,
// and the runbook's lesson is that a silently misread metric is worse than an error.
import {cutToWidth, sanitise} from '../util/terminal-text.js';
import {MAX_NUMBER_TEXT, isDecimalText} from './numeric-text.js';

export type PrometheusType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
const TYPES = new Set<PrometheusType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export interface PrometheusSample {
	/** The sample's own name (for histograms and summaries this carries the _bucket/_sum/_count suffix). */
	name: string;
	labels: Readonly<Record<string, string>>;
	/** May be NaN or ±Infinity, exactly as printed. */
	value: number;
	timestampMs: number | null;
	line: number;
}

export interface PrometheusFamily {
	name: string;
	help: string | null;
	type: PrometheusType;
	samples: PrometheusSample[];
}

export class PrometheusParseError extends Error {
	constructor(
		readonly line: number,
		readonly reason: string,
		readonly content: string,
	) {
		super(`line ${line}: ${reason}: "${cutToWidth(sanitise(content), 80)}"`);
		this.name = 'PrometheusParseError';
	}
}

export type LabelMatcher = Readonly<Record<string, string>>;

export class Exposition {
	readonly families: ReadonlyMap<string, PrometheusFamily>;
	private readonly byName = new Map<string, PrometheusSample[]>();

	constructor(families: Map<string, PrometheusFamily>) {
		this.families = families;
		for (const family of families.values()) {
			for (const sample of family.samples) {
				const list = this.byName.get(sample.name);
				if (list) list.push(sample);
				else this.byName.set(sample.name, [sample]);
			}
		}
	}

	/** True when the family was declared (HELP/TYPE) or has samples, even with no samples. */
	has(name: string): boolean {
		return this.families.has(name) || this.byName.has(name);
	}

	/** Samples whose name is exactly `name` and whose labels equal every label in `match`. */
	samples(name: string, match: LabelMatcher = {}): PrometheusSample[] {
		const all = this.byName.get(name) ?? [];
		const keys = Object.keys(match);
		if (keys.length === 0) return all;
		return all.filter((s) => keys.every((k) => s.labels[k] === match[k]));
	}

	/** The value of the single matching sample; null when none matches, an error when several do. */
	value(name: string, match: LabelMatcher = {}): number | null {
		const found = this.samples(name, match);
		if (found.length === 0) return null;
		if (found.length > 1) {
			throw new Error(`${name}${formatMatcher(match)} matches ${found.length} samples; expected one`);
		}
		return found[0]!.value;
	}

	/** Values of `name` keyed by the value of one label, summed where other labels differ. */
	byLabel(name: string, label: string): Record<string, number> {
		// A Map, then fromEntries (which defines keys): a label value such as "__proto__" stays a key.
		const sums = new Map<string, number>();
		for (const sample of this.samples(name)) {
			if (!Object.hasOwn(sample.labels, label)) continue;
			const key = sample.labels[label]!;
			sums.set(key, (sums.get(key) ?? 0) + sample.value);
		}
		return Object.fromEntries(sums);
	}
}

function formatMatcher(match: LabelMatcher): string {
	const keys = Object.keys(match);
	return keys.length === 0 ? '' : `{${keys.map((k) => `${k}="${match[k]}"`).join(',')}}`;
}

// Sticky: matched in place at lastIndex, so a 10,000-line page is not copied line by line to match names.
const METRIC_NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
// One quantifier over one class, anchored: linear. Millisecond timestamps are int64, at most 19 digits.
const TIMESTAMP = /^-?\d+$/;
const MAX_TIMESTAMP_TEXT = 20;
const METRIC_NAME_ONLY = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Every suffix a sample of a histogram or summary family may carry after the family's name. */
const SAMPLE_SUFFIXES = ['_bucket', '_sum', '_count'];
const SUFFIXES: Record<PrometheusType, string[]> = {
	counter: [],
	gauge: [],
	untyped: [],
	histogram: SAMPLE_SUFFIXES,
	summary: ['_sum', '_count'],
};

/**
 * A sample value: a decimal (read by a scanner, never a backtracking pattern: see numeric-text.ts), NaN or
 * ±Inf. Null when it is not a number, including text longer than MAX_NUMBER_TEXT, which is not read at all.
 */
export function parsePrometheusValue(text: string): number | null {
	if (text.length > MAX_NUMBER_TEXT) return null;
	if (isDecimalText(text)) return Number(text);
	const lower = text.toLowerCase();
	// Python's repr prints nan/inf, prometheus_client prints NaN/+Inf: both mean the same.
	if (lower === 'nan') return Number.NaN;
	if (lower === '+inf' || lower === 'inf') return Number.POSITIVE_INFINITY;
	if (lower === '-inf') return Number.NEGATIVE_INFINITY;
	return null;
}

/** JavaScript's \s, which the HELP/TYPE syntax has always accepted around its keyword and name. */
function isSpace(ch: string | undefined): boolean {
	if (ch === undefined) return false;
	const c = ch.charCodeAt(0);
	if (c === 32 || (c >= 9 && c <= 13)) return true;
	if (c < 128) return false;
	return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function isLineTerminator(c: number): boolean {
	return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * `# HELP name text` / `# TYPE name type` read by a scanner. It accepts exactly what
 * /^#\s+(HELP|TYPE)\s+(\S+)(?:[ \t]+(.*))?$/ did, but that pattern's `[ \t]+(.*)$` tried every split of
 * a run of spaces before a line separator (4 s for 40,000 spaces): this reads each character once.
 * Null for any other comment.
 */
export function parseMetaLine(line: string): {keyword: 'HELP' | 'TYPE'; name: string; rest: string} | null {
	const n = line.length;
	if (line[0] !== '#' || !isSpace(line[1])) return null;
	let i = 1;
	while (i < n && isSpace(line[i])) i++;
	const keyword = line.slice(i, i + 4);
	if (keyword !== 'HELP' && keyword !== 'TYPE') return null;
	i += 4;
	if (!isSpace(line[i])) return null;
	while (i < n && isSpace(line[i])) i++;
	const nameStart = i;
	while (i < n && !isSpace(line[i])) i++;
	if (i === nameStart) return null;
	const name = line.slice(nameStart, i);
	if (i === n) return {keyword, name, rest: ''};
	if (line[i] !== ' ' && line[i] !== '\t') return null;
	while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
	const rest = line.slice(i);
	for (let j = i; j < n; j++) if (isLineTerminator(line.charCodeAt(j))) return null;
	return {keyword, name, rest};
}

function unescapeHelp(text: string): string {
	return text.replace(/\\(\\|n)/g, (_m, c: string) => (c === 'n' ? '\n' : '\\'));
}

export interface ParseOptions {
	/**
	 * The families the caller reads. Sample lines of any other family are checked for a metric name and
	 * skipped unread: the hive's full page carries one health-score line per agent (10,000 lines, most of a
	 * 1.1 MB page, at the top of the range) that nothing reads, and parsing them was a tenth of a
	 * 10,000-agent poll. HELP and TYPE lines are always read, so `has()` still sees every declared family.
	 */
	only?: ReadonlySet<string>;
}

/**
 * Parses a whole exposition. Throws PrometheusParseError naming the first bad line. Blank lines and
 * comments other than HELP/TYPE are ignored; a family may be declared and have no samples.
 */
export function parsePrometheus(text: string, options: ParseOptions = {}): Exposition {
	const families = new Map<string, PrometheusFamily>();
	const declaredType = new Set<string>();
	const declaredHelp = new Set<string>();
	const only = options.only;
	let lineNo = 0;
	// Walked by index rather than split: a skipped line is never copied out of the page.
	for (let start = 0; start <= text.length; ) {
		let end = text.indexOf('\n', start);
		if (end === -1) end = text.length;
		lineNo++;
		const next = end + 1;
		if (only && unread(text, start, only)) {
			start = next;
			continue;
		}
		const whole = text.slice(start, end);
		start = next;
		const raw = whole.endsWith('\r') ? whole.slice(0, -1) : whole;
		const line = raw.trim();
		if (line === '') continue;
		if (!line.startsWith('#')) {
			const sample = parseSampleLine(line, lineNo, raw);
			let family = familyFor(families, sample.name);
			if (!family) {
				family = {name: sample.name, help: null, type: 'untyped', samples: []};
				families.set(sample.name, family);
			}
			family.samples.push(sample);
			continue;
		}
		// Built only for comment lines: a closure per sample line cost more than parsing the line.
		const fail = (reason: string): never => {
			throw new PrometheusParseError(lineNo, reason, raw);
		};
		const meta = parseMetaLine(line);
		if (!meta) continue;
		const {keyword, name, rest} = meta;
		if (!METRIC_NAME_ONLY.test(name)) fail(`invalid metric name in # ${keyword}`);
		let family = families.get(name);
		if (keyword === 'TYPE') {
			const type = rest.trim() as PrometheusType;
			if (!TYPES.has(type)) fail(`unknown metric type "${cutToWidth(sanitise(rest.trim()), 20)}"`);
			if (declaredType.has(name)) fail(`second # TYPE for ${name}`);
			if (family && family.samples.length > 0) fail(`# TYPE for ${name} after its samples`);
			declaredType.add(name);
			if (family) family.type = type;
			else families.set(name, {name, help: null, type, samples: []});
		} else {
			if (declaredHelp.has(name)) fail(`second # HELP for ${name}`);
			declaredHelp.add(name);
			const help = unescapeHelp(rest);
			if (family) family.help = help;
			else families.set(name, {name, help, type: 'untyped', samples: []});
		}
	}
	return new Exposition(families);
}

/** True for a sample line, starting at `start`, of a family the caller does not read. */
function unread(text: string, start: number, only: ReadonlySet<string>): boolean {
	METRIC_NAME.lastIndex = start;
	// A comment, a blank or indented line, or no name at all: read as usual (which reports a bad line).
	if (!METRIC_NAME.test(text)) return false;
	const name = text.slice(start, METRIC_NAME.lastIndex);
	if (only.has(name)) return false;
	for (const suffix of SAMPLE_SUFFIXES) {
		if (name.endsWith(suffix) && only.has(name.slice(0, -suffix.length))) return false;
	}
	return true;
}

function failAt(lineNo: number, raw: string, reason: string): never {
	throw new PrometheusParseError(lineNo, reason, raw);
}

function familyFor(families: Map<string, PrometheusFamily>, sampleName: string): PrometheusFamily | undefined {
	const exact = families.get(sampleName);
	if (exact) return exact;
	for (const suffix of SAMPLE_SUFFIXES) {
		if (!sampleName.endsWith(suffix)) continue;
		const base = families.get(sampleName.slice(0, -suffix.length));
		if (base && SUFFIXES[base.type].includes(suffix)) return base;
	}
	return undefined;
}

function parseSampleLine(line: string, lineNo: number, raw: string): PrometheusSample {
	METRIC_NAME.lastIndex = 0;
	if (!METRIC_NAME.test(line)) failAt(lineNo, raw, 'expected a metric name');
	let pos = METRIC_NAME.lastIndex;
	const name = line.slice(0, pos);
	const labels: Record<string, string> = {};
	let nextBackslash = line.indexOf('\\', pos);
	if (line[pos] === '{') {
		pos++;
		for (;;) {
			while (line[pos] === ' ' || line[pos] === '\t') pos++;
			if (line[pos] === '}') {
				pos++;
				break;
			}
			LABEL_NAME.lastIndex = pos;
			if (!LABEL_NAME.test(line)) failAt(lineNo, raw, 'expected a label name or "}"');
			const label = line.slice(pos, LABEL_NAME.lastIndex);
			pos = LABEL_NAME.lastIndex;
			while (line[pos] === ' ' || line[pos] === '\t') pos++;
			if (line[pos] !== '=') failAt(lineNo, raw, `expected "=" after label ${label}`);
			pos++;
			while (line[pos] === ' ' || line[pos] === '\t') pos++;
			if (line[pos] !== '"') failAt(lineNo, raw, `expected a quoted value for label ${label}`);
			pos++;
			let value: string;
			const quote = line.indexOf('"', pos);
			// Searched again only once passed: a line of many labels and no backslash is scanned once, not
			// once per label (which made a 1 MB line of labels quadratic).
			if (nextBackslash !== -1 && nextBackslash < pos) nextBackslash = line.indexOf('\\', pos);
			const backslash = nextBackslash;
			if (quote !== -1 && (backslash === -1 || backslash > quote)) {
				// No escapes: the value is the text up to the quote, taken whole.
				value = line.slice(pos, quote);
				pos = quote + 1;
			} else {
				value = '';
				let closed = false;
				while (pos < line.length) {
					const ch = line[pos]!;
					if (ch === '\\') {
						const next = line[pos + 1];
						if (next === '\\' || next === '"') value += next;
						else if (next === 'n') value += '\n';
						// The hive does not escape label values: a lone backslash, as in a
						// Windows path inside an agent name, is kept as written rather than failing the page.
						else if (next === undefined) failAt(lineNo, raw, `unterminated value for label ${label}`);
						else value += `\\${next}`;
						pos += 2;
						continue;
					}
					if (ch === '"') {
						closed = true;
						pos++;
						break;
					}
					value += ch;
					pos++;
				}
				if (!closed) failAt(lineNo, raw, `unterminated value for label ${label}`);
			}
			if (Object.hasOwn(labels, label)) failAt(lineNo, raw, `label ${label} appears twice`);
			// Defined, not assigned: a label named __proto__ would otherwise replace the object's prototype.
			Object.defineProperty(labels, label, {value, enumerable: true, writable: true, configurable: true});
			while (line[pos] === ' ' || line[pos] === '\t') pos++;
			if (line[pos] === ',') {
				pos++;
				continue;
			}
			if (line[pos] === '}') {
				pos++;
				break;
			}
			failAt(lineNo, raw, `expected "," or "}" after label ${label}`);
		}
	}
	if (pos < line.length && line[pos] !== ' ' && line[pos] !== '\t') failAt(lineNo, raw, 'expected a space before the value');
	const fields: string[] = [];
	while (pos < line.length) {
		while (line[pos] === ' ' || line[pos] === '\t') pos++;
		if (pos >= line.length) break;
		const start = pos;
		while (pos < line.length && line[pos] !== ' ' && line[pos] !== '\t') pos++;
		fields.push(line.slice(start, pos));
	}
	if (fields.length === 0) failAt(lineNo, raw, `no value for ${name}`);
	if (fields.length > 2) failAt(lineNo, raw, 'unexpected text after the timestamp');
	if (fields[0]!.length > MAX_NUMBER_TEXT) {
		failAt(lineNo, raw, `value of ${name} is ${fields[0]!.length} characters long; not a number (at most ${MAX_NUMBER_TEXT})`);
	}
	const value = parsePrometheusValue(fields[0]!);
	if (value === null) failAt(lineNo, raw, `value "${cutToWidth(sanitise(fields[0]), 20)}" is not a number`);
	let timestampMs: number | null = null;
	if (fields.length === 2) {
		if (fields[1]!.length > MAX_TIMESTAMP_TEXT) failAt(lineNo, raw, `timestamp of ${name} is ${fields[1]!.length} characters long; not a millisecond timestamp`);
		if (!TIMESTAMP.test(fields[1]!)) failAt(lineNo, raw, `timestamp "${cutToWidth(sanitise(fields[1]), 20)}" is not an integer`);
		timestampMs = Number(fields[1]);
	}
	return {name, labels, value: value!, timestampMs, line: lineNo};
}
