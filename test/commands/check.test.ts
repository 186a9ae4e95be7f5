// `hive-console check` against the spawned simulator and a real Alertmanager: the log file lines, the
// alert appearing in Alertmanager's v2 API and being resolved once healthy again, Alertmanager down being
// reported without failing the check, and the exit codes.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readFileSync} from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {freePort, startAlertmanager, startSimulator, waitFor, type AlertmanagerService, type SimulatorService} from '../harness/services.js';
import {cleanEnv, runCli, simControl} from './helpers.js';

let am: AlertmanagerService;
let sim: SimulatorService;

beforeAll(async () => {
	[am, sim] = await Promise.all([startAlertmanager(), startSimulator()]);
});

afterAll(async () => {
	await sim?.stop();
	await am?.cleanup();
});

async function alertsNamed(context: string): Promise<any[]> {
	const res = await fetch(`${am.url}/api/v2/alerts?filter=${encodeURIComponent('alertname="DailyCoordinationCheck"')}`);
	const alerts = (await res.json()) as any[];
	return alerts.filter((a) => a.labels.context === context);
}

/** What a failed expectation on the exit code should show: the check's own words. */
function said(r: {stdout: string; stderr: string}, logFile: string): string {
	let log = '';
	try {
		log = readFileSync(logFile, 'utf8');
	} catch {
		log = '(no log file)';
	}
	return `check said:\n${r.stdout}${r.stderr}\nlog:\n${log}`;
}

function logOf(env: NodeJS.ProcessEnv): string {
	return readFileSync(path.join(env.XDG_STATE_HOME!, 'hive-console', 'coordination-health.log'), 'utf8');
}

describe('check', () => {
	it('healthy: logs the runbook lines, sends no alert, exits 0', async () => {
		const env = cleanEnv();
		const r = await runCli(['check', '--hive', sim.url, '--alertmanager', am.url], env);
		expect(r.code, said(r, path.join(env.XDG_STATE_HOME!, 'hive-console', 'coordination-health.log'))).toBe(0);
		expect(r.stderr).toBe('');
		const log = logOf(env);
		expect(log).toMatch(/^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\] INFO: Starting daily coordination health check \(hive http:\/\/127\.0\.0\.1:\d+\)$/m);
		expect(log).toMatch(/INFO: Coordination success rate is healthy at [\d.]+%$/m);
		expect(log).toMatch(/INFO: No agent has a stale heartbeat$/m);
		expect(log).toMatch(/INFO: Daily coordination health check completed: OK \(overall healthy, 0 problems, exit 0\)$/m);
		expect(await alertsNamed(sim.url)).toEqual([]);
	});

	it('raises the alert when the check fails, and resolves it once healthy again', async () => {
		const env = cleanEnv();
		const control = simControl(sim.url);
		// The hive answering with its 200 error metric: the success rate cannot be verified.
		await control.fault('/api/dashboard/metrics', 'error-metric');
		let failing;
		try {
			failing = await runCli(['check', '--hive', sim.url, '--alertmanager', am.url, '--log-file', path.join(env.HOME!, 'check.log')], env);
		} finally {
			await control.clearFaults();
		}
		expect(failing.code).toBe(3);
		expect(failing.stderr).toMatch(/WARNING: Coordination success rate unknown/);
		const firing = await waitFor('the alert in Alertmanager', async () => {
			const alerts = await alertsNamed(sim.url);
			return alerts.length ? alerts : undefined;
		});
		expect(firing[0].labels).toEqual({alertname: 'DailyCoordinationCheck', severity: 'warning', context: sim.url});
		expect(firing[0].status.state).toBe('active');
		expect(firing[0].annotations.summary).toContain('coordination success rate unknown');
		const firstLog = readFileSync(path.join(env.HOME!, 'check.log'), 'utf8');
		expect(firstLog).toMatch(/INFO: Alert DailyCoordinationCheck sent to Alertmanager http:\/\/127\.0\.0\.1:\d+$/m);

		const healthy = await runCli(['check', '--hive', sim.url, '--alertmanager', am.url, '--log-file', path.join(env.HOME!, 'check.log')], env);
		expect(healthy.code, said(healthy, path.join(env.HOME!, 'check.log'))).toBe(0);
		expect(readFileSync(path.join(env.HOME!, 'check.log'), 'utf8')).toMatch(/INFO: Alert DailyCoordinationCheck resolved in Alertmanager/);
		await waitFor('the alert resolved', async () => ((await alertsNamed(sim.url)).length === 0 ? true : undefined));

		// Healthy again: nothing more to resolve, nothing posted.
		const again = await runCli(['check', '--hive', sim.url, '--alertmanager', am.url, '--log-file', path.join(env.HOME!, 'check.log')], env);
		expect(again.code).toBe(0);
		expect(readFileSync(path.join(env.HOME!, 'check.log'), 'utf8').match(/resolved in Alertmanager/g)!.length).toBe(1);
	});

	it('warns on stale heartbeats and a low success rate with the runbook exit codes', async () => {
		const other = await startSimulator({scenario: 'communication-failure'});
		try {
			const env = cleanEnv();
			const r = await runCli(['check', '--hive', other.url, '--alertmanager', am.url], env);
			expect(r.code).toBeGreaterThanOrEqual(1);
			expect(logOf(env)).toMatch(/WARNING: \d+ agents? with stale heartbeats \(older than 300 s, or none, while active, busy or in error\): /);
			const alerts = await waitFor('the alert', async () => ((await alertsNamed(other.url)).length ? alertsNamed(other.url) : undefined));
			expect(alerts[0].annotations.description).toMatch(/stale heartbeat/);
		} finally {
			await other.stop();
		}
		const critical = await startSimulator({scenario: 'coordination-critical'});
		try {
			const env = cleanEnv();
			const r = await runCli(['check', '--hive', critical.url], env);
			expect(r.code).toBe(2);
			// The runbook's line, at the level of the state it leads to.
			expect(logOf(env)).toMatch(/CRITICAL: Coordination success rate is [\d.]+% \(below 95%\)$/m);
			expect(logOf(env)).toMatch(/INFO: No Alertmanager configured/);
		} finally {
			await critical.stop();
		}
	});

	it('Alertmanager down: reported in the log and on stderr, the check still completes', async () => {
		const env = cleanEnv();
		const port = await freePort();
		const r = await runCli(['check', '--hive', `http://127.0.0.1:${await freePort()}`, '--alertmanager', `http://127.0.0.1:${port}`], env);
		// The hive's state is in the log; the exit code says the alerting path broke (README, `check`).
		expect(r.code).toBe(69);
		expect(r.stderr).toContain(`ERROR: Alertmanager POST http://127.0.0.1:${port}/api/v2/alerts: connection refused`);
		const log = logOf(env);
		expect(log).toMatch(/ERROR: could not read the hive: hive GET .*connection refused/);
		expect(log).toMatch(/alert NOT delivered$/m);
		expect(log).toMatch(/completed: UNKNOWN \(overall unknown, 1 problem; the alert was NOT delivered, exit 69\)$/m);
	});

	it('Alertmanager behind basic auth (a proxy in front of it): the alert arrives, the password is never shown', async () => {
		const password = 'Am-Basic-Pw-61f2';
		const expected = `Basic ${Buffer.from(`alert:${password}`).toString('base64')}`;
		// What an nginx with auth_basic in front of Alertmanager does: 401 without the right header, else pass on.
		const proxy = http.createServer((req, res) => {
			if (req.headers.authorization !== expected) {
				res.writeHead(401, {'www-authenticate': 'Basic realm="alertmanager"'});
				res.end('401 Authorization Required');
				return;
			}
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', async () => {
				const upstream = await fetch(`${am.url}${req.url}`, {method: req.method, headers: {'content-type': 'application/json'}, body: Buffer.concat(chunks)});
				res.writeHead(upstream.status, {'content-type': 'application/json'});
				res.end(await upstream.text());
			});
		});
		await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
		const port = (proxy.address() as {port: number}).port;
		const other = await startSimulator({scenario: 'coordination-critical'});
		try {
			const env = cleanEnv();
			const r = await runCli(['check', '--hive', other.url, '--alertmanager', `http://alert:${password}@127.0.0.1:${port}`], env);
			expect(r.code).toBe(2);
			const alerts = await waitFor('the alert', async () => ((await alertsNamed(other.url)).length ? alertsNamed(other.url) : undefined));
			expect(alerts[0].labels.alertname).toBe('DailyCoordinationCheck');
			expect(logOf(env)).toMatch(/INFO: Alert DailyCoordinationCheck sent to Alertmanager http:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:\d+\/$/m);
			const wrong = await runCli(['check', '--hive', other.url, '--alertmanager', `http://alert:${password}-x@127.0.0.1:${port}`], env);
			expect(wrong.code).toBe(69);
			expect(wrong.stderr).toMatch(/ERROR: Alertmanager POST \S+: HTTP 401 \(check the user and password in --alertmanager/);
			for (const text of [r.stdout, r.stderr, wrong.stdout, wrong.stderr, logOf(env)]) expect(text).not.toContain(password);
		} finally {
			await other.stop();
			proxy.closeAllConnections();
			await new Promise((resolve) => proxy.close(resolve));
		}
	});

	it('five agents in error: prints and logs what is wrong as WARNING lines, never OK, and alerts', async () => {
		const other = await startSimulator();
		try {
			const control = simControl(other.url);
			const names = ['err-agent-1', 'err-agent-2', 'err-agent-3', 'err-agent-4', 'err-agent-5'];
			for (const name of names) await fetch(`${other.url}/_sim/agents`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({name, status: 'error'})});
			expect((await control.state()).agents.filter((a: {status: string}) => a.status === 'error')).toHaveLength(5);
			const env = cleanEnv();
			const r = await runCli(['check', '--hive', other.url, '--alertmanager', am.url], env);
			expect(r.code, said(r, path.join(env.XDG_STATE_HOME!, 'hive-console', 'coordination-health.log'))).toBe(1);
			// What is wrong is printed, one line per problem, with the agents named.
			expect(r.stderr).toMatch(new RegExp(`WARNING: 5 agents in error: ${names.join(', ')}$`, 'm'));
			expect(r.stderr).toMatch(/WARNING: Daily coordination health check completed: WARNING \(overall warning, \d+ problems?, exit 1\)$/m);
			const log = logOf(env);
			expect(log).not.toMatch(/completed: OK/);
			expect(log).toMatch(/WARNING: 5 agents in error: /);
			expect(log).toMatch(/INFO: Alert DailyCoordinationCheck sent to Alertmanager/);
			const alerts = await waitFor('the alert', async () => ((await alertsNamed(other.url)).length ? alertsNamed(other.url) : undefined));
			expect(alerts[0].annotations.description).toMatch(/5 agents in error/);
		} finally {
			await other.stop();
		}
	});

	it('critical: CRITICAL lines for what is critical', async () => {
		const critical = await startSimulator({scenario: 'coordination-critical'});
		try {
			const env = cleanEnv();
			const r = await runCli(['check', '--hive', critical.url], env);
			expect(r.code).toBe(2);
			expect(r.stderr).toMatch(/CRITICAL: Coordination success rate is [\d.]+% \(below 95%\)$/m);
			expect(r.stderr).toMatch(/CRITICAL: Daily coordination health check completed: CRITICAL \(overall critical, \d+ problems, exit 2\)$/m);
		} finally {
			await critical.stop();
		}
	});

	it('an HTML page answering 200 at the Alertmanager URL is not a delivery: said, and exit 69', async () => {
		// A login page or a catch-all web server on the wrong port.
		const page = http.createServer((req, res) => {
			req.resume();
			res.writeHead(200, {'content-type': 'text/html; charset=utf-8'});
			res.end('<!DOCTYPE html><html><body><h1>Please sign in</h1></body></html>');
		});
		await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
		const port = (page.address() as {port: number}).port;
		const plain = http.createServer((req, res) => {
			req.resume();
			res.writeHead(200, {'content-type': 'text/plain'});
			res.end('It works!');
		});
		await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
		const plainPort = (plain.address() as {port: number}).port;
		const other = await startSimulator({scenario: 'coordination-critical'});
		try {
			const env = cleanEnv();
			const r = await runCli(['check', '--hive', other.url, '--alertmanager', `http://127.0.0.1:${port}`], env);
			expect(r.code, said(r, path.join(env.XDG_STATE_HOME!, 'hive-console', 'coordination-health.log'))).toBe(69);
			expect(r.stderr).toMatch(new RegExp(`ERROR: Alertmanager POST http://127\\.0\\.0\\.1:${port}/api/v2/alerts: HTTP 200 with an HTML page, not Alertmanager's answer; check that --alertmanager / ALERTMANAGER_URL points at Alertmanager itself; alert NOT delivered$`, 'm'));
			expect(r.stderr).toMatch(/completed: CRITICAL \(overall critical, \d+ problems; the alert was NOT delivered, exit 69\)$/m);
			expect(logOf(env)).not.toMatch(/Alert DailyCoordinationCheck sent/);
			const text = await runCli(['check', '--hive', other.url, '--alertmanager', `http://127.0.0.1:${plainPort}`], env);
			expect(text.code).toBe(69);
			expect(text.stderr).toMatch(/HTTP 200 with a body that is not JSON \(text\/plain\)/);
			// The real Alertmanager on the same run: delivered, the health code comes back.
			const real = await runCli(['check', '--hive', other.url, '--alertmanager', am.url], env);
			expect(real.code).toBe(2);
		} finally {
			await other.stop();
			for (const server of [page, plain]) {
				server.closeAllConnections();
				await new Promise((resolve) => server.close(resolve));
			}
		}
	});
});
