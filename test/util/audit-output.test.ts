// The audit log and `hive-console audit` carry names from the hive: the file and `--json` escape what a
// terminal would act on (as `status --json` does), and the text output cuts names by display width.
import {afterAll, describe, expect, it} from 'vitest';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import stringWidth from 'string-width';
import {openAuditLog, type AuditEntry} from '../../source/actions/audit-log.js';
import {cleanEnv, runCli} from '../commands/helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hive-audit-out-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

// C1 CSI/ST/OSC, bidi override and isolates, a line separator.
const HOSTILE = 'agent\u009B31m\u009C\u009D\u202Eevil\u202C\u2066x\u2069\u2028y';
const RAW_UNSAFE = /[\u0080-\u009F\u202A-\u202E\u2066-\u2069\u2028\u2029]/;

function entry(name: string): AuditEntry {
	return {
		v: 1,
		time: new Date().toISOString(),
		runId: 'r1',
		phase: 'intent',
		user: 'ops',
		host: 'box',
		context: 'prod',
		action: 'restart-agent',
		targets: [{kind: 'agent', id: 'a-1', name}],
		inputs: {},
		requests: ['POST /api/v1/agents/a-1/restart'],
		result: 'sending',
	};
}

describe('audit output', () => {
	it('writes the file with \\u escapes, so `cat audit.jsonl` is harmless, and reads it back unchanged', async () => {
		const file = path.join(dir, 'escaped.jsonl');
		await openAuditLog(file).append(entry(HOSTILE));
		const raw = readFileSync(file, 'utf8');
		expect(raw).not.toMatch(RAW_UNSAFE);
		expect(raw).toContain('\\u009b31m');
		expect(raw).toContain('\\u202e');
		expect(JSON.parse(raw).targets[0].name).toBe(HOSTILE);

		const r = await runCli(['audit', '--audit-log', file, '--json'], cleanEnv());
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).not.toMatch(RAW_UNSAFE);
		expect(JSON.parse(r.stdout.trim()).targets[0].name).toBe(HOSTILE);
	});

	it('escapes raw characters from an older file in `audit --json` too', async () => {
		const file = path.join(dir, 'raw.jsonl');
		writeFileSync(file, JSON.stringify(entry(HOSTILE)) + '\n');
		expect(readFileSync(file, 'utf8')).toMatch(RAW_UNSAFE);
		const r = await runCli(['audit', '--audit-log', file, '--json'], cleanEnv());
		expect(r.stdout).not.toMatch(RAW_UNSAFE);
		expect(JSON.parse(r.stdout.trim()).targets[0].name).toBe(HOSTILE);
	});

	it('cuts a 10,000-character name by display width in the text listing', async () => {
		const file = path.join(dir, 'long.jsonl');
		const long = `漢${'n'.repeat(10_000)}`;
		writeFileSync(file, [JSON.stringify(entry(long)), JSON.stringify({...entry('x'), targets: 'not a list', requests: 7})].join('\n') + '\n');
		const r = await runCli(['audit', '--audit-log', file], cleanEnv());
		expect(r.code, r.stderr).toBe(0);
		const line = r.stdout.split('\n').find((l) => l.includes('漢'))!;
		expect(line).toContain(`漢${'n'.repeat(57)}…`);
		expect(line).not.toContain('n'.repeat(58));
		expect(stringWidth(line)).toBeLessThan(200);
		expect(r.stdout).not.toMatch(RAW_UNSAFE);
	});
});
