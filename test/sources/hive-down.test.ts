// The hive source when nothing is listening, or the URL is wrong: no simulator needed, since the point is
// that there is no hive.
import {afterEach, describe, expect, it} from 'vitest';
import {createHiveSource, type HiveSource} from '../../source/sources/hive-http.js';
import {SourceError} from '../../source/sources/source.js';
import {freePort} from '../harness/services.js';

const TOKEN = 'tok-6f1e2d3c4b5a';
let source: HiveSource | null = null;
afterEach(async () => {
	await source?.close();
	source = null;
});

async function pollError(s: HiveSource): Promise<SourceError> {
	try {
		await s.poll(new AbortController().signal);
	} catch (error) {
		expect(error).toBeInstanceOf(SourceError);
		return error as SourceError;
	}
	throw new Error('poll succeeded against no hive');
}

describe('hive source with no hive', () => {
	it('says the connection was refused and where, for every profile setting', async () => {
		const port = await freePort();
		for (const profile of ['auto', 'runbook', 'beehive'] as const) {
			source = createHiveSource({baseUrl: `http://127.0.0.1:${port}`, profile, timeoutMs: 2000});
			const error = await pollError(source);
			expect(error.kind).toBe('down');
			expect(error.message).toMatch(new RegExp(`^hive GET /\\S+: connection refused; is the hive running at http://127\\.0\\.0\\.1:${port}\\?`));
			expect(error.message).not.toContain('\n');
			await source.close();
		}
	});

	it('never shows the token or a URL password', async () => {
		const port = await freePort();
		source = createHiveSource({baseUrl: `http://admin:pw-9a8b7c6d@127.0.0.1:${port}/hive`, token: TOKEN, profile: 'auto', timeoutMs: 2000});
		expect(source.client.displayUrl).toBe(`http://127.0.0.1:${port}/hive`);
		const error = await pollError(source);
		const text = `${error.message} ${String(error.cause ?? '')}`;
		expect(text).toContain(`127.0.0.1:${port}/hive`);
		expect(text).not.toContain(TOKEN);
		expect(text).not.toContain('pw-9a8b7c6d');
	});

	it('rejects a URL that is not http(s) as misconfigured', () => {
		expect(() => createHiveSource({baseUrl: 'redis://127.0.0.1:6379', profile: 'auto', timeoutMs: 1000})).toThrow(/must start with http:\/\/ or https:\/\//);
		try {
			createHiveSource({baseUrl: 'not a url', profile: 'auto', timeoutMs: 1000});
		} catch (error) {
			expect((error as SourceError).kind).toBe('misconfigured');
		}
	});

	it('names an unknown host as a configuration problem', async () => {
		source = createHiveSource({baseUrl: 'http://no-such-hive.invalid:8000', profile: 'beehive', timeoutMs: 5000});
		const error = await pollError(source);
		expect(error.kind).toBe('misconfigured');
		expect(error.message).toMatch(/host no-such-hive\.invalid not found; check the hive URL/);
	});

	it('fails closed after close()', async () => {
		source = createHiveSource({baseUrl: 'http://127.0.0.1:9', profile: 'runbook', timeoutMs: 1000});
		await source.close();
		await source.close();
		const error = await pollError(source);
		expect(error.message).toMatch(/client is closed/);
	});
});
