// Read-only mode and availability: the first check of every path (listing, preparing, starting), so a
// mutating action is refused the same way wherever it is asked for.
import {availability as routeAvailability} from '../registry.js';
import type {ActionDefinition, ActionEnv, Availability, PlannedRequest} from '../types.js';
import type {ReadOnlyMode} from './types.js';

/** Why read-only mode refuses this action, or null when it may run. */
export function readOnlyRefusal(readOnly: ReadOnlyMode, action: ActionDefinition): string | null {
	return readOnly.on && action.mutates ? `read-only mode (${readOnly.reason}): ${action.title} is not available` : null;
}

/** Read-only mode first, then whether the connected profile serves the action's routes. */
export async function gateAvailability(readOnly: ReadOnlyMode, env: ActionEnv, action: ActionDefinition): Promise<Availability> {
	const refusal = readOnlyRefusal(readOnly, action);
	if (refusal) return {available: false, reason: refusal};
	return routeAvailability(action, env);
}

/**
 * An action declared read-only may only read: anything but a GET in its plan needs the full confirmation
 * path, so a mislabelled definition cannot send a change unconfirmed.
 */
export function onlyReads(requests: readonly PlannedRequest[]): boolean {
	return requests.every((r) => r.kind === 'http' && r.method === 'GET');
}
