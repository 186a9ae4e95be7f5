// The Prometheus writer prints numbers as the hive's Python code does, which the console must parse.
import {describe, expect, it} from 'vitest';
import {pythonFloat, pythonNumber, writeFamilies} from '../../source/simulator/prometheus-text.js';
import {Random} from '../../source/simulator/random.js';

describe('prometheus text writer', () => {
	it('prints floats like Python repr and non-finite values like Prometheus', () => {
		expect(pythonFloat(87.5)).toBe('87.5');
		expect(pythonFloat(200 / 3)).toBe('66.66666666666667');
		expect(pythonFloat(100)).toBe('100.0');
		expect(pythonFloat(1e-5)).toBe('1e-05');
		expect(pythonFloat(1.5e16)).toBe('1.5e+16');
		expect(pythonFloat(NaN)).toBe('NaN');
		expect(pythonFloat(Infinity)).toBe('+Inf');
		expect(pythonFloat(-Infinity)).toBe('-Inf');
		expect(pythonNumber(3, 'int')).toBe('3');
	});

	it('keeps HELP and TYPE for a family without samples and shuffles label sets', () => {
		const samples = Array.from({length: 20}, (_, i) => ({labels: {status: `s${i}`}, value: i, kind: 'int' as const}));
		const text = writeFamilies([{name: 'x_total', help: 'X', samples}, {name: 'empty', help: 'E', samples: []}], new Random(5));
		expect(text).toContain('# HELP empty E\n# TYPE empty gauge\n');
		const order = text.split('\n').filter((l) => l.startsWith('x_total{')).map((l) => l.split(' ')[1]);
		expect(order).toHaveLength(20);
		expect(order).not.toEqual(samples.map((s) => String(s.value)));
	});
});
