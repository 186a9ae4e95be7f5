// Agents and tasks coming into the world: generated agents (or custom ones for hostile-string tests), new
// tasks with their durations, and the eight days of seeded history the success rate is computed over.
import {WorldState} from './state.js';
import {AGENT_TYPES, BUCKET_MS, BUCKET_RETENTION_MS, HOUR, MINUTE, PRIORITIES, PRIORITY_WEIGHTS, ROLES, SECOND, TASKS_PER_AGENT_HOUR, TASK_TYPES, TITLE_NOUNS, TITLE_VERBS} from './constants.js';
import type {Priority, SimAgent, SimTask} from './types.js';

export abstract class WorldPopulation extends WorldState {
	/** `custom` overrides the generated name, role and type (hostile strings for console tests come this way). */
	addAgent(createdAt = this.now, custom: {name?: string; role?: string; type?: string} = {}): SimAgent {
		const n = ++this.agentCounter;
		const type = custom.type ?? AGENT_TYPES[n % 4 === 0 ? 3 : (n - 1) % 3]!;
		const generated = ROLES[(n - 1) % ROLES.length]!;
		const role = custom.role === undefined ? generated : (ROLES.find((r) => r.role === custom.role) ?? {role: custom.role, stream: null});
		const agent: SimAgent = {
			id: this.random.uuid(),
			name: custom.name ?? `${type}-${role.role.split('_')[0]}-${String(n).padStart(2, '0')}`,
			type,
			role: role.role,
			status: 'active',
			lastHeartbeat: this.now - this.random.between(0, this.config.heartbeatInterval * SECOND),
			lastActive: this.now - this.random.between(0, 10 * MINUTE),
			createdAt,
			completed: 0,
			failed: 0,
			errorCount: 0,
			baseResponse: Math.round(this.random.between(0.8, 4.2) * 1000) / 1000,
			contextWindowUsage: Math.round(this.random.between(0.05, 0.85) * 1000) / 1000,
			tmuxSession: type === 'claude' ? `agent-${n}` : null,
			sick: false,
			commAffected: false,
			maintenanceUntil: null,
			lastPing: this.now,
			assigned: [],
			running: new Set(),
		};
		this.agents.push(agent);
		this.agentById.set(agent.id, agent);
		this.touchAgent(agent);
		this.sendBus({kind: 'ensure-agent', agentId: agent.id, stream: role.stream});
		return agent;
	}

	/** Eight days of finished work, counted per bucket, with the most recent part kept task by task. */
	protected seedHistory(): void {
		const perBucket = (this.agents.length * TASKS_PER_AGENT_HOUR * BUCKET_MS) / HOUR;
		const detailCap = Math.min(50_000, Math.max(2_000, this.agents.length * 10));
		const detailEvery = Math.max(1, (perBucket * (BUCKET_RETENTION_MS / BUCKET_MS)) / detailCap);
		let carry = 0;
		for (let start = this.now - BUCKET_RETENTION_MS; start < this.now - 30 * MINUTE; start += BUCKET_MS) {
			const count = this.random.poisson(perBucket);
			for (let i = 0; i < count; i++) {
				const createdAt = start + this.random.next() * BUCKET_MS;
				const ok = this.random.chance(0.985);
				const duration = this.taskDuration();
				const finishedAt = createdAt + duration + this.random.between(5 * SECOND, 2 * MINUTE);
				this.countCreated(createdAt);
				this.countFinished(createdAt, finishedAt, ok ? 'completed' : 'failed', duration);
				carry += 1;
				if (carry >= detailEvery) {
					carry -= detailEvery;
					const task = this.newTask(createdAt, false);
					const agent = this.random.pick(this.agents);
					task.status = ok ? 'completed' : 'failed';
					task.agentId = agent.id;
					task.assignedAt = createdAt + 2 * SECOND;
					task.startedAt = finishedAt - duration;
					task.completedAt = finishedAt;
					task.durationMs = duration;
					task.retryCount = ok ? 0 : task.maxRetries;
					task.errorMessage = ok ? null : 'Task execution failed: tool call returned non-zero exit status';
					if (ok) agent.completed++;
					else agent.failed++;
					this.tasks.set(task.id, task);
					this.history.push(task.id);
				}
			}
		}
	}

	protected newTask(createdAt: number, count = true): SimTask {
		const n = ++this.taskCounter;
		const r = this.random.next();
		let acc = 0;
		let priority: Priority = 'medium';
		for (let i = 0; i < PRIORITIES.length; i++) {
			acc += PRIORITY_WEIGHTS[i]!;
			if (r < acc) {
				priority = PRIORITIES[i]!;
				break;
			}
		}
		const task: SimTask = {
			id: this.random.uuid(),
			title: `${this.random.pick(TITLE_VERBS)} ${this.random.pick(TITLE_NOUNS)} #${n}`,
			type: this.random.pick(TASK_TYPES),
			status: 'pending',
			priority,
			agentId: null,
			retryCount: 0,
			maxRetries: 3,
			errorMessage: null,
			createdAt,
			assignedAt: null,
			startedAt: null,
			completedAt: null,
			durationMs: this.taskDuration(),
			stalled: false,
			bloat: false,
			staged: false,
			resubmission: false,
			workflowId: null,
		};
		if (count) this.countCreated(createdAt);
		return task;
	}

	protected taskDuration(): number {
		return Math.round(this.random.between(2 * MINUTE, 12 * MINUTE));
	}

	/** A new task waiting for an agent. */
	createTask(createdAt = this.now): SimTask {
		const task = this.newTask(createdAt);
		this.tasks.set(task.id, task);
		this.live.add(task.id);
		this.enqueue(task);
		this.touchTask(task);
		return task;
	}
}
