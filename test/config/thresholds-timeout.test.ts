// The stale-heartbeat threshold in the config file, and the one-shot deadline flag.
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {ConfigError, resolveConfig} from '../../source/config/index.js';

let dir: string;
let env: Record<string, string>;

beforeEach(() => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'hive-config-test-'));
	env = {HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_STATE_HOME: path.join(dir, 'state')};
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

function writeConfig(content: unknown): string {
	const file = path.join(dir, 'config', 'hive-console', 'config.json');
	mkdirSync(path.dirname(file), {recursive: true});
	writeFileSync(file, JSON.stringify(content));
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

describe('stale-heartbeat threshold', () => {
	it('defaults to 300 s and comes from a context\'s thresholds.staleHeartbeatSeconds', async () => {
		expect((await resolveConfig({}, env)).thresholds.staleHeartbeatSeconds).toBe(300);
		writeConfig({contexts: {prod: {thresholds: {staleHeartbeatSeconds: 600, successRate: {warning: 92}}}}});
		const c = await resolveConfig({}, env);
		expect(c.thresholds.staleHeartbeatSeconds).toBe(600);
		expect(c.thresholds.successRate.warning).toBe(92);
	});

	it('names file, line, column and key for a bad value', async () => {
		const file = writeConfig({contexts: {prod: {thresholds: {staleHeartbeatSeconds: 0}}}});
		expect(await configError(resolveConfig({}, env))).toBe(`${file}:1:60: contexts.prod.thresholds.staleHeartbeatSeconds: expected a number of seconds ≥ 1`);
	});
});

describe('--timeout', () => {
	it('defaults to 10 s whatever the interval', async () => {
		expect(await resolveConfig({interval: 2}, env)).toMatchObject({timeoutMs: 10_000, intervalMs: 2000});
		expect((await resolveConfig({timeout: 6.5}, env)).timeoutMs).toBe(6500);
	});

	it.each([0, -3, 31, Number.NaN, 'ten'])('refuses %s naming the flag', async (value) => {
		expect(await configError(resolveConfig({timeout: value}, env))).toBe('--timeout: expected a number of seconds from 1 to 30');
	});
});
