// The overall state never lies, and the one-shot commands have their own deadline, against the real
// binary, the spawned simulator and PostgreSQL: a stopped hive is unknown with the reason (status, watch),
// a hive answering in 6 s still gets its real state, a deadline that passes names --timeout, and the
// slow-database scenario is a WARNING with its banner, not "no answer".
import {createServer, Socket, type Server} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {freePort, startPostgres, startSimulator, type PostgresService, type SimulatorService} from '../harness/services.js';
import {cleanEnv, runCli, simControl} from './helpers.js';

let sim: SimulatorService;
let control: ReturnType<typeof simControl>;

beforeAll(async () => {
	sim = await startSimulator();
	control = simControl(sim.url);
});
afterAll(async () => {
	await sim?.stop();
});

async function statusJson(args: string[]) {
	const r = await runCli(['status', '--json', ...args], cleanEnv());
	expect(r.killed).toBe(false);
	return {...r, report: JSON.parse(r.stdout)};
}

/** A TCP forwarder standing between the command and the simulator, so the test can make the hive vanish and return on the same address. */
async function forwarder(target: string) {
	const {hostname, port: targetPort} = new URL(target);
	const port = await freePort();
	const sockets = new Set<Socket>();
	let server: Server | null = null;
	const up = () =>
		new Promise<void>((resolve) => {
			server = createServer((client) => {
				const upstream = new Socket();
				sockets.add(client).add(upstream);
				upstream.connect(Number(targetPort), hostname);
				client.pipe(upstream).pipe(client);
				const end = () => {
					client.destroy();
					upstream.destroy();
				};
				client.on('error', end).on('close', end);
				upstream.on('error', end).on('close', end);
			});
			server.listen(port, '127.0.0.1', () => resolve());
		});
	const down = () =>
		new Promise<void>((resolve) => {
			for (const s of sockets) s.destroy();
			sockets.clear();
			server ? server.close(() => resolve()) : resolve();
			server = null;
		});
	await up();
	return {url: `http://127.0.0.1:${port}`, up, down};
}

describe('status: a hive that is not there is unknown, with the reason', () => {
	it('says unknown and why, in JSON and text, with exit 3', async () => {
		const gone = await startSimulator();
		const url = gone.url;
		await gone.stop();
		const {code, report} = await statusJson(['--hive', url]);
		expect(code).toBe(3);
		expect(report.overall).toBe('unknown');
		expect(report.overallReason).toBe('hive down');
		expect(report.untrusted).toEqual([{source: 'hive', what: 'down', since: expect.any(String), lastGoodAt: null}]);
		expect(report.sources.hive.error).toMatch(/connection refused/);
		for (const m of Object.values(report.metrics) as Array<{state: string}>) expect(m.state).toBe('unknown');
		const text = await runCli(['status', '--hive', url], cleanEnv());
		expect(text.code).toBe(3);
		expect(text.stdout).toMatch(/^overall\s+UNKNOWN · hive down$/m);
		expect(text.stdout).not.toMatch(/HEALTHY/);
	});
});

describe('status and check: their own deadline', () => {
	it('a hive that takes 6 s to answer still gets its real state within the default 10 s', async () => {
		await control.fault('/api/dashboard/metrics', 'slow', 1000, 6000);
		try {
			const {code, report, stderr} = await statusJson(['--hive', sim.url, '--interval', '2']);
			expect(report.overall, stderr).toBe('healthy');
			expect(code).toBe(0);
			expect(report.metrics.successRate.value).toEqual(expect.any(Number));
			expect(report.partialErrors).toEqual([]);
		} finally {
			await control.clearFaults();
		}
	});

	it('when the deadline passes, the error names it and the flag that raises it', async () => {
		await control.fault('/api/dashboard/agents/status', 'hang', 1000);
		try {
			const {code, report} = await statusJson(['--hive', sim.url, '--timeout', '2']);
			expect(code).toBe(3);
			expect(report.sources.hive.error).toBe('hive: no answer within the 2 s deadline (raise it with --timeout)');
			const check = await runCli(['check', '--hive', sim.url, '--timeout', '2'], cleanEnv());
			expect(check.code).toBe(3);
			expect(check.stderr).toContain('could not read the hive: hive: no answer within the 2 s deadline (raise it with --timeout)');
		} finally {
			await control.clearFaults();
		}
	});

	it.each([['0'], ['31'], ['soon']])('refuses --timeout %s with exit 64, naming the flag', async (value) => {
		for (const command of ['status', 'check']) {
			const r = await runCli([command, '--hive', sim.url, '--timeout', value], cleanEnv());
			expect(r.code).toBe(64);
			expect(r.stderr).toContain('--timeout');
		}
	});
});

describe('watch: the state follows the hive going away and coming back', () => {
	it('one missed poll keeps the state, two make it unknown with the reason, and an answer shows at once', async () => {
		const proxy = await forwarder(sim.url);
		const frames: string[] = [];
		let phase: 'up' | 'down' | 'back' = 'up';
		const r = await runCli(['watch', '--hive', proxy.url, '--interval', '1'], cleanEnv(), {
			timeoutMs: 40_000,
			onStdout: (text, child) => {
				const all = text.split(/\n(?=── )/);
				const complete = all.filter((f) => /^sources /m.test(f));
				frames.splice(0, frames.length, ...complete);
				if (phase === 'up' && complete.length >= 2) {
					phase = 'down';
					void proxy.down();
				} else if (phase === 'down' && complete.some((f) => /^overall\s+UNKNOWN · hive down/m.test(f))) {
					phase = 'back';
					void proxy.up();
				} else if (phase === 'back' && /^overall\s+HEALTHY$/m.test(complete.at(-1) ?? '')) {
					child.kill('SIGTERM');
				}
			},
		});
		await proxy.down();
		expect(r.killed, r.stdout).toBe(false);
		const overall = frames.map((f) => /^overall\s+(.*)$/m.exec(f)?.[1] ?? '?');
		const firstMiss = frames.findIndex((f) => /^sources\s+hive down/m.test(f));
		expect(firstMiss).toBeGreaterThan(0);
		// The first failed poll alone does not flip the state.
		expect(overall[firstMiss]).toBe('HEALTHY');
		const unknown = overall.findIndex((o) => /^UNKNOWN · hive down/.test(o));
		expect(unknown).toBe(firstMiss + 1);
		expect(overall.at(-1)).toBe('HEALTHY');
		// Never HEALTHY from old data: every frame after the second miss until the hive answered says unknown.
		const back = overall.findIndex((o, i) => i > unknown && o === 'HEALTHY');
		expect(overall.slice(unknown, back).every((o) => o.startsWith('UNKNOWN'))).toBe(true);
		expect(frames[back]).toMatch(/^sources\s+hive (ok|slow)/m);
	});
});

describe('watch in the flaky-API scenario', () => {
	it('names the flaky API with what to check, and keeps the state steady through single failed reads', async () => {
		const flaky = await startSimulator({scenario: 'flaky-api', args: ['--seed', '11']});
		try {
			const r = await runCli(['watch', '--hive', flaky.url, '--interval', '1', '--count', '14'], cleanEnv(), {timeoutMs: 60_000});
			expect(r.killed).toBe(false);
			expect(r.stdout).toMatch(/^condition\s+flaky-api: \d+ of the last \d+ polls met failed reads \(.*\) while others succeeded · not a runbook scenario: check what sits in front of the hive/m);
			const overall = [...r.stdout.matchAll(/^overall\s+(\S+)/gm)].map((m) => m[1]);
			expect(overall.length).toBe(14);
			expect(overall.filter((o) => o === 'HEALTHY').length).toBeGreaterThan(overall.filter((o) => o === 'UNKNOWN').length);
		} finally {
			await flaky.stop();
		}
	});
});

describe('status in the slow-database scenario (real PostgreSQL)', () => {
	let postgres: PostgresService;
	let slow: SimulatorService;
	beforeAll(async () => {
		postgres = await startPostgres();
		const database = await postgres.createDatabase('hive_slow_db');
		slow = await startSimulator({database});
		await simControl(slow.url).scenario('slow-database');
		// Let the simulator's database bridge run its slow statements a few times.
		await new Promise((r) => setTimeout(r, 4000));
		(slow as SimulatorService & {database: string}).database = database;
	});
	afterAll(async () => {
		await slow?.stop();
		await postgres?.cleanup();
	});

	it('reports WARNING with the slow-database banner and what the runbook offers, not a deadline error', async () => {
		const database = (slow as SimulatorService & {database: string}).database;
		const {code, report} = await statusJson(['--hive', slow.url, '--database', database]);
		expect(report.overall).toBe('warning');
		expect(code).toBe(1);
		expect(report.sources.hive.state).toMatch(/^(ok|slow)$/);
		expect(report.metrics.responseTime.state).toMatch(/^(warning|critical)$/);
		expect(report.conditions).toEqual([expect.objectContaining({condition: 'slow-database', offers: expect.stringContaining('L latency analysis')})]);
		expect(report.conditions[0].reason).toMatch(/slowest statement \d+ ms mean/);
		// The runbook scenarios the playbooks read are untouched by it.
		expect(report.scenarios.every((s: {scenario: string}) => ['coordination-critical', 'communication-failure', 'task-distribution'].includes(s.scenario))).toBe(true);
		const text = await runCli(['status', '--hive', slow.url, '--database', database], cleanEnv());
		expect(text.stdout).toMatch(/^condition\s+slow-database: agents answer in [\d.]+ s .* · L latency analysis · pane 5 slow queries · C task cleanup/m);
	});
});
