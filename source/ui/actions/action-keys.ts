// The console's action keys, generated from the action registry (one binding per action, on its declared
// key, remappable by action id in the config's keymap) plus the few keys that serve the actions: marking
// tasks, the action history, the banner's playbook and the recommendation, and the incident tools (the
// timeline view and the snapshot key).
import {actions} from '../../actions/index.js';
import type {KeyBinding} from '../keymap.js';

export const ACTION_UI_COMMANDS = {
	mark: 'mark',
	history: 'action-history',
	playbook: 'playbook',
	recommendation: 'recommendation',
	timeline: 'timeline',
	snapshot: 'snapshot',
} as const;

const TARGET_PANES: Partial<Record<string, KeyBinding['targetPane']>> = {agent: 'agents', task: 'tasks', stream: 'streams'};

export function actionBindings(): KeyBinding[] {
	const fromRegistry: KeyBinding[] = actions.map((a) => ({
		// Only an action that takes the selected row (not one that finds its own targets) lists rows.
		targetPane: a.defaultTargets ? undefined : TARGET_PANES[a.targetKind],
		command: a.id,
		keys: [a.key],
		category: 'action',
		severity: a.severity,
		description: `${a.title}${a.mutates ? '' : ' (read-only)'}`,
	}));
	return [
		...fromRegistry,
		{command: ACTION_UI_COMMANDS.mark, keys: ['m', 'space'], category: 'action', description: 'Mark or unmark the selected task (cancel, reassign and retry take every marked task)'},
		{command: ACTION_UI_COMMANDS.history, keys: ['H'], category: 'action', description: 'Action history (Esc closes)', hint: 'history', hintPriority: 3.5},
		{command: ACTION_UI_COMMANDS.playbook, keys: ['!'], category: 'action', description: "Open the playbook of the banner's scenario"},
		{command: ACTION_UI_COMMANDS.recommendation, keys: ['a'], category: 'action', description: "Run the banner's tuning recommendation (through the confirmation)"},
		{command: ACTION_UI_COMMANDS.timeline, keys: ['i'], category: 'app', description: 'Incident timeline: every change and action, newest first', hint: 'timeline', hintPriority: 3.6},
		{command: ACTION_UI_COMMANDS.snapshot, keys: ['o'], category: 'app', description: 'Write an incident snapshot (Markdown and JSON) to the state directory'},
	];
}
