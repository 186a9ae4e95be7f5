import {describe, expect, it} from 'vitest';
import {parsePrometheus, PrometheusParseError} from '../../source/contract/prometheus.js';
import {timed} from '../fuzz/budget.js';

// As the hive prints it (app/api/dashboard_prometheus.py): HELP/TYPE, samples, a blank line per family.
const AGENTS_PAGE = `# HELP leanvibe_agents_total Total number of agents by status
# TYPE leanvibe_agents_total gauge
leanvibe_agents_total{status="inactive"} 4
leanvibe_agents_total{status="active"} 3
leanvibe_agents_total{status="busy"} 1

# HELP leanvibe_agent_health_score Agent health score (0-100)
# TYPE leanvibe_agent_health_score gauge
leanvibe_agent_health_score{agent_name="backend-1",agent_id="3f1c9a2e-0b7d-4c1e-9a55-2d1b6f0e8a11"} 100
leanvibe_agent_health_score{agent_id="7d2e0c41-5a9b-4f3e-8c2d-1e0f9b8a7c66",agent_name="qa \\"lead\\"\\nnight\\\\shift"} 20

# HELP leanvibe_agents_stale_heartbeats Active agents with heartbeat older than 5 minutes
# TYPE leanvibe_agents_stale_heartbeats gauge
leanvibe_agents_stale_heartbeats 2
`;

const COORDINATION_PAGE = `# HELP leanvibe_coordination_success_rate Coordination success rate in percent
# TYPE leanvibe_coordination_success_rate gauge
leanvibe_coordination_success_rate 66.66666666666666

# HELP leanvibe_coordination_avg_completion_time_minutes Average completion time
# TYPE leanvibe_coordination_avg_completion_time_minutes gauge
leanvibe_coordination_avg_completion_time_minutes NaN

# HELP leanvibe_task_queue_length Pending and assigned tasks
# TYPE leanvibe_task_queue_length gauge
leanvibe_task_queue_length 12 1754562585000

# HELP leanvibe_tasks_long_running In progress for more than an hour
# TYPE leanvibe_tasks_long_running gauge

# a free comment
leanvibe_tasks_completed_per_hour +Inf
leanvibe_tasks_failed_per_hour -Inf
`;

describe('parsePrometheus', () => {
	it('reads the HELP line as a comment, never as the value (the runbook grep bug)', () => {
		const page = parsePrometheus(COORDINATION_PAGE);
		expect(page.value('leanvibe_coordination_success_rate')).toBe(66.66666666666666);
		expect(page.families.get('leanvibe_coordination_success_rate')?.help).toBe('Coordination success rate in percent');
		expect(page.families.get('leanvibe_coordination_success_rate')?.type).toBe('gauge');
	});

	it('keeps NaN, +Inf, -Inf and timestamps', () => {
		const page = parsePrometheus(COORDINATION_PAGE);
		expect(page.value('leanvibe_coordination_avg_completion_time_minutes')).toBeNaN();
		expect(page.value('leanvibe_tasks_completed_per_hour')).toBe(Number.POSITIVE_INFINITY);
		expect(page.value('leanvibe_tasks_failed_per_hour')).toBe(Number.NEGATIVE_INFINITY);
		expect(page.samples('leanvibe_task_queue_length')[0]?.timestampMs).toBe(1754562585000);
	});

	it('knows a family declared with no samples, distinct from an absent one', () => {
		const page = parsePrometheus(COORDINATION_PAGE);
		expect(page.has('leanvibe_tasks_long_running')).toBe(true);
		expect(page.value('leanvibe_tasks_long_running')).toBeNull();
		expect(page.has('leanvibe_nothing')).toBe(false);
	});

	it('matches labels exactly: active is not inactive', () => {
		const page = parsePrometheus(AGENTS_PAGE);
		expect(page.value('leanvibe_agents_total', {status: 'active'})).toBe(3);
		expect(page.value('leanvibe_agents_total', {status: 'inactive'})).toBe(4);
		expect(page.byLabel('leanvibe_agents_total', 'status')).toEqual({inactive: 4, active: 3, busy: 1});
	});

	it('reads labels in any order with escapes', () => {
		const page = parsePrometheus(AGENTS_PAGE);
		const scores = page.samples('leanvibe_agent_health_score');
		expect(scores.map((s) => s.labels.agent_id)).toEqual(['3f1c9a2e-0b7d-4c1e-9a55-2d1b6f0e8a11', '7d2e0c41-5a9b-4f3e-8c2d-1e0f9b8a7c66']);
		expect(scores[1]?.labels.agent_name).toBe('qa "lead"\nnight\\shift');
		expect(page.value('leanvibe_agent_health_score', {agent_name: 'backend-1'})).toBe(100);
	});

	it('refuses an ambiguous single-value lookup instead of picking one', () => {
		const page = parsePrometheus(AGENTS_PAGE);
		expect(() => page.value('leanvibe_agents_total')).toThrow(/matches 3 samples/);
	});

	it('accepts CRLF, tabs, trailing commas and Python float spellings', () => {
		const page = parsePrometheus('m{a="1",} 1e3\r\nn\t nan\r\no inf\r\np -2.5E-1\r\n');
		expect(page.value('m', {a: '1'})).toBe(1000);
		expect(page.value('n')).toBeNaN();
		expect(page.value('o')).toBe(Number.POSITIVE_INFINITY);
		expect(page.value('p')).toBe(-0.25);
	});

	it('keeps a backslash the hive did not escape', () => {
		const page = parsePrometheus('leanvibe_agent_health_score{agent_name="C:\\agents\\one"} 100\n');
		expect(page.samples('leanvibe_agent_health_score')[0]?.labels.agent_name).toBe('C:\\agents\\one');
	});

	it('groups histogram suffixes under their family', () => {
		const page = parsePrometheus('# TYPE lat histogram\nlat_bucket{le="+Inf"} 3\nlat_sum 1.5\nlat_count 3\n');
		expect(page.families.get('lat')?.samples).toHaveLength(3);
		expect(page.value('lat_count')).toBe(3);
	});

	it('reads only the families asked for: the per-agent lines are skipped, the rest read as a whole parse reads them', () => {
		const only = new Set(['leanvibe_agents_total', 'leanvibe_agent_metrics_error']);
		const page = parsePrometheus(AGENTS_PAGE, {only});
		expect(page.samples('leanvibe_agent_health_score')).toEqual([]);
		// Declared (HELP/TYPE) families are still known, so "declared with no samples" stays distinct from absent.
		expect(page.has('leanvibe_agent_health_score')).toBe(true);
		expect(page.byLabel('leanvibe_agents_total', 'status')).toEqual(parsePrometheus(AGENTS_PAGE).byLabel('leanvibe_agents_total', 'status'));
		// A bad line of a family it reads, or one with no name at all, still fails the page, with its line number.
		expect(() => parsePrometheus('x{a="1"} 1\nleanvibe_agents_total{status="a} 1\n', {only})).toThrow(/^line 2: unterminated value/);
		expect(() => parsePrometheus('x 1\n{ 1\n', {only})).toThrow(/^line 2: expected a metric name/);
		expect(parsePrometheus('x{a="unterminated 1\nleanvibe_agents_total{status="b"} 2\n', {only}).value('leanvibe_agents_total')).toBe(2);
	});

	const bad: Array<[string, string, RegExp]> = [
		['value is text', 'leanvibe_task_queue_length None\n', /line 1: value "None" is not a number/],
		['no value', '# HELP x y\nleanvibe_task_queue_length\n', /line 2: no value/],
		['unterminated label', 'm{status="active} 1\n', /unterminated value for label status/],
		['label without quotes', 'm{status=active} 1\n', /expected a quoted value for label status/],
		['bad timestamp', 'm 1 12.5\n', /timestamp "12.5" is not an integer/],
		['extra fields', 'm 1 2 3\n', /unexpected text after the timestamp/],
		['duplicate label', 'm{a="1",a="2"} 1\n', /label a appears twice/],
		['unknown type', '# TYPE m thing\n', /unknown metric type "thing"/],
		['second TYPE', '# TYPE m gauge\n# TYPE m counter\n', /second # TYPE for m/],
		['HTML error page', '<html><body>502 Bad Gateway</body></html>\n', /line 1: expected a metric name/],
		['JSON instead', '\n\n{"detail":"oops"}\n', /line 3: expected a metric name: "\{"detail":"oops"\}"/],
	];
	for (const [what, text, message] of bad) {
		it(`rejects ${what} with the line number and content`, () => {
			expect(() => parsePrometheus(text)).toThrow(PrometheusParseError);
			expect(() => parsePrometheus(text)).toThrow(message);
		});
	}

	it('sanitises and cuts the quoted line in the error', () => {
		const line = `m{a="\u001b]0;owned\u0007"} x${'y'.repeat(200)}`;
		try {
			parsePrometheus(line);
			expect.unreachable();
		} catch (error) {
			const message = (error as Error).message;
			expect(message).not.toMatch(/[\u0000-\u001f]/);
			expect(message.length).toBeLessThan(160);
		}
	});
});

// Each of these took seconds before the parser stopped using backtracking patterns (measured: a value of
// 40,000 digits 1.6 s, so 100,000 about 10 s; a HELP line with 40,000 spaces before a line separator 4.2 s).
// The budgets are generous for a busy machine and still far below the old times.
describe('the Prometheus parser on hostile input: linear and bounded', () => {
	it('rejects a 100,000-digit value quickly, naming the metric and the line', () => {
		const run = timed('100,000 digits', () => parsePrometheus(`leanvibe_coordination_success_rate 9${'9'.repeat(100_000)}!`), 200);
		expect(run.error).toBeInstanceOf(PrometheusParseError);
		expect(String(run.error)).toMatch(/line 1: value of leanvibe_coordination_success_rate is 100002 characters long; not a number \(at most 64\)/);
	});

	it('rejects `x ` + 100,000 digits + `!` quickly (the reported freeze)', () => {
		const run = timed('x 100,000 digits !', () => parsePrometheus(`x ${'1'.repeat(100_000)}!`), 200);
		expect(run.error).toBeInstanceOf(PrometheusParseError);
	});

	it('still reads 64-character values, and refuses 65', () => {
		const ok = `0.${'1'.repeat(62)}`;
		expect(ok).toHaveLength(64);
		expect(parsePrometheus(`m ${ok}`).value('m')).toBeCloseTo(0.1111, 4);
		expect(() => parsePrometheus(`m ${ok}1`)).toThrow(/65 characters long/);
		expect(() => parsePrometheus(`m 1 ${'1'.repeat(30)}`)).toThrow(/timestamp of m is 30 characters long/);
	});

	it('skips a HELP line with 40,000 spaces before a line separator quickly, as the old pattern did', () => {
		const run = timed('HELP with spaces', () => parsePrometheus(`# HELP x${' '.repeat(40_000)}a\u2028b\nx 1\n`), 200);
		expect(run.error).toBeUndefined();
		expect(run.result!.families.get('x')?.help).toBeNull();
	});

	it('reads a line of 100,000 labels without backslashes in linear time', () => {
		const labels = Array.from({length: 100_000}, (_, i) => `l${i}="v"`).join(',');
		const run = timed('100,000 labels', () => parsePrometheus(`m{${labels}} 1\n`), 2000);
		expect(run.error).toBeUndefined();
		expect(Object.keys(run.result!.samples('m')[0]!.labels)).toHaveLength(100_000);
	});

	it('keeps a label named __proto__ and a label value "__proto__" as data', () => {
		const page = parsePrometheus('m{__proto__="x",agent_name="__proto__"} 2\nm{agent_name="constructor"} 3\n');
		expect(Object.entries(page.samples('m')[0]!.labels)).toEqual([['__proto__', 'x'], ['agent_name', '__proto__']]);
		expect(Object.getPrototypeOf(page.samples('m')[0]!.labels)).toBe(Object.prototype);
		const sums = page.byLabel('m', 'agent_name');
		expect(Object.entries(sums)).toEqual([['__proto__', 2], ['constructor', 3]]);
		expect(page.byLabel('m', 'missing')).toEqual({});
	});
});
