// Keeps each declaration's input type tied to its schema, and erases it for the registry's list.
import type {ActionDefinition} from '../types.js';

export function defineAction<I extends Record<string, unknown>>(definition: ActionDefinition<I>): ActionDefinition {
	return definition as unknown as ActionDefinition;
}
