// The /_sim control API for tests and demos: switch scenario, read the world, inject exact faults, turn
// bearer auth on or off, and move the simulated clock. Never faulted, never behind auth.
import {z} from 'zod';
import type {SimContext} from './context.js';
import {FAULT_MODES, faultRequestSchema} from './faults.js';
import {HttpError, parseBody, validationError} from './http-errors.js';
import {jsonReply, type Router} from './http-server.js';
import {agentsByStatus, coordinationFigures, staleActiveAgents, taskCounts} from './metrics.js';
import {SCENARIOS, SCENARIO_DESCRIPTIONS, isScenario} from './scenarios.js';
import {agentJson, taskJson} from './json-views.js';
import {AGENT_STATUSES, PRIORITIES, SECOND} from './world.js';

export function stateBody(ctx: SimContext): Record<string, unknown> {
	const world = ctx.world;
	const figures = coordinationFigures(world);
	return {
		scenario: ctx.scenario,
		faults: {...world.faults},
		halted: world.halted,
		simulated_time: new Date(world.now).toISOString(),
		simulated_epoch_ms: world.now,
		config: {
			heartbeat_interval: world.config.heartbeatInterval,
			coordination_timeout: world.config.coordinationTimeout,
			speed: ctx.config.speed,
			seed: ctx.config.seed,
			profile: ctx.config.profile,
			redis: ctx.config.redisUrl !== null,
			database: ctx.config.databaseUrl !== null,
			log_file: ctx.config.logFile !== null,
		},
		metrics: {...figures, avgCompletionMinutes: Number.isNaN(figures.avgCompletionMinutes) ? null : figures.avgCompletionMinutes, staleActiveAgents: staleActiveAgents(world), agentsByStatus: agentsByStatus(world)},
		agents: world.agents.map((a) => ({
			id: a.id,
			name: a.name,
			type: a.type,
			role: a.role,
			status: a.status,
			sick: a.sick,
			hot: world.hotAgents.has(a.id),
			last_heartbeat_ms: a.lastHeartbeat,
			stale: world.isStale(a),
			active_tasks: world.activeTaskCount(a),
			completed: a.completed,
			failed: a.failed,
		})),
		tasks: {
			total: world.tasks.size,
			live: world.live.size,
			...taskCounts(world),
			long_running_ids: world.longRunning().map((t) => t.id),
		},
		stores: {redis: ctx.redis, database: ctx.database},
		injected_faults: ctx.faults.list(),
		auth_enabled: ctx.auth.token !== null,
		health_mode: ctx.healthMode,
		dropped: {bus: world.busDropped, logs: world.logsDropped},
		http: ctx.serverStats(),
	};
}

/**
 * Any string a client can send, except what the hive's PostgreSQL could never have stored and so the real
 * hive could never send: U+0000 and unpaired surrogates. Nothing else is checked or changed, so agent names
 * and task titles with escape sequences, bidi overrides or 100,000 characters reach every endpoint as sent.
 */
const storableText = (max: number) =>
	z
		.string()
		.min(1)
		.max(max)
		.refine((s) => !s.includes('\u0000'), 'PostgreSQL text cannot hold U+0000, so the hive could never send it')
		.refine((s) => !/\p{Surrogate}/u.test(s), 'unpaired surrogate: not valid Unicode, so the hive could never send it');

const injectAgentSchema = z.object({
	name: storableText(100_000),
	role: storableText(100_000).optional(),
	type: storableText(100_000).optional(),
	status: z.enum(AGENT_STATUSES).optional(),
});

const injectTaskSchema = z.object({
	title: storableText(100_000),
	priority: z.enum(PRIORITIES).optional(),
	agent_id: z.string().optional(),
	status: z.enum(['pending', 'assigned', 'in_progress']).optional(),
});

export function registerControlRoutes(router: Router): void {
	router.add('GET', '/_sim/state', (_req, ctx) => jsonReply(stateBody(ctx)), true);
	router.add(
		'POST',
		'/_sim/scenario',
		(req, ctx) => {
			const body = parseBody(z.object({name: z.string(), backdate: z.boolean().optional()}), req.body);
			if (!isScenario(body.name)) {
				throw validationError([{type: 'enum', loc: ['body', 'name'], msg: `Input should be ${SCENARIOS.map((s) => `'${s}'`).join(', ')}`, input: body.name, ctx: {expected: SCENARIOS.join(', ')}}]);
			}
			ctx.setScenario(body.name, body.backdate ?? true);
			return jsonReply({success: true, scenario: body.name, description: SCENARIO_DESCRIPTIONS[body.name]});
		},
		true,
	);
	router.add(
		'POST',
		'/_sim/fault',
		(req, ctx) => {
			const body = req.body as Record<string, unknown> | undefined;
			if (body && typeof body === 'object' && typeof body.mode === 'string' && !(FAULT_MODES as readonly string[]).includes(body.mode)) {
				throw validationError([{type: 'enum', loc: ['body', 'mode'], msg: `Input should be ${FAULT_MODES.map((m) => `'${m}'`).join(', ')}`, input: body.mode}]);
			}
			const fault = parseBody(faultRequestSchema, body);
			return jsonReply({success: true, fault: ctx.faults.set(fault.path.split('?')[0]!, fault.mode, fault.count, fault.delayMs)});
		},
		true,
	);
	router.add('GET', '/_sim/fault', (_req, ctx) => jsonReply({faults: ctx.faults.list()}), true);
	router.add(
		'DELETE',
		'/_sim/fault',
		(_req, ctx) => {
			ctx.faults.clear();
			return jsonReply({success: true});
		},
		true,
	);
	router.add(
		'POST',
		'/_sim/auth',
		(req, ctx) => {
			const body = parseBody(z.object({token: z.string().min(1).nullable()}), req.body);
			ctx.auth.token = body.token;
			return jsonReply({success: true, auth_enabled: body.token !== null});
		},
		true,
	);
	router.add(
		'POST',
		'/_sim/advance',
		(req, ctx) => {
			const body = parseBody(z.object({seconds: z.number().min(0).max(30 * 24 * 3600)}), req.body);
			ctx.world.advance(body.seconds * SECOND);
			return jsonReply({success: true, simulated_time: new Date(ctx.world.now).toISOString(), simulated_epoch_ms: ctx.world.now});
		},
		true,
	);
	router.add(
		'POST',
		'/_sim/agents',
		(req, ctx) => {
			const body = parseBody(injectAgentSchema, req.body);
			const agent = ctx.world.addAgent(ctx.world.now, {name: body.name, role: body.role, type: body.type});
			agent.lastHeartbeat = ctx.world.now;
			if (body.status) agent.status = body.status;
			return jsonReply({success: true, agent: agentJson(ctx.world, agent)});
		},
		true,
	);
	router.add(
		'POST',
		'/_sim/tasks',
		(req, ctx) => {
			const body = parseBody(injectTaskSchema, req.body);
			const status = body.status ?? (body.agent_id ? 'in_progress' : 'pending');
			const agent = body.agent_id ? ctx.world.agentById.get(body.agent_id) : undefined;
			if (body.agent_id && !agent) throw new HttpError(404, 'Agent not found');
			if (status !== 'pending' && !agent) {
				throw validationError([{type: 'missing', loc: ['body', 'agent_id'], msg: `Field required when status is ${status}`, input: body}]);
			}
			const task = ctx.world.addTask(body.title, body.priority, status === 'pending' ? null : agent!, status === 'in_progress');
			return jsonReply({success: true, task: taskJson(ctx.world, task)});
		},
		true,
	);
	router.add(
		'POST',
		'/_sim/health',
		(req, ctx) => {
			const body = parseBody(z.object({mode: z.enum(['full', 'minimal'])}), req.body);
			ctx.healthMode = body.mode;
			return jsonReply({success: true, mode: body.mode});
		},
		true,
	);
}
