// Keeps each declaration's input type tied to its schema, and erases it for the registry's list.
import type {ActionDefinition} from '../types.js';
import {hiveTarget, noInputs, type NoInputs} from './common.js';

export function defineAction<I extends Record<string, unknown>>(definition: ActionDefinition<I>): ActionDefinition {
	return definition as unknown as ActionDefinition;
}

type HiveWide = 'targetKind' | 'multiTarget' | 'inputSchema' | 'inputFields' | 'defaultTargets';

/** An action on the hive as a whole, with no inputs: its one target is the hive itself. */
export function defineHiveAction(definition: Omit<ActionDefinition<NoInputs>, HiveWide>): ActionDefinition {
	return defineAction<NoInputs>({...definition, targetKind: 'hive', multiTarget: false, inputSchema: noInputs, inputFields: [], defaultTargets: async (env) => [hiveTarget(env)]});
}
