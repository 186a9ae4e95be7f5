// The hive's JSON bodies read through the schemas: any JSON value is read or refused with a BodyError,
// never another exception, and within the per-input budget; numbers written as text are read exactly as
// the old pattern read them (on short text), and no longer ones at all.
import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import {
	agentsListSchema,
	BodyError,
	healthSchema,
	heartbeatsSchema,
	parseBody,
	stuckTasksSchema,
	taskQueueSchema,
} from '../../source/contract/schemas.js';
import {ADVERSARIAL_BUDGET_MS, onlyOwnError, timed, warmUp, runs} from './budget.js';

const OLD_NUMERIC_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SCHEMAS = {agents: agentsListSchema, heartbeats: heartbeatsSchema, tasks: taskQueueSchema, health: healthSchema, stuck: stuckTasksSchema};

const AGENT = {id: 'a-1', name: 'n', status: 'active', last_heartbeat: '2025-08-07T10:29:45Z'};

// Values shaped like the hive's, with any field replaced by anything.
const fieldValue = fc.oneof(
	fc.jsonValue({maxDepth: 3}),
	fc.string({maxLength: 40}),
	fc.constantFrom('12', ' 7 ', '1e999', '-0', 'NaN', '0x1f', '', '2025-08-07T10:29:45Z', '0050-01-01T00:00:00', null),
);
const agent = fc.dictionary(fc.constantFrom('id', 'name', 'status', 'last_heartbeat', 'total_tasks_completed', 'average_response_time', 'health_score', 'created_at'), fieldValue).map((o) => ({...AGENT, ...o}));

describe('fuzz: JSON bodies', () => {
	beforeAll(() => warmUp((body: unknown) => Object.values(SCHEMAS).map((s) => s.safeParse(body)), [{agents: [AGENT]}, {agents: [{...AGENT, id: 3.5}]}, [1], 'x', {tasks: [{id: '\u001b漢'}]}]));

	it('every schema reads any JSON value or throws a BodyError, within the budget', () => {
		fc.assert(
			fc.property(fc.jsonValue({maxDepth: 4}), fc.constantFrom(...Object.keys(SCHEMAS)), (body, which) => {
				const {error} = timed(which, () => parseBody(`GET /${which}`, SCHEMAS[which as keyof typeof SCHEMAS], body));
				onlyOwnError(error, BodyError);
			}),
			{numRuns: runs(1000)},
		);
	});

	it('agent lists with any field off are read or refused with the field named', () => {
		fc.assert(
			fc.property(fc.array(agent, {maxLength: 5}), fieldValue, fieldValue, (agents, total, active) => {
				const body = {agents, total_agents: total, active_agents: active};
				const {result, error} = timed('agents', () => parseBody('GET /api/v1/agents/status', agentsListSchema, body));
				onlyOwnError(error, BodyError);
				if (error) expect((error as Error).message).toMatch(/^GET \/api\/v1\/agents\/status: \S/);
				else {
					for (const n of [result!.totalAgents, result!.activeAgents]) expect(n === null || Number.isFinite(n)).toBe(true);
					for (const a of result!.agents) for (const n of [a.tasksCompleted, a.averageResponseTime, a.healthScore]) expect(n === null || Number.isFinite(n)).toBe(true);
				}
			}),
			{numRuns: runs(1000)},
		);
	});

	it('reads numbers in text exactly as the old pattern did, on short text', () => {
		const text = fc.string({unit: fc.constantFrom('0', '5', '.', 'e', '+', '-', ' ', 'x'), maxLength: 14});
		fc.assert(
			fc.property(text, (t) => {
				const parsed = agentsListSchema.safeParse({agents: [], total_agents: t});
				const trimmed = t.trim();
				const old = OLD_NUMERIC_TEXT.test(trimmed) && Number.isFinite(Number(trimmed));
				expect(parsed.success).toBe(old);
				if (parsed.success) expect(parsed.data.totalAgents).toBe(Number(trimmed));
			}),
			{numRuns: runs(2000)},
		);
	});

	it('handles adversarial bodies within the budget', () => {
		let deep: unknown = 1;
		for (let i = 0; i < 2000; i++) deep = {agents: [deep]};
		const digits = '9'.repeat(150_000);
		const cases: unknown[] = [
			{agents: [], total_agents: `${digits}!`},
			{agents: [], total_agents: ` ${digits} `},
			{agents: [], total_agents: `${' '.repeat(200_000)}1`},
			{agents: [{...AGENT, total_tasks_completed: `.${digits}e${digits}`}]},
			{agents: [{...AGENT, last_heartbeat: `2025-08-07T10:30:00.${digits}Z`}]},
			{agents: [{...AGENT, name: 'n'.repeat(262_144)}]},
			{queue_statistics: {by_status: Object.fromEntries(Array.from({length: 5000}, (_, i) => [`s${i}`, `${i}`]))}, tasks: []},
			deep,
			JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`),
		];
		for (const [i, body] of cases.entries()) {
			for (const [which, schema] of Object.entries(SCHEMAS)) {
				const {error} = timed(`case ${i} ${which}`, () => parseBody(`GET /${which}`, schema, body), ADVERSARIAL_BUDGET_MS);
				onlyOwnError(error, BodyError);
			}
		}
	});
});
