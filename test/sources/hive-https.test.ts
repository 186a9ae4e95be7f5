// An https hive: the client speaks TLS to it (node:https loads only for such a URL), and a certificate the
// machine does not trust is a configuration problem named as a TLS failure, not a hive that is down.
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import https from 'node:https';
import type {AddressInfo} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createHiveClient, HiveRequestError} from '../../source/sources/hive-client.js';

let server: https.Server;
let url: string;
beforeAll(async () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'hive-tls-'));
	const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], {encoding: 'utf8'});
	if (made.status !== 0) throw new Error(`openssl: ${made.stderr}`);
	server = https.createServer({key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem'))}, (_req, res) => {
		res.writeHead(200, {'content-type': 'application/json'});
		res.end('{"status":"healthy"}');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('an https hive', () => {
	it('is spoken to over TLS; a self-signed certificate is a TLS failure that names the hive', async () => {
		const client = createHiveClient({baseUrl: url, timeoutMs: 5000});
		const error = await client.getJson({method: 'GET', path: '/health'}).catch((e: unknown) => e);
		await client.close();
		expect(error).toBeInstanceOf(HiveRequestError);
		expect((error as HiveRequestError).kind).toBe('misconfigured');
		expect((error as HiveRequestError).message).toMatch(/^GET \/health: TLS failure talking to https:\/\/127\.0\.0\.1:\d+ \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/);
	});
});
