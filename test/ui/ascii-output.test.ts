// --ascii: whatever Ink writes reaches the terminal as ASCII, column for column.
import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import stringWidth from 'string-width';
import {asciiStream, asciiText, toAscii} from '../../source/ui/ascii-output.js';

describe('toAscii', () => {
	it('turns our glyphs into ASCII stand-ins and keeps every line its width', () => {
		const line = '┏━► 2 Agents · 20 agents … ● ok ▲ warn ✗ down ▁▃█ ↑3 →';
		const ascii = toAscii(line);
		expect(ascii).toBe('+=> 2 Agents - 20 agents ~ + ok ^ warn X down _-# ^3 >');
		expect(stringWidth(ascii)).toBe(stringWidth(line));
	});

	it("replaces what has no stand-in (an agent's CJK or emoji name) by one '?' per column, and leaves escapes alone", () => {
		const text = '\u001b[31m漢字-agent 👨‍👩‍👧 café\u001b[39m';
		const ascii = toAscii(text);
		expect(ascii).toBe('\u001b[31m????-agent ?? caf?\u001b[39m');
		expect(stringWidth(ascii)).toBe(stringWidth(text));
	});
});

describe('asciiText', () => {
	it('writes out what one column would get wrong: >= is not >, <= is not <', () => {
		expect(asciiText('agents ≥ 3, queue ≤ 10, id ≠ 0, 5 ± 1, ∞, wait…, a → b ← c, ⏎ opens, ✓ done')).toBe(
			'agents >= 3, queue <= 10, id != 0, 5 +/- 1, inf, wait..., a -> b <- c, Enter opens, ok done',
		);
	});

	it('leaves ASCII alone and still maps glyphs and foreign names column for column', () => {
		expect(asciiText('plain text')).toBe('plain text');
		expect(asciiText('● ok · 漢字 ×60')).toBe('+ ok - ???? x60');
	});
});

describe('asciiStream', () => {
	it("writes ASCII and still shows the real stream's size and events", async () => {
		const real = Object.assign(new PassThrough(), {columns: 120, rows: 40, isTTY: true}) as unknown as NodeJS.WriteStream & PassThrough;
		const chunks: string[] = [];
		real.on('data', (d: Buffer) => chunks.push(d.toString()));
		const stream = asciiStream(real);
		expect(stream.columns).toBe(120);
		let resized = false;
		stream.on('resize', () => (resized = true));
		real.emit('resize');
		expect(resized).toBe(true);
		stream.write('│ ● ok │');
		await new Promise((r) => setImmediate(r));
		expect(chunks.join('')).toBe('| + ok |');
	});
});
