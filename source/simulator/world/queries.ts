// Read-only questions the routes and metrics ask of the world, answered with the contract's definitions
// (long running, stale heartbeat, response time under the current faults).
import {WorldPopulation} from './population.js';
import {LONG_RUNNING_MS, STALE_AFTER_MS} from './constants.js';
import type {CreatedBucket, SimAgent, SimTask} from './types.js';

export abstract class WorldQueries extends WorldPopulation {
	liveTasks(): SimTask[] {
		const out: SimTask[] = [];
		for (const id of this.live) out.push(this.tasks.get(id)!);
		return out;
	}

	longRunning(): SimTask[] {
		return this.liveTasks().filter((t) => t.status === 'in_progress' && t.startedAt !== null && this.now - t.startedAt > LONG_RUNNING_MS);
	}

	isStale(agent: SimAgent): boolean {
		return agent.lastHeartbeat !== null && this.now - agent.lastHeartbeat > STALE_AFTER_MS;
	}

	/** Seconds; what the agent's recent answers took, worse under the faults that slow it down. */
	responseTime(agent: SimAgent): number {
		let t = agent.baseResponse;
		if (this.faults.dbBloat) t *= 8;
		if (agent.sick) t = Math.max(t, this.config.coordinationTimeout + agent.baseResponse);
		if (agent.status === 'error') t *= 3;
		return Math.round(t * 1000) / 1000;
	}

	/** Creation counts of the tasks created in [fromMs, toMs), to the bucket (the shipped server's hourly breakdowns). */
	createdBetween(fromMs: number, toMs: number): CreatedBucket {
		const out = {created: 0, completed: 0, failed: 0, cancelled: 0};
		const first = this.bucket(fromMs);
		const last = this.bucket(toMs - 1);
		for (let key = first; key <= last; key++) {
			const b = this.created.get(key);
			if (!b) continue;
			out.created += b.created;
			out.completed += b.completed;
			out.failed += b.failed;
			out.cancelled += b.cancelled;
		}
		return out;
	}
}
