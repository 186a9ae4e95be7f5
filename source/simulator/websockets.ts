// The shipped server's dashboard WebSockets (/api/dashboard/ws/{agents,coordination,tasks,system,dashboard})
// and their management routes, with the message types, envelopes, limits and ping/pong of its
// dashboard_websockets.py: a connection_established frame on connect, periodic agent/coordination/task/
// system updates (every 1, 10, 3 and 30 s of wall time, as the server's loop sends them) filled from the
// simulated world instead of the server's placeholders, and events pushed when the world changes (a scenario
// switch, an action). Served on the HTTP server's `upgrade` event; docs/hive-server-routes.md has the table.
import {randomUUID} from 'node:crypto';
import type http from 'node:http';
import type {Duplex} from 'node:stream';
import {WebSocket, WebSocketServer, type RawData} from 'ws';
import type {SimContext} from './context.js';
import {HttpError, parseBody} from './http-errors.js';
import {jsonReply, type Router} from './http-server.js';
import {coordinationMetrics, systemHealthBody} from './routes-monitoring.js';
import {isoTime, timeField} from './wire-format.js';
import {HOUR, type World} from './world.js';
import {z} from 'zod';

export const WS_PATH_PREFIX = '/api/dashboard/ws/';
export const SUBSCRIPTION_GROUPS = ['agents', 'coordination', 'tasks', 'system', 'alerts'] as const;
type Group = (typeof SUBSCRIPTION_GROUPS)[number];

/** Each endpoint's client type and fixed subscriptions (the dashboard endpoint takes them from its query). */
export const WS_ENDPOINTS = {
	agents: {clientType: 'agent_monitor', subscriptions: ['agents', 'system']},
	coordination: {clientType: 'coordination_monitor', subscriptions: ['coordination', 'alerts', 'system']},
	tasks: {clientType: 'task_monitor', subscriptions: ['tasks', 'agents']},
	system: {clientType: 'system_monitor', subscriptions: ['system', 'alerts']},
	dashboard: {clientType: 'full_dashboard', subscriptions: null},
} as const;
type Endpoint = keyof typeof WS_ENDPOINTS;
const DEFAULT_SUBSCRIPTIONS = ['agents', 'coordination', 'tasks', 'system'];

/** The server's published WebSocket contract version and limits (its /websocket/limits). */
export const WS_CONTRACT_VERSION = '1.0.0';
export const WS_LIMITS = {
	rate_limit_tokens_per_second: 20,
	rate_limit_burst_capacity: 40,
	rate_limit_notify_cooldown_seconds: 5,
	max_inbound_message_bytes: 64 * 1024,
	max_subscriptions_per_connection: 10,
	backpressure_disconnect_threshold: 5,
};
const IDLE_DISCONNECT_MS = 600_000;
const ACTIVE_WINDOW_MS = 300_000;
// Beyond the server's own limits, so a hostile client cannot exhaust the simulator: frames above 1 MB close
// the socket (ws' maxPayload), a client that stops reading is dropped once 1 MB is queued for it, at most
// this many sockets are open, and a client-chosen id or subscription list is bounded.
const MAX_FRAME_BYTES = 1024 * 1024;
const MAX_BUFFERED_BYTES = 1024 * 1024;
const MAX_CONNECTIONS = 1000;
const MAX_ID_CHARS = 200;
const MAX_REQUESTED_SUBSCRIPTIONS = 50;
/** Events pushed in one burst (an auto-heal restarting every agent); the rest are counted in one event. */
const MAX_EVENTS_PER_FLUSH = 50;

interface Connection {
	id: string;
	ws: WebSocket;
	clientType: string;
	subscriptions: Set<string>;
	connectedAt: number;
	lastActivity: number;
	tokens: number;
	lastRefill: number;
	rateNotifiedAt: number | null;
	failureStreak: number;
}

export interface WebSocketStats {
	totalConnections: number;
	activeConnections: number;
	subscriptionCounts: Record<Group, number>;
	bytesSent: number;
	bytesReceived: number;
	lastBroadcastFanout: number;
}

const hubs = new WeakMap<SimContext, DashboardWebSockets>();

/** The gauges of the Prometheus endpoints; zeros on a simulator that serves no WebSockets (runbook profile). */
export function websocketStats(ctx: SimContext): WebSocketStats {
	return hubs.get(ctx)?.stats() ?? {totalConnections: 0, activeConnections: 0, subscriptionCounts: {agents: 0, coordination: 0, tasks: 0, system: 0, alerts: 0}, bytesSent: 0, bytesReceived: 0, lastBroadcastFanout: 0};
}

/** The world's clock as the server prints `datetime.utcnow().isoformat()`. */
const serverTime = (world: World) => isoTime(world.now, 'naive');

function rejectUpgrade(socket: Duplex, status: string, body = ''): void {
	if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
	socket.destroy();
}

// World actions whose effect is pushed to the clients, as the server broadcasts its resets and restarts.
const WATCHED_ACTIONS = [
	'coordinationReset',
	'restartAgent',
	'stopAllTasks',
	'restartAllAgents',
	'clearTaskQueue',
	'reassignTask',
	'retryTask',
	'emergencyStop',
	'restartOrchestrator',
	'rebalance',
	'refreshRedisPools',
	'scaleUp',
	'cleanup',
	'cancelTask',
] as const;

export class DashboardWebSockets {
	private readonly wss = new WebSocketServer({noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, clientTracking: false});
	private readonly connections = new Map<string, Connection>();
	private readonly groups = new Map<Group, Set<string>>(SUBSCRIPTION_GROUPS.map((g) => [g, new Set()]));
	private loop: NodeJS.Timeout | null = null;
	private readonly pendingEvents: Array<{type: string; data: Record<string, unknown>}> = [];
	private droppedEvents = 0;
	private flushScheduled = false;
	private closed = false;
	private counters = {bytesSent: 0, bytesReceived: 0, lastBroadcastFanout: 0};

	constructor(private readonly ctx: SimContext) {
		hubs.set(ctx, this);
		this.watchWorld();
	}

	// ------------------------------------------------------------------ world changes

	/**
	 * The world has no change feed, and the server pushes its resets and restarts as they happen: the
	 * scenario switch and the world's action methods are wrapped here, once, so every route that changes the
	 * world (either profile, /_sim) is seen without touching the routes.
	 */
	private watchWorld(): void {
		const ctx = this.ctx;
		const setScenario = ctx.setScenario.bind(ctx);
		ctx.setScenario = (name, backdate) => {
			setScenario(name, backdate);
			this.queueEvent('system_event', {event_type: 'scenario_changed', scenario: name, backdate, timestamp: serverTime(ctx.world)});
		};
		const world = ctx.world as unknown as Record<string, (...args: unknown[]) => unknown>;
		for (const name of WATCHED_ACTIONS) {
			const original = world[name]!.bind(ctx.world);
			world[name] = (...args: unknown[]) => {
				const result = original(...args);
				this.onAction(name, args, result);
				return result;
			};
		}
	}

	private onAction(name: (typeof WATCHED_ACTIONS)[number], args: unknown[], result: unknown): void {
		const world = this.ctx.world;
		const r = (result ?? {}) as Record<string, unknown>;
		if ('notFound' in r || 'error' in r || 'badRequest' in r) return;
		if (name === 'coordinationReset') {
			const actions = [`Reset ${String(r.stuckReset)} stuck tasks to pending`];
			if (args[0] !== 'soft') actions.push(`Reset ${String(r.agentsReset)} agents to maintenance mode`, 'Broadcast reset commands via Redis');
			this.queueEvent('coordination_reset', {reset_type: args[0], actions, timestamp: serverTime(world)});
		} else if (name === 'restartAgent') {
			const agent = r.agent as {id: string; name: string};
			this.queueEvent('agent_restart', {agent_id: agent.id, agent_name: agent.name, force: args[1] === true, active_tasks_reassigned: args[1] === true ? r.activeTasks : 0});
		} else {
			const summary: Record<string, unknown> = {};
			for (const [key, value] of Object.entries(r)) if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') summary[key] = value;
			if (typeof args[0] === 'string') summary.target_id = args[0];
			this.queueEvent('system_event', {event_type: name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), ...summary, timestamp: serverTime(world)});
		}
	}

	/** Events are sent together once the current request is done, followed by fresh updates of every group. */
	private queueEvent(type: string, data: Record<string, unknown>): void {
		if (this.closed || this.connections.size === 0) return;
		if (this.pendingEvents.length < MAX_EVENTS_PER_FLUSH) this.pendingEvents.push({type, data});
		else this.droppedEvents++;
		if (this.flushScheduled) return;
		this.flushScheduled = true;
		setImmediate(() => {
			this.flushScheduled = false;
			const events = this.pendingEvents.splice(0);
			for (const event of events) this.broadcastToAll(event.type, event.data);
			if (this.droppedEvents > 0) {
				this.broadcastToAll('system_event', {event_type: 'events_coalesced', count: this.droppedEvents, timestamp: serverTime(this.ctx.world)});
				this.droppedEvents = 0;
			}
			for (const group of ['agents', 'coordination', 'tasks', 'system'] as const) this.sendUpdate(group);
		});
	}

	// ------------------------------------------------------------------ periodic updates

	private updateData(group: 'agents' | 'coordination' | 'tasks' | 'system'): {type: string; data: Record<string, unknown>} {
		const world = this.ctx.world;
		const lastUpdated = serverTime(world);
		switch (group) {
			case 'agents': {
				let active = 0;
				let healthy = 0;
				let degraded = 0;
				for (const agent of world.agents) {
					if (agent.status === 'inactive') continue;
					const working = agent.status === 'active' || agent.status === 'busy';
					if (working) active++;
					if (working && agent.lastHeartbeat !== null && !world.isStale(agent)) healthy++;
					else degraded++;
				}
				return {type: 'agent_update', data: {active_count: active, health_summary: {healthy, degraded}, last_updated: lastUpdated}};
			}
			case 'coordination': {
				const m = coordinationMetrics(world);
				return {type: 'coordination_update', data: {success_rate: m.success_rate, total_tasks: m.total_tasks, trend: m.trend_direction, last_updated: lastUpdated}};
			}
			case 'tasks': {
				let queue = 0;
				let inProgress = 0;
				for (const task of world.liveTasks()) {
					if (task.status === 'pending' || task.status === 'assigned') queue++;
					else if (task.status === 'in_progress') inProgress++;
				}
				return {type: 'task_update', data: {queue_length: queue, in_progress: inProgress, failed_recent: world.finishedWindow(HOUR).failed, last_updated: lastUpdated}};
			}
			case 'system': {
				const health = this.systemHealth();
				return {type: 'system_update', data: {overall_health: health.overall, database_status: health.database, redis_status: health.redis, last_updated: lastUpdated}};
			}
		}
	}

	private systemHealth(): {overall: string; database: string; redis: string; components: Record<string, unknown>} {
		try {
			const body = systemHealthBody(this.ctx, false) as {overall_health: {status: string}; components: Record<string, {status: string}>};
			return {overall: body.overall_health.status, database: body.components.database!.status, redis: body.components.redis!.status, components: body.components};
		} catch {
			// The configured database is down: the server's health read fails with it.
			return {overall: 'critical', database: 'unhealthy', redis: this.ctx.redis.healthy ? 'healthy' : 'unhealthy', components: {}};
		}
	}

	private sendUpdate(group: 'agents' | 'coordination' | 'tasks' | 'system', only?: Connection): void {
		if (only) {
			if (!only.subscriptions.has(group)) return;
			const {type, data} = this.updateData(group);
			this.send(only, {type, subscription: group, data, timestamp: serverTime(this.ctx.world), correlation_id: randomUUID()});
			return;
		}
		if (this.groups.get(group)!.size === 0) return;
		const {type, data} = this.updateData(group);
		this.broadcastToSubscription(group, type, data);
	}

	private tick(): void {
		const now = Date.now();
		for (const connection of [...this.connections.values()]) {
			if (now - connection.lastActivity < IDLE_DISCONNECT_MS) continue;
			this.send(connection, {type: 'disconnect_notice', reason: 'idle_timeout', timestamp: serverTime(this.ctx.world)});
			this.disconnect(connection.id, 1000);
		}
		const second = Math.floor(now / 1000);
		this.sendUpdate('agents');
		if (second % 10 === 0) this.sendUpdate('coordination');
		if (second % 3 === 0) this.sendUpdate('tasks');
		if (second % 30 === 0) this.sendUpdate('system');
	}

	// ------------------------------------------------------------------ sending

	private send(connection: Connection, message: Record<string, unknown>): boolean {
		if (!this.connections.has(connection.id) || connection.ws.readyState !== WebSocket.OPEN) return false;
		if (!('correlation_id' in message)) message.correlation_id = randomUUID();
		if (connection.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
			// A client that stopped reading: the server's backpressure rule drops it after five failed sends.
			if (++connection.failureStreak >= WS_LIMITS.backpressure_disconnect_threshold) this.disconnect(connection.id, 1008);
			return false;
		}
		const text = JSON.stringify(message);
		connection.ws.send(text);
		connection.failureStreak = 0;
		this.counters.bytesSent += Buffer.byteLength(text);
		return true;
	}

	broadcastToSubscription(group: string, type: string, data: Record<string, unknown>): number {
		const members = this.groups.get(group as Group);
		if (!members) return 0;
		const message = {type, subscription: group, data, timestamp: serverTime(this.ctx.world), correlation_id: randomUUID()};
		let sent = 0;
		for (const id of [...members]) if (this.send(this.connections.get(id)!, {...message})) sent++;
		this.counters.lastBroadcastFanout = sent;
		return sent;
	}

	private broadcastToAll(type: string, data: Record<string, unknown>): number {
		const message = {type, data, timestamp: serverTime(this.ctx.world), correlation_id: randomUUID()};
		let sent = 0;
		for (const connection of [...this.connections.values()]) if (this.send(connection, {...message})) sent++;
		this.counters.lastBroadcastFanout = sent;
		return sent;
	}

	private error(connection: Connection, message: string): void {
		this.send(connection, {type: 'error', message, timestamp: serverTime(this.ctx.world), correlation_id: randomUUID()});
	}

	// ------------------------------------------------------------------ connections

	/** The HTTP server's `upgrade` event. */
	upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
		socket.on('error', () => socket.destroy());
		const target = req.url ?? '/';
		const q = target.indexOf('?');
		const path = q >= 0 ? target.slice(0, q) : target;
		const query = new URLSearchParams(q >= 0 ? target.slice(q + 1) : '');
		const name = path.startsWith(WS_PATH_PREFIX) ? path.slice(WS_PATH_PREFIX.length) : '';
		// Starlette closes a WebSocket it will not accept before the handshake, which uvicorn answers with 403.
		if (this.closed || !Object.hasOwn(WS_ENDPOINTS, name)) return rejectUpgrade(socket, '403 Forbidden');
		if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') return rejectUpgrade(socket, '400 Bad Request');
		if (this.ctx.auth.token !== null && req.headers.authorization !== `Bearer ${this.ctx.auth.token}`) return rejectUpgrade(socket, '403 Forbidden');
		if (this.connections.size >= MAX_CONNECTIONS) return rejectUpgrade(socket, '503 Service Unavailable', JSON.stringify({detail: 'Too many WebSocket connections'}));
		this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, name as Endpoint, query));
	}

	private accept(ws: WebSocket, endpoint: Endpoint, query: URLSearchParams): void {
		const requestedId = query.get('connection_id');
		let id = requestedId && requestedId.length <= MAX_ID_CHARS ? requestedId : randomUUID();
		if (this.connections.has(id)) id = randomUUID();
		const spec = WS_ENDPOINTS[endpoint];
		let subscriptions: string[] = spec.subscriptions ? [...spec.subscriptions] : [];
		if (!spec.subscriptions) {
			const raw = query.get('subscriptions') ?? DEFAULT_SUBSCRIPTIONS.join(',');
			subscriptions = raw
				.split(',', MAX_REQUESTED_SUBSCRIPTIONS)
				.map((s) => s.trim().slice(0, MAX_ID_CHARS))
				.filter(Boolean);
		}
		if (subscriptions.length === 0) subscriptions = [...DEFAULT_SUBSCRIPTIONS];
		const now = Date.now();
		const connection: Connection = {
			id,
			ws,
			clientType: spec.clientType,
			subscriptions: new Set(subscriptions),
			connectedAt: now,
			lastActivity: now,
			tokens: WS_LIMITS.rate_limit_burst_capacity,
			lastRefill: now,
			rateNotifiedAt: null,
			failureStreak: 0,
		};
		this.connections.set(id, connection);
		for (const s of connection.subscriptions) this.groups.get(s as Group)?.add(id);
		ws.on('message', (data, isBinary) => this.receive(connection, data, isBinary));
		ws.on('close', () => this.disconnect(id));
		ws.on('error', () => this.disconnect(id, 1011));
		this.loop ??= setInterval(() => this.tick(), 1000);
		this.send(connection, {
			type: 'connection_established',
			connection_id: id,
			subscriptions: [...connection.subscriptions],
			server_time: serverTime(this.ctx.world),
			contract_version: WS_CONTRACT_VERSION,
		});
		// The server's update loop starts with the first connection and sends at once: the initial state.
		for (const group of ['agents', 'coordination', 'tasks', 'system'] as const) this.sendUpdate(group, connection);
	}

	disconnect(id: string, code?: number): void {
		const connection = this.connections.get(id);
		if (!connection) return;
		this.connections.delete(id);
		for (const members of this.groups.values()) members.delete(id);
		if (code !== undefined && connection.ws.readyState === WebSocket.OPEN) connection.ws.close(code);
		else if (connection.ws.readyState !== WebSocket.CLOSED) connection.ws.terminate();
		if (this.connections.size === 0 && this.loop) {
			clearInterval(this.loop);
			this.loop = null;
		}
	}

	/** The server's token bucket: 20 messages a second, bursts of 40, one "Rate limit exceeded" per 5 s. */
	private allow(connection: Connection): boolean {
		const now = Date.now();
		const elapsed = (now - connection.lastRefill) / 1000;
		if (elapsed > 0) {
			connection.tokens = Math.min(WS_LIMITS.rate_limit_burst_capacity, connection.tokens + elapsed * WS_LIMITS.rate_limit_tokens_per_second);
			connection.lastRefill = now;
		}
		if (connection.tokens >= 1) {
			connection.tokens -= 1;
			if (connection.tokens > WS_LIMITS.rate_limit_tokens_per_second / 2) connection.rateNotifiedAt = null;
			return true;
		}
		if (connection.rateNotifiedAt === null || now - connection.rateNotifiedAt >= WS_LIMITS.rate_limit_notify_cooldown_seconds * 1000) {
			connection.rateNotifiedAt = now;
			this.error(connection, 'Rate limit exceeded');
		}
		return false;
	}

	private receive(connection: Connection, data: RawData, isBinary: boolean): void {
		const bytes = Array.isArray(data) ? data.reduce((a, b) => a + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
		this.counters.bytesReceived += bytes;
		if (!this.connections.has(connection.id)) return;
		if (isBinary) {
			// Starlette's receive_text() fails on a binary frame and the server's loop ends the connection.
			this.error(connection, 'Binary frames are not supported; send JSON text');
			return this.disconnect(connection.id, 1003);
		}
		let message: unknown;
		try {
			message = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
		} catch {
			return this.error(connection, 'Invalid JSON message format');
		}
		connection.lastActivity = Date.now();
		if (bytes > WS_LIMITS.max_inbound_message_bytes) return this.error(connection, 'Message too large');
		if (!this.allow(connection)) return;
		if (message === null || typeof message !== 'object' || Array.isArray(message)) return this.error(connection, 'Invalid message: expected a JSON object');
		const m = message as Record<string, unknown>;
		const list = (value: unknown) => (Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string').slice(0, MAX_REQUESTED_SUBSCRIPTIONS) : []);
		switch (m.type) {
			case 'ping':
				this.send(connection, {type: 'pong', timestamp: serverTime(this.ctx.world)});
				return;
			case 'subscribe': {
				const requested = new Set(list(m.subscriptions));
				let valid = [...requested].filter((s) => (SUBSCRIPTION_GROUPS as readonly string[]).includes(s));
				const invalid = [...requested].filter((s) => !(SUBSCRIPTION_GROUPS as readonly string[]).includes(s)).sort();
				if (new Set([...connection.subscriptions, ...valid]).size > WS_LIMITS.max_subscriptions_per_connection) {
					this.error(connection, 'Too many subscriptions requested');
					valid = valid.slice(0, Math.max(0, WS_LIMITS.max_subscriptions_per_connection - connection.subscriptions.size));
				}
				for (const s of valid) {
					connection.subscriptions.add(s);
					this.groups.get(s as Group)!.add(connection.id);
				}
				if (invalid.length > 0) this.error(connection, `Invalid subscription(s): ${invalid.map((s) => s.slice(0, 100)).join(', ')}`);
				this.send(connection, {type: 'subscription_updated', subscriptions: [...connection.subscriptions].sort()});
				return;
			}
			case 'unsubscribe':
				for (const s of list(m.subscriptions)) {
					connection.subscriptions.delete(s);
					this.groups.get(s as Group)?.delete(connection.id);
				}
				this.send(connection, {type: 'subscription_updated', subscriptions: [...connection.subscriptions].sort()});
				return;
			case 'request_data':
				return this.dataRequest(connection, m.data_type);
			default: {
				const shown = m.type === undefined || m.type === null ? 'None' : String(m.type).slice(0, 100);
				return this.error(connection, `Unknown message type: ${shown}`);
			}
		}
	}

	private dataRequest(connection: Connection, dataType: unknown): void {
		const world = this.ctx.world;
		let data: Record<string, unknown>;
		if (dataType === 'agent_status') {
			const agents = world.agents.map((a) => ({agent_id: a.id, name: a.name, status: a.status, last_heartbeat: timeField(a.lastHeartbeat, a.id, 'last_heartbeat')}));
			data = {agents, summary: {total: agents.length, active: world.agents.filter((a) => a.status === 'active' || a.status === 'busy').length}};
		} else if (dataType === 'coordination_metrics') {
			const m = coordinationMetrics(world);
			data = {success_rate: m.success_rate, trend: m.trend_direction};
		} else if (dataType === 'system_health') {
			const health = this.systemHealth();
			data = {overall_status: health.overall, components: health.components};
		} else {
			const shown = dataType === undefined || dataType === null ? 'None' : String(dataType).slice(0, 100);
			this.send(connection, {type: 'data_error', data_type: dataType ?? null, error: `Unknown data type: ${shown}`, timestamp: serverTime(world), correlation_id: randomUUID()});
			return;
		}
		this.send(connection, {type: 'data_response', data_type: dataType, data});
	}

	// ------------------------------------------------------------------ stats and management routes

	stats(): WebSocketStats {
		const now = Date.now();
		let active = 0;
		for (const c of this.connections.values()) if (now - c.lastActivity < ACTIVE_WINDOW_MS) active++;
		const subscriptionCounts = Object.fromEntries(SUBSCRIPTION_GROUPS.map((g) => [g, this.groups.get(g)!.size])) as Record<Group, number>;
		return {totalConnections: this.connections.size, activeConnections: active, subscriptionCounts, ...this.counters};
	}

	private statsBody(): Record<string, unknown> {
		const s = this.stats();
		let oldest = Date.now();
		for (const c of this.connections.values()) oldest = Math.min(oldest, c.connectedAt);
		const running = this.loop !== null;
		return {
			total_connections: s.totalConnections,
			connections_by_type: {},
			subscription_counts: s.subscriptionCounts,
			active_connections: s.activeConnections,
			oldest_connection: isoTime(this.ctx.world.now - (Date.now() - oldest), 'naive'),
			background_tasks_running: s.totalConnections > 0 && running,
		};
	}

	registerRoutes(router: Router): void {
		const P = '/api/dashboard/websocket';
		router.add('GET', `${P}/stats`, (_req, ctx) =>
			jsonReply({
				websocket_stats: this.statsBody(),
				endpoints: Object.fromEntries(Object.keys(WS_ENDPOINTS).map((name) => [name, `${WS_PATH_PREFIX}${name}`])),
				subscription_types: [...SUBSCRIPTION_GROUPS],
				last_updated: serverTime(ctx.world),
			}),
		);
		router.add('GET', `${P}/limits`, (_req, ctx) => jsonReply({...WS_LIMITS, contract_version: WS_CONTRACT_VERSION, timestamp: serverTime(ctx.world)}));
		router.add('GET', `${P}/health`, (_req, ctx) => {
			const running = this.loop !== null;
			const redisOk = ctx.redis.configured && ctx.redis.healthy;
			const background = {broadcast_task: running, redis_listener: running && redisOk, health_monitor: running};
			const stats = this.statsBody();
			let score = 100;
			if (!redisOk) score -= 40;
			if (Object.values(background).filter(Boolean).length < 3 && (stats.total_connections as number) > 0) score -= 30;
			return jsonReply({
				websocket_manager: 'operational',
				background_tasks: background,
				connection_stats: stats,
				redis_connectivity: redisOk ? 'healthy' : `failed: ${ctx.redis.configured ? (ctx.redis.lastError ?? 'connection failed') : 'Redis is not configured'}`,
				overall_health: {score: Math.max(0, score), status: score >= 90 ? 'healthy' : score >= 70 ? 'degraded' : 'unhealthy'},
			});
		});
		router.add('POST', `${P}/broadcast`, (req, ctx) => {
			const subscription = req.query.get('subscription');
			const messageType = req.query.get('message_type');
			const missing = [['subscription', subscription], ['message_type', messageType]].filter(([, v]) => v === null).map(([name]) => ({type: 'missing', loc: ['query', name!], msg: 'Field required', input: null}));
			if (missing.length) throw new HttpError(422, missing);
			const data = req.body === undefined ? {} : parseBody(z.record(z.unknown()), req.body);
			if (!(SUBSCRIPTION_GROUPS as readonly string[]).includes(subscription!)) {
				return jsonReply({error: `Invalid subscription: ${subscription}`, valid_subscriptions: [...SUBSCRIPTION_GROUPS]});
			}
			const reached = this.broadcastToSubscription(subscription!, messageType!, data);
			return jsonReply({success: true, subscription, message_type: messageType, clients_reached: reached, timestamp: serverTime(ctx.world)});
		});
		router.add('POST', `${P}/disconnect/{id}`, (req, ctx) => {
			const id = req.params.id!;
			const reason = req.query.get('reason') ?? 'Administrative disconnect';
			const connection = this.connections.get(id);
			if (!connection) return jsonReply({error: 'Connection not found', connection_id: id, active_connections: [...this.connections.keys()]});
			this.send(connection, {type: 'disconnect_notice', reason, timestamp: serverTime(ctx.world)});
			this.disconnect(id, 1000);
			return jsonReply({success: true, connection_id: id, reason, timestamp: serverTime(ctx.world)});
		});
	}

	close(): void {
		this.closed = true;
		if (this.loop) clearInterval(this.loop);
		this.loop = null;
		for (const connection of [...this.connections.values()]) {
			this.connections.delete(connection.id);
			connection.ws.terminate();
		}
		for (const members of this.groups.values()) members.clear();
		this.wss.close();
	}
}
