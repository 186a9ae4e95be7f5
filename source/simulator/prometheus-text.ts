// Writes Prometheus exposition text the way the hive's FastAPI code does (docs/hive-contract.md, section 2): HELP and TYPE for
// every family (even one without samples), samples of one family in random order (they come from a SQL
// GROUP BY), label values unescaped, and numbers printed as Python prints them.
import type {Random} from './random.js';

export interface Sample {
	labels?: Record<string, string>;
	value: number;
	/** Python prints an int as `3` and a float as `3.0`; the hive has both kinds. */
	kind?: 'int' | 'float';
}

export interface Family {
	name: string;
	help: string;
	type?: 'gauge' | 'counter';
	samples: Sample[];
}

/** `repr(float)` in Python, with Prometheus' spellings for the non-finite values. */
export function pythonFloat(value: number): string {
	if (Number.isNaN(value)) return 'NaN';
	if (value === Infinity) return '+Inf';
	if (value === -Infinity) return '-Inf';
	if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
	const exponent = Math.floor(Math.log10(Math.abs(value)));
	if (exponent < -4 || exponent >= 16) {
		// JS: 1.5e-7 / 1e+21; Python: 1.5e-07 / 1e+21 (at least two exponent digits, sign always).
		const [mantissa, exp] = value.toExponential().split('e') as [string, string];
		const sign = exp.startsWith('-') ? '-' : '+';
		return `${mantissa}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
	}
	const text = String(value);
	return Number.isInteger(value) ? `${text}.0` : text;
}

export function pythonNumber(value: number, kind: 'int' | 'float' = 'float'): string {
	if (kind === 'int' && Number.isInteger(value)) return String(value);
	return pythonFloat(value);
}

function shuffled<T>(items: T[], random: Random | null): T[] {
	const out = items.slice();
	if (!random) return out;
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random.next() * (i + 1));
		[out[i], out[j]] = [out[j]!, out[i]!];
	}
	return out;
}

export function writeFamilies(families: Family[], random: Random | null): string {
	const lines: string[] = [];
	for (const family of families) {
		lines.push(`# HELP ${family.name} ${family.help}`);
		lines.push(`# TYPE ${family.name} ${family.type ?? 'gauge'}`);
		for (const sample of shuffled(family.samples, random)) {
			const labels = sample.labels
				? `{${Object.entries(sample.labels)
						.map(([k, v]) => `${k}="${v}"`)
						.join(',')}}`
				: '';
			lines.push(`${family.name}${labels} ${pythonNumber(sample.value, sample.kind)}`);
		}
		lines.push('');
	}
	return lines.join('\n');
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
