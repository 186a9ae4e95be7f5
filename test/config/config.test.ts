// Configuration: precedence (flags > environment > config file > defaults), contexts, validation messages
// that name the file and key, and the token rules (never from a flag, never in a message).
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {ConfigError, resolveConfig} from '../../source/config/index.js';
import {redactText} from '../../source/util/redact.js';

let dir: string;
let env: Record<string, string>;

function writeConfig(content: unknown, file = path.join(dir, 'config', 'hive-console', 'config.json')): string {
	mkdirSync(path.dirname(file), {recursive: true});
	writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
	return file;
}

async function configError(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(ConfigError);
		return (error as Error).message;
	}
	throw new Error('expected a ConfigError');
}

beforeEach(() => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'hive-config-test-'));
	env = {HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_STATE_HOME: path.join(dir, 'state')};
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

const twoContexts = {
	currentContext: 'staging',
	contexts: {
		staging: {hive: 'http://staging:8100', interval: 10, apiProfile: 'beehive'},
		prod: {
			hive: 'https://hive.prod:8000',
			redis: 'redis://:s3cretpass@redis.prod:6379',
			readOnly: true,
			environment: {label: 'PROD', color: 'red'},
			thresholds: {successRate: {warning: 92}},
			escalation: {contacts: [{level: 'L1', name: 'DevOps on-call', via: 'PagerDuty'}], channels: [{name: '#incident-response', via: 'Slack'}]},
			keymap: {refresh: 'R'},
		},
	},
};

describe('resolveConfig', () => {
	it('follows the runbook without any configuration', async () => {
		const c = await resolveConfig({}, env);
		expect(c).toMatchObject({
			hiveUrl: 'http://localhost:8000',
			redisUrl: null,
			databaseUrl: null,
			apiProfile: 'auto',
			intervalMs: 5000,
			readOnly: false,
			contextName: null,
			configPath: null,
			checkLogPath: path.join(dir, 'state', 'hive-console', 'coordination-health.log'),
			auditLogPath: path.join(dir, 'state', 'hive-console', 'audit.jsonl'),
		});
		expect(c.thresholds.successRate.warning).toBe(90);
	});

	it('uses currentContext from the XDG config file', async () => {
		writeConfig(twoContexts);
		const c = await resolveConfig({}, env);
		expect(c).toMatchObject({contextName: 'staging', hiveUrl: 'http://staging:8100', intervalMs: 10_000, apiProfile: 'beehive'});
	});

	it('--context picks another context with all its settings', async () => {
		writeConfig(twoContexts);
		const c = await resolveConfig({context: 'prod'}, env);
		expect(c).toMatchObject({contextName: 'prod', hiveUrl: 'https://hive.prod:8000', readOnly: true, environment: {label: 'PROD', color: 'red'}});
		expect(c.thresholds.successRate).toMatchObject({warning: 92, target: 95, critical: 70});
		expect(c.escalation.contacts[0]!.name).toBe('DevOps on-call');
		expect(c.keymap).toEqual({refresh: 'R'});
	});

	it('flags beat the chosen context, which beats the environment, which beats the defaults', async () => {
		writeConfig(twoContexts);
		// The context (currentContext "staging") sets the hive: a HIVE_URL left in the shell does not move it.
		const withEnv = await resolveConfig({}, {...env, HIVE_URL: 'http://from-env:1'});
		expect(withEnv.hiveUrl).toBe('http://staging:8100');
		expect(withEnv.origins.hive).toBe('file');
		const withFlag = await resolveConfig({hive: 'http://from-flag:2', interval: 3}, {...env, HIVE_URL: 'http://from-env:1'});
		expect(withFlag.hiveUrl).toBe('http://from-flag:2');
		expect(withFlag.intervalMs).toBe(3000);
		expect(withFlag.origins).toMatchObject({hive: 'flag', interval: 'flag', apiProfile: 'file'});
		// What the context leaves unset, the environment fills; without a context the environment counts.
		expect((await resolveConfig({}, {...env, REDIS_URL: 'redis://from-env:6379'})).redisUrl).toBe('redis://from-env:6379');
		rmSync(path.join(dir, 'config'), {recursive: true, force: true});
		const noFile = await resolveConfig({}, {...env, HIVE_URL: 'http://from-env:1'});
		expect(noFile.hiveUrl).toBe('http://from-env:1');
		expect(noFile.origins.hive).toBe('env');
		expect(noFile.warnings).toEqual([]);
	});

	it('warns when an environment variable is outvoted by the context asked for by name', async () => {
		const file = writeConfig(twoContexts);
		const c = await resolveConfig({context: 'prod'}, {...env, HIVE_URL: 'http://elsewhere:1'});
		expect(c.hiveUrl).toBe('https://hive.prod:8000');
		expect(c.warnings).toEqual([
			`HIVE_URL is set but not used: context "prod" (chosen with --context) sets hive to https://hive.prod:8000 at ${file}:1:134: contexts.prod.hive, and a context wins over the environment; unset HIVE_URL, or pass --hive to use another value for one run`,
		]);
	});

	it('--config reads another file, and a missing one is an error', async () => {
		const file = writeConfig({contexts: {only: {hive: 'http://only:1'}}}, path.join(dir, 'elsewhere.json'));
		expect((await resolveConfig({config: file}, env)).hiveUrl).toBe('http://only:1');
		expect(await configError(resolveConfig({config: path.join(dir, 'nope.json')}, env))).toContain('nope.json: no such file');
	});

	it('names file, line, column and key for a bad value', async () => {
		const file = writeConfig({contexts: {prod: {interval: 0}}});
		expect(await configError(resolveConfig({}, env))).toBe(`${file}:1:33: contexts.prod.interval: expected a number ≥ 1`);
		writeConfig({contexts: {prod: {interval: 'fast'}}});
		expect(await configError(resolveConfig({}, env))).toBe(`${file}:1:33: contexts.prod.interval: expected a number ≥ 1`);
	});

	it('names an unknown key (a typo) with the key it resembles, and an unknown profile', async () => {
		const file = writeConfig({contexts: {prod: {hvie: 'http://x'}}});
		expect(await configError(resolveConfig({}, env))).toBe(`${file}:1:22: contexts.prod: unknown key "hvie" (did you mean "hive"?)`);
		writeConfig({contexts: {prod: {apiProfile: 'v2'}}});
		expect(await configError(resolveConfig({}, env))).toBe(`${file}:1:35: contexts.prod.apiProfile: expected one of auto, runbook, beehive`);
	});

	it('names a wrong URL scheme, and a currentContext that names nothing', async () => {
		const file = writeConfig({contexts: {prod: {redis: 'http://redis:6379'}}});
		expect(await configError(resolveConfig({}, env))).toContain(`${file}:1:30: contexts.prod.redis: expected a redis:// or rediss:// URL`);
		writeConfig({currentContext: 'nope', contexts: {prod: {}}});
		expect(await configError(resolveConfig({}, env))).toBe(`${file}:1:19: currentContext: names no context (defined: prod)`);
	});

	it('reports broken JSON without echoing a password from it', async () => {
		writeConfig('{"contexts": {"prod": {"redis": "redis://:hunter2pass@r:6379"},}}');
		const message = await configError(resolveConfig({}, env));
		expect(message).toContain('not valid JSON');
		expect(message).not.toContain('hunter2pass');
	});

	it('rejects an unknown --context and lists the defined ones', async () => {
		writeConfig(twoContexts);
		expect(await configError(resolveConfig({context: 'dev'}, env))).toContain('--context dev: ');
		expect(await configError(resolveConfig({context: 'dev'}, env))).toContain('defined: staging, prod');
	});

	it('names a bad flag and a bad environment variable', async () => {
		expect(await configError(resolveConfig({hive: 'localhost:8000'}, env))).toContain('--hive: expected a http:// or https:// URL');
		expect(await configError(resolveConfig({}, {...env, REDIS_URL: 'nonsense'}))).toContain('environment variable REDIS_URL: expected a redis://');
		expect(await configError(resolveConfig({apiProfile: 'x'}, env))).toBe('--api-profile: expected one of auto, runbook, beehive');
		expect(await configError(resolveConfig({interval: 0.5}, env))).toBe('--interval: expected a number of seconds ≥ 1');
	});

	it('takes the token from HIVE_TOKEN or --token-file and registers it as a secret', async () => {
		const fromEnv = await resolveConfig({}, {...env, HIVE_TOKEN: 'env-token-123456'});
		expect(fromEnv.hiveToken).toBe('env-token-123456');
		const tokenFile = path.join(dir, 'token');
		writeFileSync(tokenFile, 'file-token-abcdef\n');
		const fromFile = await resolveConfig({tokenFile}, {...env, HIVE_TOKEN: 'env-token-123456'});
		expect(fromFile.hiveToken).toBe('file-token-abcdef');
		expect(redactText('sent file-token-abcdef')).toBe('sent ***');
		writeFileSync(tokenFile, '');
		expect(await configError(resolveConfig({tokenFile}, env))).toContain('the file is empty');
	});

	it('registers passwords in URLs as secrets', async () => {
		await resolveConfig({redis: 'redis://:pw-in-url-999@127.0.0.1:6379'}, env);
		expect(redactText('error near pw-in-url-999')).toBe('error near ***');
	});

	it('refuses credentials in the hive URL (they would not be sent; the token goes in HIVE_TOKEN)', async () => {
		const message = await configError(resolveConfig({hive: 'http://user:topsecret@hive:8000'}, env));
		expect(message).toContain('use HIVE_TOKEN or --token-file');
		expect(message).not.toContain('topsecret');
	});

	it('takes the check log from --log-file, then the context, then the XDG state dir', async () => {
		writeConfig({contexts: {prod: {checkLog: '~/logs/check.log'}}});
		expect((await resolveConfig({}, env)).checkLogPath).toBe(path.join(dir, 'logs', 'check.log'));
		expect((await resolveConfig({logFile: '/tmp/x.log'}, env)).checkLogPath).toBe('/tmp/x.log');
	});
});
