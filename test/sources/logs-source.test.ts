// The log source on real files (appended, rotated, truncated) and real commands, filtered by the runbook's
// patterns without the false positives its greps have.
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync} from 'node:fs';
import {spawnSync} from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import {waitFor} from '../harness/services.js';
import {timed} from '../fuzz/budget.js';
import {ByteLineSplitter, createLogSource} from '../../source/sources/logs-source.js';
import {isPreviousRunLine, previousRunOf} from '../../source/contract/snapshot.js';
import {capLine, categorize, MAX_MATCHED_LINE} from '../../source/sources/logs-patterns.js';
import {logsPane} from '../../source/ui/panes/logs.js';
import {SourceError, type Source} from '../../source/sources/source.js';
import type {LogsSnapshot} from '../../source/contract/snapshot.js';

let dir: string;
const sources: Array<Source<LogsSnapshot>> = [];
const poll = (s: Source<LogsSnapshot>) => s.poll(AbortSignal.timeout(10_000));
const texts = (snap: LogsSnapshot) => snap.lines.map((l) => l.text);
function source(options: Parameters<typeof createLogSource>[0]) {
	const s = createLogSource(options);
	sources.push(s);
	return s;
}

beforeEach(() => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'hive-test-logs-'));
});
afterEach(async () => {
	for (const s of sources.splice(0)) await s.close();
	rmSync(dir, {recursive: true, force: true});
});

describe('log patterns', () => {
	it('sorts lines into the runbook categories, case-insensitively', () => {
		expect(categorize('2025-08-07 ERROR Coordination failed: error talking to redis')).toBe('coordination-error');
		expect(categorize('Agent 4f2a ERROR: context window exceeded')).toBe('agent-error');
		expect(categorize('agent backend-1 timed out after 30s')).toBe('agent-timeout');
		expect(categorize('Agent communication lost with qa-2')).toBe('agent-timeout');
		expect(categorize('Task 17 assigned to backend-1')).toBe('task-assign');
		expect(categorize('task 17 failed: retries exhausted')).toBe('task-fail');
		expect(categorize('\u001b[31magent\u001b[0m crashed with error')).toBe('agent-error');
		expect(categorize('GET /health 200')).toBeNull();
	});

	it('does not raise the alarms the runbook greps would raise falsely', () => {
		// `grep -i "agent.*error"` matches all of these; none is an agent error.
		expect(categorize('agent backend-1 heartbeat ok error_count=0')).toBeNull();
		expect(categorize('agent qa-2 finished, errors: 0')).toBeNull();
		expect(categorize('agent health check passed with no errors')).toBeNull();
		expect(categorize('reagent lookup error in chemistry plugin')).toBeNull();
		expect(categorize('multitasking failed to start')).toBeNull();
		// ...while a real count still counts.
		expect(categorize('agent qa-2 finished, error_count=3')).toBe('agent-error');
		expect(categorize('agent qa-2 errors: 0, then a fatal error')).toBe('agent-error');
	});
});

describe('log patterns on hostile lines: linear and bounded', () => {
	// Before: one 64 KB line of "agent agent …" took 1.07-1.7 s, a 256 KB one froze the screen for 21 s, and
	// "error" followed by 16,000 spaces took 0.56 s. A line is now cut to MAX_MATCHED_LINE characters and
	// each pattern is found by forward searches.
	it('categorises a 256 KB line of `agent ` and other adversarial lines within a frame', () => {
		const lines = [
			'agent '.repeat(256 * 1024 / 6),
			`${'agent '.repeat(1000)}\u2028`.repeat(40),
			`error${' '.repeat(200_000)}x`,
			`no${' '.repeat(200_000)}x`,
			`task ${'task '.repeat(50_000)}`,
			`coordination${'coordination '.repeat(20_000)}`,
		];
		for (const line of lines) timed(JSON.stringify(line.slice(0, 12)), () => categorize(line), 100);
	});

	it('matches only the first 8,192 characters of a line, not splitting a surrogate pair', () => {
		expect(MAX_MATCHED_LINE).toBe(8192);
		expect(categorize(`agent ${'x'.repeat(9000)} error`)).toBeNull();
		expect(categorize(`agent ${'x'.repeat(8000)} error`)).toBe('agent-error');
		const cut = capLine(`${'x'.repeat(MAX_MATCHED_LINE - 1)}😀 agent error`);
		expect(cut).toBe('x'.repeat(MAX_MATCHED_LINE - 1));
		expect(capLine('short')).toBe('short');
	});

	it('needs both keywords on the same line, as `A.*B` did', () => {
		expect(categorize('agent x\u2028error')).toBeNull();
		expect(categorize('agent x\u2028agent y error')).toBe('agent-error');
		expect(categorize('error then agent')).toBeNull();
		expect(categorize('task\u2029assign task assignment')).toBe('task-assign');
		expect(categorize('error_count =      0 for agent; agent error_count   :   0')).toBeNull();
	});
});

describe('log source: file', () => {
	it('starts with the last matching lines and follows appends', async () => {
		const file = path.join(dir, 'api.log');
		writeFileSync(file, ['old agent error 1', 'noise', 'old agent error 2', 'old agent error 3', ''].join('\n'));
		const s = source({spec: file, initialLines: 2});
		// Like `tail -n 2`: the two last lines are read, then filtered.
		expect(texts(await poll(s))).toEqual(['old agent error 2', 'old agent error 3']);

		appendFileSync(file, 'task 9 failed\nhealthy\npartial agent err');
		expect(texts(await poll(s))).toEqual(['old agent error 2', 'old agent error 3', 'task 9 failed']);
		appendFileSync(file, 'or\n');
		const snap = await poll(s);
		expect(texts(snap)).toEqual(['old agent error 2', 'old agent error 3', 'task 9 failed', 'partial agent error']);
		expect(snap.lines.map((l) => l.category)).toEqual(['agent-error', 'agent-error', 'task-fail', 'agent-error']);
		expect(snap.origin).toBe(`file: ${file}`);
	});

	it('keeps a 256 KB log line as a cut line, matched on its first 8,192 characters', async () => {
		const file = path.join(dir, 'api.log');
		writeFileSync(file, '');
		const s = source({spec: file});
		await poll(s);
		appendFileSync(file, `${'agent '.repeat(256 * 1024 / 6)}\nagent ${'x'.repeat(300_000)} error\nagent ${'y'.repeat(100)} error\n`);
		const start = performance.now();
		const snap = await poll(s);
		expect(performance.now() - start).toBeLessThan(1000);
		expect(texts(snap)).toEqual([`agent ${'y'.repeat(100)} error`]);
		appendFileSync(file, `agent error ${'z'.repeat(20_000)}\n`);
		const [, long] = texts(await poll(s));
		expect(long).toHaveLength(1000);
		expect(long!.endsWith('…')).toBe(true);
	});

	it('survives rotation (rename and recreate) and truncation', async () => {
		const file = path.join(dir, 'api.log');
		writeFileSync(file, '');
		const s = source({spec: file});
		await poll(s);
		appendFileSync(file, 'task 1 assigned\n');
		await poll(s);
		// logrotate: the old file gets a last line after the rename, then a new file appears.
		renameSync(file, `${file}.1`);
		appendFileSync(`${file}.1`, 'task 2 assigned\n');
		await poll(s);
		writeFileSync(file, 'task 3 assigned\n');
		expect(texts(await poll(s))).toEqual(['task 1 assigned', 'task 2 assigned', 'task 3 assigned']);

		// copytruncate / `> file`: the file shrinks and is read again from the top.
		appendFileSync(file, 'task 4 assigned with a long tail of text to make the file bigger than the next one\n');
		await poll(s);
		truncateSync(file, 0);
		appendFileSync(file, 'task 5 failed\n');
		expect(texts(await poll(s)).slice(-2)).toEqual(['task 4 assigned with a long tail of text to make the file bigger than the next one', 'task 5 failed']);
	});

	it('keeps a bounded ring of lines, each cut to a maximum length', async () => {
		const file = path.join(dir, 'api.log');
		writeFileSync(file, '');
		const s = source({spec: file, maxLines: 5, maxLineLength: 40});
		await poll(s);
		appendFileSync(file, Array.from({length: 50}, (_, i) => `agent ${i} error ${'x'.repeat(100)}`).join('\n') + '\n');
		const snap = await poll(s);
		expect(snap.lines).toHaveLength(5);
		expect(snap.lines[4]!.text.startsWith('agent 49 error')).toBe(true);
		expect(snap.lines.every((l) => l.text.length <= 40)).toBe(true);
	});

	it('a missing file is reported and picked up once it appears', async () => {
		const file = path.join(dir, 'later.log');
		const s = source({spec: file});
		const error = await poll(s).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SourceError);
		expect(error).toMatchObject({kind: 'down', message: expect.stringContaining(`logs file ${file}: not found`)});
		writeFileSync(file, 'coordination error: lost quorum\n');
		expect(texts(await poll(s))).toEqual(['coordination error: lost quorum']);
	});
});

describe('log source: command', () => {
	it('follows a running command and stops it on close', async () => {
		const file = path.join(dir, 'stream.log');
		writeFileSync(file, 'agent a error one\n');
		const s = source({spec: `cmd:tail -n +1 -F ${file}`});
		await poll(s);
		appendFileSync(file, 'agent b timeout\nunrelated\n');
		const lines = await waitFor('command output', async () => {
			const snap = await poll(s);
			return snap.lines.length === 2 ? texts(snap) : undefined;
		});
		expect(lines).toEqual(['agent a error one', 'agent b timeout']);
		await s.close();
		sources.splice(sources.indexOf(s), 1);
		const left = spawnSync('sh', ['-c', `ps -eo args | grep -F "tail -n +1 -F ${file}" | grep -v grep`], {encoding: 'utf8'});
		expect(left.stdout.trim()).toBe('');
	});

	it('re-runs a command that prints and exits, showing its last complete run', async () => {
		const counter = path.join(dir, 'n');
		writeFileSync(counter, '0');
		// Each run prints one more failed task, like `docker compose logs --tail=200` on a busy hive.
		const s = source({spec: `cmd:n=$(cat ${counter}); n=$((n+1)); echo $n > ${counter}; i=1; while [ $i -le $n ]; do echo "task $i failed"; i=$((i+1)); done`});
		const seen = await waitFor('two complete runs', async () => {
			const snap = await poll(s);
			return snap.lines.length >= 2 ? texts(snap) : undefined;
		});
		expect(seen.slice(0, 2)).toEqual(['task 1 failed', 'task 2 failed']);
		expect(new Set(seen).size).toBe(seen.length);
	});

	it('a command that never prints a newline still shows its output, cut, without buffering all of it', async () => {
		// 1 MB on one line and the pipe left open: waiting for the end of that line would hold it all.
		const s = source({spec: `cmd:(printf 'agent z error '; head -c 1000000 /dev/zero | tr '\\0' x); sleep 30`, maxLineLength: 40});
		const lines = await waitFor('the unfinished line', async () => {
			const snap = await poll(s);
			return snap.lines.length > 0 ? texts(snap) : undefined;
		});
		expect(lines[0]).toMatch(/^agent z error x+…$/);
		expect(lines[0]!.length).toBe(40);
	});

	it('a command that fails says so with its stderr', async () => {
		const s = source({spec: 'cmd:no-such-logs-tool --tail=200'});
		const error = await waitFor('command failure', () => poll(s).then(() => undefined, (e: unknown) => e));
		expect(error).toBeInstanceOf(SourceError);
		expect((error as Error).message).toMatch(/^logs cmd "no-such-logs-tool --tail=200": exited with 127: .*not found; check the command$/);
	});

	it('reports an empty spec as misconfigured from poll()', async () => {
		await expect(poll(source({spec: 'cmd:'}))).rejects.toMatchObject({kind: 'misconfigured', message: expect.stringMatching(/give a file path or cmd:COMMAND/)});
	});
});

describe('log source: a command that dies or floods', () => {
	it('a follower that dies: the poll says how and when, its lines stay marked as the previous run, the new run shows as it comes', async () => {
		const file = path.join(dir, 'stream.log');
		const marker = path.join(dir, 'runs');
		writeFileSync(file, '');
		writeFileSync(marker, '');
		// Each run follows the file, then notes itself (once tail is reading); the first run dies with code 3 when told to.
		const s = source({spec: `cmd:tail -n 0 -F ${file} & t=$!; sleep 0.3; echo run >> ${marker}; while [ ! -e ${dir}/die ]; do sleep 0.05; done; rm -f ${dir}/die; kill $t; exit 3`});
		await poll(s);
		await waitFor('the first run', async () => (readFileSync(marker, 'utf8').split('\n').length >= 2 ? true : undefined));
		appendFileSync(file, 'agent a error before the death\n');
		await waitFor('the first run\'s line', async () => ((await poll(s)).lines.length === 1 ? true : undefined));
		writeFileSync(path.join(dir, 'die'), '');
		const diedAt = Date.now();
		const error = await waitFor('the death reported', () => poll(s).then(() => undefined, (e: unknown) => e));
		expect(error).toBeInstanceOf(SourceError);
		expect(error).toMatchObject({kind: 'down'});
		expect((error as Error).message).toMatch(/^logs cmd "[^"]+": the command died \(exit code 3\) at \d\d:\d\d:\d\d; restarted, its lines stay marked as the previous run's; if it keeps dying, run it in a shell to see why$/);
		expect((error as Error).message).not.toContain('\n');
		// Restarted at once: the next poll is good, with the old line marked and the new run's lines as they come.
		await waitFor('the second run', async () => (readFileSync(marker, 'utf8').split('\n').length >= 3 ? true : undefined));
		appendFileSync(file, 'task 7 failed in the new run\n');
		const snap = await waitFor('the new run\'s line', async () => {
			const next = await poll(s);
			return next.lines.length === 2 ? next : undefined;
		});
		expect(texts(snap)).toEqual(['agent a error before the death', 'task 7 failed in the new run']);
		expect(snap.lines.map(isPreviousRunLine)).toEqual([true, false]);
		const previous = previousRunOf(snap)!;
		expect(previous).toMatchObject({died: true, code: 3, signal: null});
		expect(previous.endedAt).toBeGreaterThanOrEqual(diedAt - 100);
		expect(previous.restartedAt).toBeGreaterThanOrEqual(previous.endedAt);

		// The pane: the old line marked `prev` and muted, how the previous run ended above the table.
		const ctx = {state: {snapshots: {logs: snap}}, now: Date.now()} as unknown as Parameters<typeof logsPane.summary>[0];
		const summary = logsPane.summary(ctx).map((line) => line.map((segment) => segment.text).join(''));
		expect(summary[1]).toMatch(/^↻ previous run died \(exit code 3\) at \d\d:\d\d:\d\d · restarted \d\d:\d\d:\d\d · 1 prev line$/);
		const rows = logsPane.rows(ctx);
		const kind = logsPane.columns.find((c) => c.id === 'category')!;
		expect(rows.map((r) => kind.cell(r, Date.now()))).toEqual(['prev agent-error', 'task-fail']);
		expect(rows.map((r) => logsPane.tone!(r, Date.now()))).toEqual(['muted', 'warning']);
	});

	it('a follower killed by a signal says which', async () => {
		const pidFile = path.join(dir, 'pid');
		const s = source({spec: `cmd:echo $$ > ${pidFile}; echo 'agent x error'; exec sleep 60`});
		await waitFor('its line', async () => ((await poll(s)).lines.length === 1 ? true : undefined));
		process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
		const error = await waitFor('the death reported', () => poll(s).then(() => undefined, (e: unknown) => e));
		expect((error as Error).message).toMatch(/the command died \(signal SIGKILL\) at \d\d:\d\d:\d\d/);
	});

	it('one endless line: cut at 8,192 characters once, the rest skipped without being kept', async () => {
		const s = source({spec: `cmd:printf 'agent flood error '; yes y | tr -d '\\n'`, maxLineLength: 9000});
		const lines = await waitFor('the cut line', async () => {
			const snap = await poll(s);
			return snap.lines.length > 0 ? texts(snap) : undefined;
		});
		// Some more of the flood, read and skipped: still that one line.
		await new Promise((r) => setTimeout(r, 600));
		expect(texts(await poll(s))).toEqual(lines);
		expect(lines).toHaveLength(1);
		expect(lines[0]).toHaveLength(MAX_MATCHED_LINE);
		expect(lines[0]!.startsWith('agent flood error yyy')).toBe(true);
	});

	it('splits bytes into lines, cutting a long one and skipping its rest, across chunks', () => {
		const out: string[] = [];
		const split = new ByteLineSplitter((l) => out.push(l), 8);
		split.push(Buffer.from('short\nabcdefghij'));
		split.push(Buffer.from('klmnop'));
		split.push(Buffer.from('qrs\nnext\nö'));
		split.push(Buffer.from('ü'));
		split.end();
		expect(out).toEqual(['short', 'abcdefgh', 'next', 'öü']);
	});
});
