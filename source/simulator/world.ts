// The simulated hive: agents, tasks, heartbeats, retries and the simulated clock, as a plain state machine
// stepped by the clock (--speed) or by /_sim/advance. It does no I/O: the HTTP routes read it and call its
// actions, and the Redis, PostgreSQL and log bridges drain the queues it fills (bus, dirty sets, logs).
// Faults are flags with real mechanics behind them (see scenarios.ts): symptoms come from what agents and
// the coordinator do under a fault, and they go away because recovery actions change that behaviour.
// The class is built in layers, one file each under world/, each on top of the ones before it: state and
// bookkeeping, population, queries, coordination mechanics, the clock, the hive-wide controls, the agent and
// task controls, and the fault onsets. This file seeds a new world and is what the rest of the simulator imports.
import {WorldFaultOnsets} from './world/fault-onsets.js';
import {DAY, MINUTE} from './world/constants.js';
import type {WorldOptions} from './world/types.js';

export {AGENT_STATUSES, AGENT_TYPES, DAY, HOUR, LONG_RUNNING_MS, MINUTE, PRIORITIES, ROLES, SECOND, STALE_AFTER_MS} from './world/constants.js';
export type {AgentStatus, BusOp, Faults, LogEntry, Priority, SimAgent, SimTask, TaskStatus, WorldEvent, WorldOptions} from './world/types.js';

export class World extends WorldFaultOnsets {
	constructor(options: WorldOptions) {
		super(options);
		for (let i = 0; i < options.agents; i++) this.addAgent(this.now - this.random.between(2 * DAY, 30 * DAY));
		this.seedHistory();
		this.seedWorkInFlight();
	}

	/** A hive that is already busy: about half the agents are in the middle of a task. */
	protected seedWorkInFlight(): void {
		for (const agent of this.agents) {
			if (!this.random.chance(0.5)) continue;
			const task = this.createTask(this.now - this.random.between(MINUTE, 10 * MINUTE));
			this.removeFromPending(task);
			this.assign(task, agent);
			this.start(task, agent);
			task.startedAt = this.now - this.random.between(0, task.durationMs * 0.8);
		}
	}
}
