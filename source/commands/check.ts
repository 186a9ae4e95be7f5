// `hive-console check`: the runbook's daily coordination check, for cron or a systemd timer. Reads the
// hive once (within --timeout, default 10 s), appends timestamped lines to a log file, warns when the
// success rate is below target (95 %), an agent's heartbeat is stale, or the database is slow, and
// raises / resolves a DailyCoordinationCheck alert in Alertmanager. Every non-healthy outcome is printed and
// logged as WARNING or CRITICAL lines, one per failing metric, condition, scenario or group of agents. Exit
// codes as `status`, except that an alert (or its resolve) that Alertmanager did not take exits 69
// (EX_UNAVAILABLE): a unit that treats 1-3 as "ran fine" must still see that the alerting path broke.
//
// Resolution is stateful: the check remembers (XDG state dir) that it fired and sends endsAt=now once when
// healthy again. Resolving unconditionally would post a "resolved" alert every healthy day for an alert
// that never fired, which some receivers turn into noise; a lost state file is bounded by the endsAt we set
// on every firing (the context's checkAlertHours, default 25 h: one daily run plus slack).
import {appendFile, mkdir} from 'node:fs/promises';
import path from 'node:path';
import {createHiveApp} from '../app/create.js';
import type {ResolvedConfig} from '../config/resolve.js';
import {postAlerts, readCheckState, writeCheckState, type AlertPayload} from '../headless/alertmanager.js';
import {buildStatusReport, exitCodeFor} from '../headless/report.js';
import {armExitGuard, configOrExit, oneShotConfig} from '../headless/session.js';
import {formatNumber} from '../model/metrics.js';
import {describeError, redactUrl} from '../util/redact.js';
import {sanitise} from '../util/terminal-text.js';
import type {CommandContext} from './command.js';
import {EXIT} from '../app/exit-codes.js';

type Level = 'INFO' | 'WARNING' | 'CRITICAL' | 'ERROR';

/** sysexits' EX_UNAVAILABLE: the alert was due and Alertmanager did not take it (README, `check`). */
export const EXIT_ALERT_NOT_DELIVERED = 69;

const METRIC_LABELS: Record<string, string> = {successRate: 'success rate', responseTime: 'response time', queueLength: 'queue length', activeAgents: 'active agents'};

function stamp(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function run(ctx: CommandContext): Promise<number> {
	const config = await configOrExit(ctx.flags);
	if (typeof config === 'number') return config;
	const lines: string[] = [];
	const log = (level: Level, text: string) => {
		const line = `[${stamp(Date.now())}] ${level}: ${sanitise(text)}`;
		lines.push(line);
		if (level !== 'INFO') process.stderr.write(line + '\n');
	};
	const target = config.contextName ? `context ${config.contextName}, ` : '';
	log('INFO', `Starting daily coordination health check (${target}hive ${redactUrl(config.hiveUrl)})`);

	let code: number = EXIT.unknown;
	let app;
	try {
		app = createHiveApp(oneShotConfig(config), {include: ['hive']});
	} catch (error) {
		log('ERROR', describeError(error));
		await flushLog(config, lines);
		return EXIT.usage;
	}
	try {
		await app.poller.refreshNow();
		const now = Date.now();
		const report = buildStatusReport(app.store.getState(), config, now, undefined, {deadline: {ms: config.timeoutMs, flag: '--timeout'}});
		const target95 = config.thresholds.successRate.target;
		const problems: string[] = [];
		// Critical lines for what makes the state critical, warning lines for the rest.
		const level: Level = report.overall === 'critical' ? 'CRITICAL' : 'WARNING';
		const levelOf = (state: string): Level => (state === 'critical' ? 'CRITICAL' : 'WARNING');

		if (report.overall === 'unknown' && report.sources.hive.state !== 'ok' && report.sources.hive.state !== 'slow') {
			const why = report.sources.hive.error ?? 'no answer';
			log('ERROR', `could not read the hive: ${why}`);
			problems.push(`the hive could not be read: ${why}`);
		} else {
			const sr = report.metrics.successRate;
			if (sr.value === null) {
				log('WARNING', `Coordination success rate unknown (${sr.reason})`);
				problems.push(`coordination success rate unknown (${sr.reason})`);
			} else if (sr.value < target95) {
				log(levelOf(sr.state), `Coordination success rate is ${formatNumber(sr.value)}% (below ${formatNumber(target95)}%)`);
				problems.push(`coordination success rate ${formatNumber(sr.value)}% is below ${formatNumber(target95)}%`);
			} else {
				log('INFO', `Coordination success rate is healthy at ${formatNumber(sr.value)}%`);
			}
			// Every other metric past its warning threshold (degraded counts as healthy, as in the overall state).
			for (const [name, m] of Object.entries(report.metrics)) {
				if (name === 'successRate' || (m.state !== 'warning' && m.state !== 'critical')) continue;
				log(levelOf(m.state), `${METRIC_LABELS[name] ?? name} ${m.state}: ${m.reason}`);
				problems.push(`${METRIC_LABELS[name] ?? name} ${m.state}: ${m.reason}`);
			}
			const inError = report.agents.filter((a) => a.status === 'error');
			if (inError.length > 0) {
				const names = inError.slice(0, 10).map((a) => a.name).join(', ');
				const more = inError.length > 10 ? ` and ${inError.length - 10} more` : '';
				log('WARNING', `${inError.length} agent${inError.length === 1 ? '' : 's'} in error: ${names}${more}`);
				problems.push(`${inError.length} agent${inError.length === 1 ? '' : 's'} in error`);
			}
			const stale = report.agents.filter((a) => a.staleHeartbeat);
			const staleCount = report.staleHeartbeats ?? stale.length;
			const limit = report.staleHeartbeatSeconds;
			if (staleCount > 0) {
				const names = stale
					.slice(0, 10)
					.map((a) => `${a.name} (${a.heartbeatAgeSeconds === null ? 'no heartbeat' : `${Math.round(a.heartbeatAgeSeconds)} s`})`)
					.join(', ');
				log('WARNING', `${staleCount} agent${staleCount === 1 ? '' : 's'} with stale heartbeats (older than ${limit} s, or none, while active, busy or in error)${names ? `: ${names}` : ''}`);
				problems.push(`${staleCount} agent${staleCount === 1 ? ' has a' : 's have'} stale heartbeat${staleCount === 1 ? '' : 's'}`);
			} else if (report.staleHeartbeats !== null) {
				log('INFO', 'No agent has a stale heartbeat');
			}
			for (const scenario of report.scenarios) {
				log(level, `Runbook scenario ${scenario.scenario}: ${scenario.reason}`);
				problems.push(`runbook scenario ${scenario.scenario}: ${scenario.reason}`);
			}
			for (const c of report.conditions) {
				log('WARNING', `${c.title}: ${c.reason}`);
				problems.push(`${c.title.toLowerCase()}: ${c.reason}`);
			}
			for (const e of report.partialErrors) log('WARNING', e);
			// A state that is not healthy must never end without a reason on the page.
			if (report.overall !== 'healthy' && problems.length === 0) {
				const why = report.overallReason ?? `overall state ${report.overall}`;
				log(report.overall === 'critical' ? 'CRITICAL' : 'WARNING', `The hive is ${report.overall.toUpperCase()}: ${why}`);
				problems.push(`the hive is ${report.overall}: ${why}`);
			}
		}

		const health = report.overall === 'unknown' ? EXIT.unknown : Math.max(exitCodeFor(report.overall), problems.length ? EXIT.warning : EXIT.ok);
		const delivered = await alert(config, problems, now, log);
		code = delivered ? health : EXIT_ALERT_NOT_DELIVERED;
		const verdict = health === EXIT.ok ? 'OK' : health === EXIT.critical ? 'CRITICAL' : health === EXIT.unknown ? 'UNKNOWN' : 'WARNING';
		const alerted = delivered ? '' : problems.length ? '; the alert was NOT delivered' : '; the resolve was NOT delivered';
		const summary = `Daily coordination health check completed: ${verdict} (overall ${report.overall}, ${problems.length} problem${problems.length === 1 ? '' : 's'}${alerted}, exit ${code})`;
		log(health === EXIT.ok && delivered ? 'INFO' : health === EXIT.critical ? 'CRITICAL' : health === EXIT.ok ? 'ERROR' : 'WARNING', summary);
	} finally {
		await app.close();
	}
	await flushLog(config, lines);
	armExitGuard(code);
	return code;
}

async function flushLog(config: ResolvedConfig, lines: string[]): Promise<void> {
	try {
		await mkdir(path.dirname(config.checkLogPath), {recursive: true});
		await appendFile(config.checkLogPath, lines.join('\n') + '\n');
	} catch (error) {
		process.stderr.write(`hive-console: cannot append to the check log ${config.checkLogPath}: ${describeError(error)}; pass --log-file PATH\n`);
		for (const line of lines) process.stderr.write(`${line}\n`);
	}
}

/** False when an alert or resolve was due and Alertmanager did not take it. */
async function alert(config: ResolvedConfig, problems: string[], now: number, log: (level: Level, text: string) => void): Promise<boolean> {
	const stateFile = path.join(config.stateDir, 'check-state.json');
	const key = config.contextName ?? redactUrl(config.hiveUrl);
	const previous = await readCheckState(stateFile, key);
	if (!config.alertmanagerUrl) {
		if (problems.length) log('INFO', 'No Alertmanager configured (--alertmanager / ALERTMANAGER_URL); no alert sent');
		return true;
	}
	const am = redactUrl(config.alertmanagerUrl);
	const labels = {alertname: 'DailyCoordinationCheck', severity: 'warning', context: key};
	const base = {labels, generatorURL: redactUrl(config.hiveUrl)};
	let payload: AlertPayload;
	let next: typeof previous;
	if (problems.length) {
		const since = previous.firing && previous.since ? previous.since : new Date(now).toISOString();
		const summary = `Coordination check warning for ${key}: ${problems[0]}`;
		payload = {
			...base,
			annotations: {summary, description: `${problems.join('; ')}. Hive ${redactUrl(config.hiveUrl)}; see the coordination recovery runbook.`},
			startsAt: since,
			endsAt: new Date(now + config.checkAlertHours * 3_600_000).toISOString(),
		};
		next = {firing: true, since, summary};
	} else if (previous.firing) {
		payload = {
			...base,
			annotations: {summary: previous.summary ?? `Coordination check warning for ${key}`, description: 'Resolved: the daily coordination check is healthy again.'},
			startsAt: previous.since ?? new Date(now).toISOString(),
			endsAt: new Date(now).toISOString(),
		};
		next = {firing: false, since: null, summary: null};
	} else {
		return true;
	}
	let delivered = true;
	try {
		await postAlerts(config.alertmanagerUrl, [payload]);
		log('INFO', problems.length ? `Alert DailyCoordinationCheck sent to Alertmanager ${am}` : `Alert DailyCoordinationCheck resolved in Alertmanager ${am}`);
	} catch (error) {
		// Remember a firing even when it was not delivered, so the next healthy run still resolves it.
		log('ERROR', `${describeError(error)}; alert ${problems.length ? 'NOT delivered' : 'NOT resolved, will retry on the next run'}`);
		if (!problems.length) return false;
		delivered = false;
	}
	try {
		await writeCheckState(stateFile, key, next);
	} catch (error) {
		log('ERROR', `cannot write the check state ${stateFile}: ${describeError(error)}`);
	}
	return delivered;
}
