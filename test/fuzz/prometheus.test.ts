// The Prometheus text parser on generated pages: it returns or throws PrometheusParseError and nothing
// else, reads back what a well-formed page says, matches the old regular expressions on short inputs
// (where their backtracking is harmless), and handles every input within the per-input budget.
import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import {parseMetaLine, parsePrometheus, parsePrometheusValue, PrometheusParseError} from '../../source/contract/prometheus.js';
import {isDecimalText} from '../../source/contract/numeric-text.js';
import {ADVERSARIAL_BUDGET_MS, codeUnit, onlyOwnError, timed, warmUp, runs} from './budget.js';

// The patterns the scanners replaced, kept here as the reference for short inputs only.
const OLD_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const OLD_META = /^#\s+(HELP|TYPE)\s+(\S+)(?:[ \t]+(.*))?$/;

const fragment = fc.constantFrom(
	'm', 'leanvibe_agents_total', '_sum', '_count', '_bucket', '{', '}', '"', '\\', '\\n', '\\"', '=', ',', ' ', '\t', '\n', '\r\n',
	'# HELP ', '# TYPE ', 'gauge', 'counter', 'histogram', 'NaN', '+Inf', '-inf', '1', '0.5', '1e3', '-', '.', 'e', '12345678901234567890',
	'status', '"active"', 'le="+Inf"', '\u2028', '\u00a0', '\ufeff', '漢', '#',
);
const page = fc.array(fc.oneof({weight: 5, arbitrary: fragment}, {weight: 1, arbitrary: codeUnit}), {maxLength: 60}).map((parts) => parts.join(''));

describe('fuzz: Prometheus text', () => {
	beforeAll(() => warmUp(parsePrometheus, ['m 1', 'm{a="b"} x', '# HELP m \u00e9\u2028', 'm{a="\u001b漢"} 1 2 3', '{']));

	it('returns an exposition or throws PrometheusParseError, within the budget', () => {
		fc.assert(
			fc.property(page, (text) => {
				const {error} = timed('parsePrometheus', () => parsePrometheus(text));
				onlyOwnError(error, PrometheusParseError);
				if (error) expect((error as Error).message).toMatch(/^line \d+: /);
			}),
			{numRuns: runs(2000)},
		);
	});

	it('reading only some families gives those families exactly as a whole parse does', () => {
		const only = new Set(['m', 'leanvibe_agents_total']);
		const view = (e: ReturnType<typeof parsePrometheus>, name: string) => e.samples(name).map((x) => [x.name, x.labels, x.value]);
		fc.assert(
			fc.property(page, (text) => {
				const whole = timed('parsePrometheus', () => parsePrometheus(text));
				const some = timed('parsePrometheus only', () => parsePrometheus(text, {only}));
				onlyOwnError(some.error, PrometheusParseError);
				// A line it skips can hold the whole parse's error; a page it refuses, the whole parse refuses too.
				if (some.error) expect(whole.error).toBeInstanceOf(PrometheusParseError);
				if (whole.error || some.error) return;
				for (const name of [...only, 'm_sum', 'm_count', 'm_bucket']) expect(view(some.result!, name)).toEqual(view(whole.result!, name));
			}),
			{numRuns: runs(2000)},
		);
	});

	it('reads back the values and labels of a well-formed page', () => {
		const name = fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,20}$/);
		const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/);
		const labelValue = fc.string({unit: fc.oneof(codeUnit, fc.constantFrom('"', '\\', '\n', 'a')), maxLength: 20});
		const sample = fc.record({
			name,
			labels: fc.uniqueArray(fc.tuple(labelName, labelValue), {selector: ([k]) => k, maxLength: 4}),
			value: fc.oneof(fc.double({noNaN: true, noDefaultInfinity: true}), fc.integer()),
		});
		fc.assert(
			fc.property(fc.uniqueArray(sample, {selector: (s) => s.name, maxLength: 10}), (samples) => {
				const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
				const text = samples.map((s) => `${s.name}{${s.labels.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}} ${s.value}`).join('\n');
				const {result, error} = timed('parsePrometheus', () => parsePrometheus(text));
				// A name ending in _sum/_count/_bucket can belong to nothing else here: every family is untyped.
				expect(error).toBeUndefined();
				for (const s of samples) {
					const [found] = result!.samples(s.name, Object.fromEntries(s.labels));
					expect(found?.value).toBe(Number(String(s.value)));
					expect(Object.entries(found!.labels)).toEqual(s.labels);
				}
			}),
			{numRuns: runs(300)},
		);
	});

	it('reads decimals exactly as the old pattern did, on short text', () => {
		const text = fc.string({unit: fc.constantFrom('0', '1', '9', '.', 'e', 'E', '+', '-', ' ', 'x', '٣'), maxLength: 12});
		fc.assert(
			fc.property(text, (t) => {
				expect(isDecimalText(t)).toBe(OLD_FLOAT.test(t));
				expect(parsePrometheusValue(t)).toEqual(OLD_FLOAT.test(t) ? Number(t) : parsePrometheusValue(t));
			}),
			{numRuns: runs(3000)},
		);
	});

	it('reads HELP and TYPE lines exactly as the old pattern did, on short lines', () => {
		const line = fc
			.array(fc.constantFrom('#', ' ', '\t', '\u00a0', '\u2028', '\r', 'HELP', 'TYPE', 'x', 'y', '漢', '\\'), {maxLength: 10})
			.map((parts) => parts.join(''));
		fc.assert(
			fc.property(line, (l) => {
				const m = OLD_META.exec(l);
				expect(parseMetaLine(l)).toEqual(m ? {keyword: m[1], name: m[2], rest: m[3] ?? ''} : null);
			}),
			{numRuns: runs(3000)},
		);
	});

	it('handles adversarial pages within the budget', () => {
		const digits = '1'.repeat(100_000);
		const cases = [
			`x ${digits}!`,
			`x ${digits}`,
			`x .${digits}e${digits}`,
			`x 1 ${digits}`,
			`# HELP x${' '.repeat(200_000)}a\u2028b`,
			`# TYPE${'\u00a0'.repeat(200_000)}`,
			`m{a="${'v'.repeat(262_144)}"} 1`,
			`m{a="${'\\'.repeat(262_144)}`,
			`m{${Array.from({length: 20_000}, (_, i) => `l${i}="v"`).join(',')}} 1`,
			'{'.repeat(100_000),
			`m${'{'.repeat(100_000)}`,
			'\n'.repeat(262_144),
			'a '.repeat(131_072),
		];
		for (const text of cases) {
			const {error} = timed(`page ${JSON.stringify(text.slice(0, 12))}`, () => parsePrometheus(text), ADVERSARIAL_BUDGET_MS);
			onlyOwnError(error, PrometheusParseError);
		}
	});
});
