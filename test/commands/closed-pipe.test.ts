// A reader that goes away (`hive-console action list | head -3`, a pager quit early) ends the output, not the
// program: no EPIPE stack trace on stderr, and the command's own exit code.
import {spawn} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {binPath} from '../harness/services.js';

function runWithClosedStdout(args: string[]): Promise<{code: number | null; stderr: string}> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [binPath, ...args], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, HIVE_TOKEN: ''}});
		// Closed before the command writes anything: its first write meets a pipe nobody reads.
		child.stdout.destroy();
		let stderr = '';
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.once('close', (code) => resolve({code, stderr}));
	});
}

describe('a closed stdout', () => {
	it.each([
		['action list', ['action', 'list', '--hive', 'http://127.0.0.1:9'], 0],
		['playbook list', ['playbook', 'list', '--hive', 'http://127.0.0.1:9'], 0],
		['status', ['status', '--hive', 'http://127.0.0.1:9', '--timeout', '1'], 3],
	])('%s: no EPIPE trace, its own exit code', async (_name, args, code) => {
		const result = await runWithClosedStdout(args);
		expect(result.stderr).not.toMatch(/EPIPE|Unhandled|at .*headless\.cjs/);
		expect(result.code).toBe(code);
	});
});
