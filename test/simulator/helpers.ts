// Small helpers local to the simulator tests: HTTP calls against the spawned simulator and a tiny
// Prometheus text reader (the product parser in source/contract is someone else's and not used here).
export interface PromSample {
	name: string;
	labels: Record<string, string>;
	value: number;
}

export interface PromText {
	samples: PromSample[];
	help: Map<string, string>;
	types: Map<string, string>;
}

export function parseProm(text: string): PromText {
	const out: PromText = {samples: [], help: new Map(), types: new Map()};
	for (const line of text.split('\n')) {
		if (line === '') continue;
		let m = /^# HELP (\S+) (.*)$/.exec(line);
		if (m) {
			out.help.set(m[1]!, m[2]!);
			continue;
		}
		m = /^# TYPE (\S+) (\S+)$/.exec(line);
		if (m) {
			out.types.set(m[1]!, m[2]!);
			continue;
		}
		m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
		if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
		const labels: Record<string, string> = {};
		for (const pair of (m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) labels[pair[1]!] = pair[2]!;
		const raw = m[3]!;
		const value = raw === 'NaN' ? NaN : raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
		if (Number.isNaN(value) && raw !== 'NaN') throw new Error(`bad value in: ${line}`);
		out.samples.push({name: m[1]!, labels, value});
	}
	return out;
}

export function gauge(prom: PromText, name: string, labels: Record<string, string> = {}): number | undefined {
	return prom.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

export class Client {
	constructor(readonly base: string) {}

	async raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
		return fetch(this.base + path, {
			method,
			headers: body === undefined ? headers : {'content-type': 'application/json', ...headers},
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		});
	}

	async json(method: string, path: string, body?: unknown): Promise<{status: number; body: any}> {
		const res = await this.raw(method, path, body);
		return {status: res.status, body: await res.json()};
	}

	get = (path: string) => this.json('GET', path);
	post = (path: string, body?: unknown) => this.json('POST', path, body);

	async prom(path: string): Promise<PromText> {
		const res = await this.raw('GET', path);
		return parseProm(await res.text());
	}

	state = async () => (await this.get('/_sim/state')).body;
	advance = async (seconds: number) => this.post('/_sim/advance', {seconds});
	scenario = async (name: string, backdate = true) => this.post('/_sim/scenario', {name, backdate});
	coordination = async () => this.prom('/api/dashboard/metrics/coordination');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until check() returns a truthy value (the bridges flush on their own timers). */
export async function until<T>(what: string, check: () => Promise<T | undefined | false | null>, timeoutMs = 15_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	while (Date.now() < deadline) {
		try {
			const value = await check();
			if (value) return value;
		} catch (error) {
			last = error;
		}
		await sleep(100);
	}
	throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Agents the runbook calls problem agents: status error, or a heartbeat older than 300 s (parsed, not compared as text). */
export function problemAgents(list: {agents: any[]}, nowMs: number): string[] {
	const parse = (s: string | null) => (s === null ? null : Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(s) ? s : `${s}Z`));
	return list.agents
		.filter((a) => {
			const hb = parse(a.last_heartbeat);
			return a.status === 'error' || hb === null || nowMs - hb > 300_000;
		})
		.map((a) => a.id);
}
