// Single flight: the same action on the same targets runs once at a time, whoever asks (a key pressed twice,
// a playbook step and the operator at once). The second asker gets "busy" and nothing is sent again.
import type {PreparedAction} from './types.js';

/** Same action, same set of targets (in any order): the same flight. */
export function flightKey(prepared: PreparedAction): string {
	return `${prepared.action.id}:${prepared.targets.map((t) => t.id).sort().join(',')}`;
}

export interface SingleFlight {
	/** Takes the flight for `runId`; false when another run holds it. */
	claim(key: string, runId: string): boolean;
	release(key: string): void;
	isRunning(key: string): boolean;
}

export function createSingleFlight(): SingleFlight {
	const inFlight = new Map<string, string>();
	return {
		claim(key, runId) {
			if (inFlight.has(key)) return false;
			inFlight.set(key, runId);
			return true;
		},
		release: (key) => void inFlight.delete(key),
		isRunning: (key) => inFlight.has(key),
	};
}
