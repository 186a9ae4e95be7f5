// No secret reaches any output or file: a hive token, a Redis password (also one not percent-encoded, whose
// `@ / #` split the URL in the wrong place), a PostgreSQL password and Alertmanager basic-auth credentials,
// through every command, the ones that succeed and the ones that fail (wrong password, unreachable host,
// 401 from the hive), and the console in tmux. Everything it printed, the screen, the raw bytes it wrote to
// the terminal and every file in its state directory are searched for each secret and every 4-character
// piece of it: a message that quotes half a password leaks it as surely as one that quotes all of it.
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {binPath, freePort, startAlertmanager, startPostgres, startRedis, startSimulator, type AlertmanagerService, type PostgresService, type RedisService, type SimulatorService} from '../harness/services.js';
import {buildBundle, openTmux} from '../e2e/tmux.js';
import {runCli, simControl} from '../commands/helpers.js';

// Secrets with no 4-character piece that the program could print for another reason.
const TOKEN = 'tQ7vZ9xK2mW4pR8sJ3';
const WRONG_TOKEN = 'nB5cY1hG6dF0kL2';
const REDIS_PASSWORD = 'p@ss/w0rd#Xy_666';
const WRONG_REDIS_PASSWORD = 'qK8%wrongZ3#@j';
const PG_USER = 'hvusr';
const PG_PASSWORD = 'Zq4$Lm8!TxGh';
const AM_USER = 'ops7Qk';
const AM_PASSWORD = 'Am9vK2pWx7Rt';
const SECRETS = [TOKEN, WRONG_TOKEN, REDIS_PASSWORD, WRONG_REDIS_PASSWORD, PG_PASSWORD, AM_USER, AM_PASSWORD];

/** Each secret as written and percent-encoded, and every 4-character piece of each. */
const NEEDLES = [...new Set(SECRETS.flatMap((s) => [s, encodeURIComponent(s)]).flatMap((s) => [s, ...Array.from({length: s.length - 3}, (_, i) => s.slice(i, i + 4))]))];

function expectNoSecret(what: string, text: string): void {
	for (const needle of NEEDLES) {
		const at = text.indexOf(needle);
		expect(at, `${what} holds "${needle}" (a secret or a piece of one): …${JSON.stringify(text.slice(Math.max(0, at - 60), at + 60))}…`).toBe(-1);
	}
}

/** Every file under a directory, as text. */
function filesUnder(dir: string): Array<{file: string; text: string}> {
	const out: Array<{file: string; text: string}> = [];
	let names: string[] = [];
	try {
		names = readdirSync(dir);
	} catch {
		return out;
	}
	for (const name of names) {
		const file = path.join(dir, name);
		if (statSync(file).isDirectory()) out.push(...filesUnder(file));
		else out.push({file, text: readFileSync(file, 'latin1') + readFileSync(file, 'utf8')});
	}
	return out;
}

let redis: RedisService;
let pg: PostgresService;
let am: AlertmanagerService;
let sim: SimulatorService;
let urls: {redis: string; redisUnencoded: string; redisWrong: string; redisUnreachable: string; pg: string; pgWrong: string; pgUnreachable: string; am: string; amUnreachable: string};
let home: string;

beforeAll(async () => {
	buildBundle();
	[redis, pg, am] = await Promise.all([startRedis(), startPostgres(), startAlertmanager()]);
	const db = new URL(await pg.createDatabase());
	// A role with a password, and password authentication for it (the harness's cluster trusts loopback).
	const psql = (sql: string) => {
		const r = spawnSync('psql', ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', '-d', 'postgres', '-Atc', sql], {encoding: 'utf8'});
		if (r.status !== 0) throw new Error(`psql ${sql}: ${r.stderr}`);
		return r.stdout.trim();
	};
	psql(`CREATE ROLE ${PG_USER} LOGIN SUPERUSER PASSWORD '${PG_PASSWORD}'`);
	const hba = psql('SHOW hba_file');
	writeFileSync(hba, `host all ${PG_USER} 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, 'utf8')}`);
	psql('SELECT pg_reload_conf()');
	const r = spawnSync('redis-cli', ['-p', String(redis.port), 'CONFIG', 'SET', 'requirepass', REDIS_PASSWORD], {encoding: 'utf8'});
	if (r.stdout.trim() !== 'OK') throw new Error(`redis requirepass: ${r.stdout}${r.stderr}`);
	const closed = await freePort();
	const host = `127.0.0.1:${redis.port}`;
	urls = {
		redis: `redis://:${encodeURIComponent(REDIS_PASSWORD)}@${host}`,
		redisUnencoded: `redis://:${REDIS_PASSWORD}@${host}`,
		redisWrong: `redis://:${encodeURIComponent(WRONG_REDIS_PASSWORD)}@${host}`,
		redisUnreachable: `redis://:${encodeURIComponent(REDIS_PASSWORD)}@127.0.0.1:${closed}`,
		pg: `postgres://${PG_USER}:${encodeURIComponent(PG_PASSWORD)}@127.0.0.1:${pg.port}${db.pathname}`,
		pgWrong: `postgres://${PG_USER}:${encodeURIComponent(WRONG_TOKEN)}@127.0.0.1:${pg.port}${db.pathname}`,
		pgUnreachable: `postgres://${PG_USER}:${encodeURIComponent(PG_PASSWORD)}@127.0.0.1:${closed}${db.pathname}`,
		am: am.url.replace('http://', `http://${AM_USER}:${AM_PASSWORD}@`),
		amUnreachable: `http://${AM_USER}:${AM_PASSWORD}@127.0.0.1:${closed}`,
	};
	sim = await startSimulator({agents: 6, redis: urls.redis, database: `postgres://postgres@127.0.0.1:${pg.port}${db.pathname}`});
	await simControl(sim.url).auth(TOKEN);
	home = mkdtempSync(path.join(os.tmpdir(), 'hive-secrets-'));
}, 120_000);

afterAll(async () => {
	await sim?.stop();
	await Promise.allSettled([redis?.cleanup(), pg?.cleanup(), am?.cleanup()]);
});

function env(name: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const dir = path.join(home, name);
	return {PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_STATE_HOME: path.join(dir, 'state'), LANG: 'C.UTF-8', ...extra};
}

/** Runs one command and searches all it printed and all it wrote for the secrets. */
async function leakless(name: string, args: string[], extraEnv: Record<string, string>, expectCode?: (code: number | null) => boolean): Promise<{stdout: string; stderr: string; code: number | null}> {
	const e = env(name, extraEnv);
	const r = await runCli(args, e, {timeoutMs: 40_000});
	expect(r.killed, `${name}: hung`).toBe(false);
	if (expectCode) expect(expectCode(r.code), `${name}: exit ${r.code}\n${r.stdout}${r.stderr}`).toBe(true);
	expectNoSecret(`${name}: stdout`, r.stdout);
	expectNoSecret(`${name}: stderr`, r.stderr);
	for (const f of filesUnder(e.XDG_STATE_HOME!)) expectNoSecret(`${name}: ${f.file}`, f.text);
	return r;
}

const good = () => ['--hive', sim.url, '--redis', urls.redis, '--database', urls.pg];

describe('no secret in any output or file', () => {
	it('status, watch and check with every store reachable and authorised', {timeout: 60_000}, async () => {
		const ok = await leakless('status', ['status', ...good()], {HIVE_TOKEN: TOKEN});
		expect(ok.stdout, 'really connected to Redis').toMatch(/redis\s+ok|streams?/i);
		const json = await leakless('status-json', ['status', '--json', ...good()], {HIVE_TOKEN: TOKEN});
		const report = JSON.parse(json.stdout);
		expect(report.sources.hive.state).toBe('ok');
		expect(report.sources.redis.state, report.sources.redis.error).toBe('ok');
		expect(report.sources.postgres.state, report.sources.postgres.error).toBe('ok');
		await leakless('watch', ['watch', '--count', '2', '--interval', '1', ...good()], {HIVE_TOKEN: TOKEN});
		await simControl(sim.url).scenario('communication-failure');
		try {
			// A warning, so the alert is really posted with the basic-auth credentials.
			const check = await leakless('check', ['check', ...good(), '--alertmanager', urls.am], {HIVE_TOKEN: TOKEN}, (c) => c !== null && c >= 1 && c <= 3);
			expect(check.stderr).not.toMatch(/NOT delivered/);
			await leakless('check-unreachable-am', ['check', ...good(), '--alertmanager', urls.amUnreachable], {HIVE_TOKEN: TOKEN}, (c) => c === 69);
			await leakless('check-am-via-env', ['check', ...good()], {HIVE_TOKEN: TOKEN, ALERTMANAGER_URL: urls.amUnreachable}, (c) => c === 69);
			// The incident snapshot carries the configuration in use: with every password in it, none is written.
			const snap = await leakless('snapshot', ['snapshot', ...good(), '--alertmanager', urls.am], {HIVE_TOKEN: TOKEN}, (c) => c === 0);
			expect(snap.stdout).toMatch(/\.md\n[\s\S]*\.json/);
			const md = readFileSync(snap.stdout.match(/(\S+\.md)\n/)![1]!, 'utf8');
			expect(md, 'the snapshot really read Redis and PostgreSQL').toMatch(/## Redis streams[\s\S]*## Slow queries/);
		} finally {
			await simControl(sim.url).scenario('healthy');
		}
	});

	it('every failure: 401 from the hive, wrong passwords, an unencoded password, unreachable hosts', {timeout: 60_000}, async () => {
		const cases: Array<[string, string[], Record<string, string>]> = [
			['hive-401', ['status', '--hive', sim.url], {HIVE_TOKEN: WRONG_TOKEN}],
			['hive-no-token', ['status', '--json', '--hive', sim.url], {}],
			['redis-wrong-password', ['status', '--hive', sim.url, '--redis', urls.redisWrong], {HIVE_TOKEN: TOKEN}],
			['redis-unencoded', ['status', '--hive', sim.url, '--redis', urls.redisUnencoded], {HIVE_TOKEN: TOKEN}],
			['redis-unencoded-env', ['status', '--json', '--hive', sim.url], {HIVE_TOKEN: TOKEN, REDIS_URL: urls.redisUnencoded}],
			['redis-unreachable', ['status', '--json', '--hive', sim.url, '--redis', urls.redisUnreachable], {HIVE_TOKEN: TOKEN}],
			['pg-wrong-password', ['status', '--hive', sim.url, '--database', urls.pgWrong], {HIVE_TOKEN: TOKEN}],
			['pg-wrong-password-json', ['status', '--json', '--hive', sim.url], {HIVE_TOKEN: TOKEN, DATABASE_URL: urls.pgWrong}],
			['pg-unreachable', ['status', '--hive', sim.url, '--database', urls.pgUnreachable], {HIVE_TOKEN: TOKEN}],
			['hive-unreachable', ['status', '--hive', `http://127.0.0.1:${new URL(urls.amUnreachable).port}`, '--redis', urls.redisWrong, '--database', urls.pgWrong], {HIVE_TOKEN: TOKEN}],
			['watch-failing', ['watch', '--count', '2', '--interval', '1', '--hive', sim.url, '--redis', urls.redisWrong, '--database', urls.pgWrong], {HIVE_TOKEN: WRONG_TOKEN}],
			['check-failing', ['check', '--hive', sim.url, '--redis', urls.redisWrong, '--database', urls.pgWrong, '--alertmanager', urls.amUnreachable], {HIVE_TOKEN: WRONG_TOKEN}],
			['action-401', ['action', 'scale-up', '--yes', '--hive', sim.url, '--redis', urls.redisWrong], {HIVE_TOKEN: WRONG_TOKEN}],
			['playbook-401', ['playbook', 'communication-failure', '--yes', '--hive', sim.url, '--redis', urls.redisUnencoded], {HIVE_TOKEN: WRONG_TOKEN}],
		];
		const results = await Promise.all(cases.map(([name, args, e]) => leakless(name, args, e)));
		// The failures were real, and said so.
		const said = (name: string) => {
			const r = results[cases.findIndex((c) => c[0] === name)]!;
			return r.stdout + r.stderr;
		};
		expect(said('hive-401')).toMatch(/401|unauthori[sz]ed|token/i);
		expect(said('redis-wrong-password')).toMatch(/redis[^\n]*(WRONGPASS|password|auth)/i);
		expect(said('redis-unencoded')).toMatch(/percent-encode|malformed/i);
		expect(said('pg-wrong-password')).toMatch(/postgres[^\n]*(password|auth)/i);
		expect(said('check-failing')).toMatch(/NOT delivered/);
	});

	it('action, playbook and audit with the right credentials, and the audit log they leave', {timeout: 60_000}, async () => {
		const e = {HIVE_TOKEN: TOKEN};
		const auditLog = path.join(home, 'actions', 'audit.jsonl');
		const a = await leakless('action', ['action', 'memory-purge', '--yes', '--audit-log', auditLog, ...good()], e, (c) => c === 0);
		expect(a.stdout + a.stderr).toMatch(/memory/i);
		await leakless('action-dry-run', ['action', 'refresh-redis-pools', '--dry-run', '--audit-log', auditLog, ...good()], e);
		await leakless('playbook', ['playbook', 'communication-failure', '--dry-run', '--audit-log', auditLog, ...good()], e);
		await leakless('action-list', ['action', 'list', '--json', ...good()], e);
		await leakless('audit', ['audit', '--audit-log', auditLog], e, (c) => c === 0);
		await leakless('audit-json', ['audit', '--json', '--audit-log', auditLog], e, (c) => c === 0);
		expectNoSecret('audit.jsonl', readFileSync(auditLog, 'utf8'));
		expect(readFileSync(auditLog, 'utf8')).toMatch(/memory-purge/);
	});

	it('the console in tmux: the screen and every byte it wrote, with good and with failing credentials', {timeout: 80_000}, async () => {
		for (const [name, args, token] of [
			['console-good', good(), TOKEN],
			['console-failing', ['--hive', sim.url, '--redis', urls.redisUnencoded, '--database', urls.pgWrong], WRONG_TOKEN],
		] as const) {
			const e = env(name);
			const t = openTmux();
			const raw = path.join(home, `${name}.raw`);
			try {
				t.tmux('new-session', '-d', '-s', 'e2e', '-x', '160', '-y', '45', 'env -i PATH="$PATH" TERM=xterm-256color bash --norc --noprofile');
				t.tmux('set-option', '-t', 'e2e', 'status', 'off');
				t.tmux('pipe-pane', '-t', 'e2e', '-o', `cat >> ${raw}`);
				// Started from a script, so the shell's echo of the command line (which would carry the token the
				// test itself typed) is not among the bytes checked: only what the console wrote is.
				const launcher = path.join(home, `${name}.sh`);
				writeFileSync(launcher, `HOME=${e.HOME} XDG_STATE_HOME=${e.XDG_STATE_HOME} HIVE_TOKEN=${token} exec ${process.execPath} ${binPath} ${args.map((x) => `'${x}'`).join(' ')} --interval 1\n`);
				t.keys(`bash ${launcher}`, 'Enter');
				// Wait past the first poll of every source (PostgreSQL is polled every second interval).
				const s = await t.waitForScreen(`${name}: every source polled`, (text) => /updated|down|unauthori[sz]ed|malformed|refused/i.test(text) && !/pending|connecting/i.test(text.split('\n').slice(0, 3).join('\n')), 30_000);
				await new Promise((r) => setTimeout(r, 2500));
				const screens = [s, t.screen()];
				// The details and help views show more text (the error lines in full).
				for (const key of ['Enter', 'Escape', '4', 'Enter', 'Escape', '5', 'Enter', 'Escape', '?']) {
					t.keys(key);
					await new Promise((r) => setTimeout(r, 200));
					screens.push(t.screen());
				}
				t.keys('Escape');
				t.keys('q');
				await t.waitForScreen(`${name}: quit`, (text) => /[$#] ?$/m.test(text) && !text.includes('hive-console │'), 15_000);
				for (const text of screens) expectNoSecret(`${name}: the screen`, text);
				expectNoSecret(`${name}: the bytes written to the terminal`, readFileSync(raw, 'utf8'));
				for (const f of filesUnder(e.XDG_STATE_HOME!)) expectNoSecret(`${name}: ${f.file}`, f.text);
				if (name === 'console-failing') expect(screens.join('\n')).toMatch(/unauthori[sz]ed|401/i);
			} finally {
				t.kill();
			}
		}
	});
});
