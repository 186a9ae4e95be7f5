// OSC 52 as each terminal stack needs it: bare, to tmux with set-clipboard on, through tmux passthrough,
// through screen in pieces; refused (with the text saved to the state directory) where it cannot work.
import {mkdtempSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {copyText, detectMultiplexer, osc52, planCopy} from '../../source/ui/clipboard.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('OSC 52', () => {
	it('the bare sequence carries exactly the text, base64', () => {
		expect(osc52('claude-backend-01 9eae5450')).toBe(`\u001b]52;c;${b64('claude-backend-01 9eae5450')}\u0007`);
	});

	it('a hostile name is sanitised before it is encoded; newlines of a query are kept', () => {
		const plan = planCopy('evil\u001b]0;pwned\u0007name\u202e', {kind: 'none'});
		expect(plan.ok).toBe(true);
		const decoded = Buffer.from(/52;c;([^\u0007]+)/.exec((plan as {sequence: string}).sequence)![1]!, 'base64').toString('utf8');
		expect(decoded).not.toMatch(/[\u001b\u0007\u202e]/);
		expect(decoded).toContain('name');
		const query = planCopy('SELECT *\n  FROM tasks\n WHERE id = $1', {kind: 'none'}) as {sequence: string};
		expect(query.sequence).toContain(b64('SELECT *\n  FROM tasks\n WHERE id = $1'));
	});

	it('tmux: sent as is with set-clipboard on, wrapped with passthrough, refused otherwise', () => {
		expect(planCopy('x', {kind: 'tmux', setClipboard: 'on', passthrough: false})).toMatchObject({ok: true, sequence: osc52('x')});
		const wrapped = planCopy('x', {kind: 'tmux', setClipboard: 'external', passthrough: true}) as {sequence: string};
		expect(wrapped.sequence).toBe(`\u001bPtmux;\u001b\u001b]52;c;${b64('x')}\u0007\u001b\\`);
		const refused = planCopy('x', {kind: 'tmux', setClipboard: 'off', passthrough: false});
		expect(refused).toMatchObject({ok: false, reason: expect.stringContaining('set-clipboard off')});
	});

	it('screen: DCS pieces that together are the sequence', () => {
		const text = 'q'.repeat(3000);
		const plan = planCopy(text, {kind: 'screen'}) as {sequence: string};
		const pieces = [...plan.sequence.matchAll(/\u001bP([^\u001b]*(?:\u001b\][^\u001b]*)?)\u001b\\/g)].map((m) => m[1]);
		expect(pieces.length).toBeGreaterThan(1);
		expect(pieces.join('')).toBe(osc52(text));
	});

	it('too long for a terminal: nothing written, the text saved to the state directory and the toast names the file', () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'hive-clip-'));
		let written = '';
		const big = 'SELECT 1 -- '.repeat(10_000);
		const r = copyText('the query text', big, {write: (s) => (written += s), mux: {kind: 'none'}, stateDir: dir});
		expect(r.ok).toBe(false);
		expect(written).toBe('');
		expect(r.message).toContain(path.join(dir, 'clipboard.txt'));
		expect(readFileSync(path.join(dir, 'clipboard.txt'), 'utf8')).toBe(big + '\n');
		const small = copyText('agent a', 'a 1', {write: (s) => (written += s), mux: {kind: 'none'}, stateDir: dir});
		expect(small).toEqual({ok: true, message: 'copied agent a (3 bytes, OSC 52)'});
		expect(written).toBe(osc52('a 1'));
	});

	it('the multiplexer comes from the environment and tmux options', () => {
		expect(detectMultiplexer({}, () => null)).toEqual({kind: 'none'});
		expect(detectMultiplexer({STY: '1.pts'}, () => null)).toEqual({kind: 'screen'});
		expect(detectMultiplexer({TMUX: '/tmp/x,1,0'}, (o) => (o === 'set-clipboard' ? 'on' : 'off'))).toEqual({kind: 'tmux', setClipboard: 'on', passthrough: false});
	});
});
