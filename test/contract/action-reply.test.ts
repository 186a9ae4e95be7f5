import {describe, expect, it} from 'vitest';
import {normaliseActionReply} from '../../source/contract/action-reply.js';

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
