// Which wins when a shell still holds HIVE_URL (or REDIS_URL, DATABASE_URL, ALERTMANAGER_URL, HIVE_TOKEN)
// from another hive: the context the config chose (by --context, currentContext, or as the only one) keeps
// every setting it names, and each variable it outvotes is named in a warning; a variable fills only what
// the context leaves unset; a flag beats both; and every setting says where it came from.
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {resolveConfig} from '../../source/config/index.js';

let dir: string;
let env: Record<string, string>;
let file: string;
let tokenFile: string;

const leftovers = {
	HIVE_URL: 'http://staging-hive:8100',
	REDIS_URL: 'redis://:staging-redis-pw@staging-redis:6379',
	DATABASE_URL: 'postgres://u:staging-db-pw@staging-db:5432/hive',
	ALERTMANAGER_URL: 'http://staging-am:9093',
	HIVE_TOKEN: 'staging-token-0123456789',
};

function writeConfig(content: unknown): void {
	mkdirSync(path.dirname(file), {recursive: true});
	writeFileSync(file, JSON.stringify(content, null, 2));
}

const prod = () => ({
	hive: 'https://hive.example.com',
	redis: 'rediss://:prod-redis-pw@redis.example.com:6380',
	database: 'postgres://leanvibe_user@db.example.com:5432/leanvibe_agent_hive',
	alertmanager: 'http://alertmanager.example.com:9093',
	tokenFile,
	environment: {label: 'PROD', color: 'red'},
});

beforeEach(() => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'hive-config-env-'));
	env = {HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_STATE_HOME: path.join(dir, 'state')};
	file = path.join(dir, 'config', 'hive-console', 'config.json');
	tokenFile = path.join(dir, 'prod.token');
	writeFileSync(tokenFile, 'prod-token-abcdefabcdef\n');
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

describe.each([
	['currentContext', {currentContext: 'prod'}, {}, 'the currentContext'],
	['--context', {currentContext: 'staging'}, {context: 'prod'}, 'chosen with --context'],
	['the only context', {}, {}, 'the only context'],
] as const)('a context chosen by %s', (_how, fileExtra, flags, said) => {
	it('keeps every connection setting it names, and names each variable it outvotes', async () => {
		const contexts: Record<string, unknown> = {prod: prod()};
		if ('currentContext' in fileExtra && fileExtra.currentContext === 'staging') contexts.staging = {hive: 'http://staging-hive:8100'};
		writeConfig({...fileExtra, contexts});
		const c = await resolveConfig({...flags}, {...env, ...leftovers});
		expect(c).toMatchObject({
			contextName: 'prod',
			hiveUrl: 'https://hive.example.com',
			redisUrl: 'rediss://:prod-redis-pw@redis.example.com:6380',
			databaseUrl: 'postgres://leanvibe_user@db.example.com:5432/leanvibe_agent_hive',
			alertmanagerUrl: 'http://alertmanager.example.com:9093',
			hiveToken: 'prod-token-abcdefabcdef',
			origins: {hive: 'file', redis: 'file', database: 'file', alertmanager: 'file'},
		});
		expect(c.warnings).toHaveLength(5);
		for (const [name, key] of [['HIVE_URL', 'hive'], ['REDIS_URL', 'redis'], ['DATABASE_URL', 'database'], ['ALERTMANAGER_URL', 'alertmanager'], ['HIVE_TOKEN', 'tokenFile']]) {
			const warning = c.warnings.find((w) => w.startsWith(`${name} is set but not used: context "prod" (${said})`));
			expect(warning, name).toBeDefined();
			expect(warning).toContain(`contexts.prod.${key}`);
			expect(warning).toContain(`unset ${name}`);
		}
		// The warnings show no password and no token, the context's nor the variables'.
		const all = c.warnings.join('\n');
		for (const secret of ['prod-redis-pw', 'staging-redis-pw', 'staging-db-pw', 'staging-token', 'prod-token']) expect(all).not.toContain(secret);
		// The line of the context's "hive" key in the file as written (2-space JSON), column after the key.
		const hiveLine = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('"https://hive.example.com"')) + 1;
		expect(c.originText.hive).toBe(`context "prod" (${file}:${hiveLine}:15: contexts.prod.hive)`);
		expect(c.originText.token).toMatch(/^context "prod" \(.*contexts\.prod\.tokenFile\)$/);
	});
});

describe('the environment', () => {
	it('fills what the chosen context leaves unset, and says so where the setting came from', async () => {
		writeConfig({currentContext: 'prod', contexts: {prod: {hive: 'https://hive.example.com'}}});
		const c = await resolveConfig({}, {...env, ...leftovers});
		expect(c).toMatchObject({
			hiveUrl: 'https://hive.example.com',
			redisUrl: leftovers.REDIS_URL,
			alertmanagerUrl: leftovers.ALERTMANAGER_URL,
			hiveToken: leftovers.HIVE_TOKEN,
			origins: {hive: 'file', redis: 'env', alertmanager: 'env'},
		});
		expect(c.warnings).toEqual([expect.stringMatching(/^HIVE_URL is set but not used/)]);
		expect(c.originText.redis).toBe('environment variable REDIS_URL (context "prod" does not set redis)');
		expect(c.originText.token).toBe('environment variable HIVE_TOKEN (context "prod" has no tokenFile)');
	});

	it('beats the defaults when no context is chosen (no file, or several contexts and no currentContext)', async () => {
		const none = await resolveConfig({}, {...env, ...leftovers});
		expect(none).toMatchObject({contextName: null, hiveUrl: leftovers.HIVE_URL, hiveToken: leftovers.HIVE_TOKEN, origins: {hive: 'env'}, warnings: []});
		expect(none.originText.hive).toBe('environment variable HIVE_URL');
		writeConfig({contexts: {a: {hive: 'http://a:1'}, b: {hive: 'http://b:1'}}});
		const unchosen = await resolveConfig({}, {...env, HIVE_URL: 'http://c:1'});
		expect(unchosen).toMatchObject({contextName: null, hiveUrl: 'http://c:1', warnings: []});
	});

	it('says nothing when the variable holds the same value as the context', async () => {
		writeConfig({contexts: {prod: prod()}});
		const c = await resolveConfig({}, {...env, HIVE_URL: 'https://hive.example.com', HIVE_TOKEN: 'prod-token-abcdefabcdef'});
		expect(c.warnings).toEqual([]);
	});

	it('a flag still beats the context for one run, and says so', async () => {
		writeConfig({contexts: {prod: prod()}});
		const c = await resolveConfig({hive: 'http://other:1', redis: 'redis://other:6379'}, env);
		expect(c).toMatchObject({hiveUrl: 'http://other:1', redisUrl: 'redis://other:6379', origins: {hive: 'flag', redis: 'flag', database: 'file'}});
		expect(c.originText).toMatchObject({hive: '--hive', redis: '--redis'});
	});

	it('an outvoted variable is not checked: a malformed leftover does not stop the context from working', async () => {
		writeConfig({contexts: {prod: prod()}});
		const c = await resolveConfig({}, {...env, REDIS_URL: 'nonsense'});
		expect(c.redisUrl).toBe('rediss://:prod-redis-pw@redis.example.com:6380');
		expect(c.warnings).toEqual([expect.stringMatching(/^REDIS_URL is set but not used/)]);
	});
});
