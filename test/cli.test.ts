// The executable: help lists every command; unknown commands and flags exit 64 with a clear message.
import {describe, expect, it} from 'vitest';
import {spawnSync} from 'node:child_process';
import {binPath} from './harness/services.js';

function cli(...args: string[]) {
	return spawnSync(process.execPath, [binPath, ...args], {encoding: 'utf8', timeout: 20_000});
}

describe('hive-console executable', () => {
	it('--help lists every command', () => {
		const r = cli('--help');
		expect(r.status).toBe(0);
		for (const command of ['console', 'demo', 'simulate', 'status', 'check', 'watch', 'action', 'optimize', 'audit']) {
			expect(r.stdout).toMatch(new RegExp(`^  ${command}\\s`, 'm'));
		}
	});

	it('rejects an unknown command with exit code 64 and names it', () => {
		const r = cli('frobnicate');
		expect(r.status).toBe(64);
		expect(r.stderr).toContain('unknown command "frobnicate"');
	});

	it('rejects an unknown flag with exit code 64 and names it', () => {
		const r = cli('status', '--frobnicate');
		expect(r.status).toBe(64);
		expect(r.stderr).toContain('unknown flag --frobnicate');
	});

	it('rejects a non-numeric value for a number flag', () => {
		const r = cli('simulate', '--port', 'abc');
		expect(r.status).toBe(64);
		expect(r.stderr).toContain('--port needs a number');
	});

	it('reads flags the way they are written: kebab-case, --no-, =value, repeated --set; a flag with no value is an error', async () => {
		const {parseFlags} = await import('../source/cli-flags.js');
		const specs = {apiProfile: {type: 'string', description: ''}, color: {type: 'boolean', description: ''}, interval: {type: 'number', description: ''}, set: {type: 'string', isMultiple: true, description: ''}} as const;
		expect(parseFlags(['--api-profile=beehive', '--no-color', '--interval', '2.5', '--set', 'a=1', '--set', 'b=2', 'word'], specs as never, 'x')).toEqual({flags: {apiProfile: 'beehive', color: false, interval: 2.5, set: ['a=1', 'b=2']}, input: ['word']});
		expect(parseFlags(['--color=true'], specs as never, 'x')).toEqual({flags: {color: true}, input: []});
		// A value that is the next flag is a missing value, not a URL called "--json".
		expect(parseFlags(['--api-profile', '--color'], specs as never, 'x')).toBe('--api-profile needs a value.');
		expect(parseFlags(['--api-profile'], specs as never, 'x')).toBe('--api-profile needs a value.');
		expect(parseFlags(['--interval', ''], specs as never, 'x')).toBe('--interval needs a number.');
		expect(parseFlags(['--color=maybe'], specs as never, 'x')).toContain('--color takes no value');
		const r = cli('status', '--hive', '--json');
		expect(r.status).toBe(64);
		expect(r.stderr).toContain('--hive needs a value');
	});

	it('shows per-command help with its flags', () => {
		const r = cli('simulate', '--help');
		expect(r.status).toBe(0);
		expect(r.stdout).toContain('--scenario');
		expect(r.stdout).toContain('--speed');
	});

	it('refuses a stray word after a command that takes none (exit 64, nothing run), with no secret in the message', () => {
		for (const args of [['status', 'extra-arg'], ['watch', 'prod'], ['check', 'now'], ['--hive', 'http://127.0.0.1:1', 'postgres://ops:hunter2pw@db/hive']]) {
			const r = cli(...args);
			expect(r.status, args.join(' ')).toBe(64);
			expect(r.stderr).toMatch(/takes no arguments, only flags \(got "/);
			expect(r.stdout).toBe('');
			expect(r.stderr).not.toContain('hunter2');
		}
	});

	it('help says what each command really reads: the demo its 12 agents, simulate no REDIS_URL or DATABASE_URL', () => {
		const demo = cli('demo', '--help');
		expect(demo.stdout).toContain('--agents 12');
		expect(demo.stdout).toContain('(default 12)');
		const simulate = cli('simulate', '--help');
		expect(simulate.stdout).toContain('--redis');
		expect(simulate.stdout).not.toMatch(/REDIS_URL|DATABASE_URL/);
	});
});
