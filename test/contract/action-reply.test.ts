import {describe, expect, it} from 'vitest';
import {actionFacts, affectedCount, normaliseActionReply, performedCount, reassignmentOf, retryOutcomeOf, saidLine} from '../../source/contract/action-reply.js';

describe('normaliseActionReply', () => {
	it('reads {success: true} as done, with what was done', () => {
		const reply = normaliseActionReply(200, {success: true, action: 'emergency_stop', actions_performed: ['stopped 3 tasks', 'paused agents'], timestamp: '2025-08-07T10:30:00'});
		expect(reply.ok).toBe(true);
		expect(reply.message).toBe('done: stopped 3 tasks, paused agents');
		expect(normaliseActionReply(200, {success: true, status: 'restart_initiated'}).message).toBe('done: restart_initiated');
	});

	it('reads HTTP 200 with {error} as a refusal with the message', () => {
		const reply = normaliseActionReply(200, {error: 'Agent has 2 active tasks. Use force=true to restart anyway.'});
		expect(reply).toMatchObject({ok: false, httpStatus: 200, message: 'refused: Agent has 2 active tasks. Use force=true to restart anyway.'});
		expect(normaliseActionReply(200, {success: false, message: 'nothing to do'}).ok).toBe(false);
	});

	it('reads FastAPI {detail} errors, flattening a 422 list', () => {
		expect(normaliseActionReply(404, {detail: 'Agent not found'}).message).toBe('not found (HTTP 404): Agent not found');
		const reply = normaliseActionReply(422, {detail: [{loc: ['body', 'count'], msg: 'field required', type: 'value_error.missing'}, {loc: ['query', 'days'], msg: 'value is not a valid integer'}]});
		expect(reply.message).toBe('rejected (HTTP 422): count: field required; query.days: value is not a valid integer');
		expect(normaliseActionReply(500, 'Internal Server Error').message).toBe('hive error (HTTP 500): Internal Server Error');
	});

	it('says what to do on 401/403 and never echoes a token', () => {
		const reply = normaliseActionReply(401, {detail: 'bad token Bearer abc.def.ghi'});
		expect(reply.ok).toBe(false);
		expect(reply.message).toContain('check HIVE_TOKEN or --token-file');
		expect(reply.message).not.toContain('abc.def.ghi');
	});

	it('keeps messages to one safe line', () => {
		const reply = normaliseActionReply(200, {error: 'line one\nline two \u001b[31mred'});
		expect(reply.message).not.toMatch(/[\n\u001b]/);
	});
});

describe('what the hive says it did', () => {
	it('reads a reassignment, nested as the shipped server sends it or flat', () => {
		const nested = {success: true, reassignment: {task_id: 't', original_agent_id: 'a', original_status: 'in_progress', new_agent_id: 'b', new_agent_name: 'gemini-2', assignment_method: 'auto_select_best_available', agent_task_load: '1'}, updated_task: {status: 'assigned'}};
		expect(reassignmentOf(nested)).toEqual({newAgentId: 'b', newAgentName: 'gemini-2', originalAgentId: 'a', method: 'auto_select_best_available', agentTaskLoad: 1, taskStatus: 'assigned'});
		expect(reassignmentOf({success: true, new_agent_id: 'b', previous_agent_id: 'a', status: 'assigned'})).toMatchObject({newAgentId: 'b', originalAgentId: 'a'});
		expect(reassignmentOf({success: true})).toBeNull();
		expect(reassignmentOf('Internal Server Error')).toBeNull();
	});

	it('reads a retry outcome and tolerates fields of the wrong type', () => {
		expect(retryOutcomeOf({success: true, retry_info: {retry_count_reset: true}, updated_task: {status: 'pending', retry_count: 0, max_retries: '3'}})).toEqual({taskStatus: 'pending', retryCount: 0, maxRetries: 3, countReset: true});
		expect(retryOutcomeOf({success: true, retry_info: {new_retry_count: 2}, updated_task: {status: 7}})).toMatchObject({taskStatus: '7', retryCount: 2});
	});

	it('tells "said 0" from "said nothing" in actions_performed and affected_components', () => {
		const reset = {success: true, reset_type: 'hard', actions_performed: ['Reset 0 stuck tasks to pending', 'Reset 12 agents to maintenance mode', 42]};
		const facts = actionFacts(reset);
		expect(facts.reset_type).toBe('hard');
		expect(performedCount(facts, /stuck tasks/i)).toBe(0);
		expect(performedCount(facts, /agents? to maintenance/i)).toBe(12);
		expect(performedCount(facts, /streams/i)).toBeNull();
		expect(affectedCount({affected_components: {tasks_stopped: '3'}}, 'tasks_stopped')).toBe(3);
		expect(affectedCount({agents_restarted: 2}, 'agents_restarted')).toBe(2);
		expect(affectedCount({affected_components: {}}, 'tasks_cleared')).toBeNull();
		expect(saidLine({actions_performed: ['Stopped 2 active tasks', 'bad\u001b[31m']})).toBe('Stopped 2 active tasks; bad\ufffd[31m');
		expect(saidLine(null)).toBeNull();
	});

	it('shows the server refusing on its own rules (400) as a refusal with its detail', () => {
		expect(normaliseActionReply(400, {detail: 'Task is not in retryable state. Current status: completed'}).message).toBe('refused (HTTP 400): Task is not in retryable state. Current status: completed');
	});
});
