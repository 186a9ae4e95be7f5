// The live console with the recovery actions in it: ConsoleApp plus the action views as a layer of its view
// stack (the confirmation, a run, the history, the playbook over the panes; the banner strip under them;
// run toasts in the footer), the action keys' availability in the help and footer. The console's router
// sends the keys of the action views here as the commands the keymap names.
import React, {useMemo, useSyncExternalStore} from 'react';
import {Text, Box} from 'ink';
import {actions, escalationFor, getAction, SCENARIO_HEADERS, type ReadOnlyMode} from '../../actions/index.js';
import {conditionLine} from '../../model/conditions.js';
import type {Assessment} from '../../model/types.js';
import {ConsoleApp, type ConsoleAppProps, type ConsoleLayer, type LayerContext, type LayerDrawing} from '../app.js';
import type {FooterHint} from '../chrome.js';
import {keysOf, type Keymap} from '../keymap.js';
import type {PaneId} from '../layout.js';
import {SegmentLine, seg, type Line} from '../line.js';
import type {Theme} from '../theme.js';
import {useNow} from '../use-terminal.js';
import {ACTION_UI_COMMANDS} from './action-keys.js';
import {ConfirmModal} from './confirm-modal.js';
import {modalView, runLine, type ActionController, type ActionUiState} from './controller.js';
import {ScrollFrame, wrapText} from '../views/scroll-frame.js';
import {escalationLines, PlaybookView} from './playbook-view.js';
import {HistoryView, RunView, STATUS_TONE} from './run-views.js';
import {FINAL_STATUSES} from '../../actions/index.js';
import {TIMELINE_HEADER, timelineLine, timelineSeverity} from '../../timeline/format.js';
import type {TimelineEntry} from '../../timeline/types.js';
import type {Tone} from '../theme.js';

export interface ActionConsoleProps extends Omit<ConsoleAppProps, 'layer'> {
	controller: ActionController;
	config: Parameters<typeof escalationFor>[0];
	readOnly: ReadOnlyMode;
}

const PANE_ACTIONS: Partial<Record<PaneId, string[]>> = {
	agents: ['restart-agent'],
	tasks: ['cancel-task', ACTION_UI_COMMANDS.mark],
	streams: ['delete-stream'],
};

function useController(controller: ActionController): ActionUiState {
	return useSyncExternalStore(controller.store.subscribe, controller.store.getState);
}

/**
 * The actions that take every marked task, as the marks line offers them: the registry's multi-target task
 * actions the connected hive offers (cancel on the runbook profile; reassign and retry on beehive), each
 * with its key from the keymap, e.g. "x cancel". Until the hive's profile is known, all of them.
 */
export function markedTaskActions(ui: Pick<ActionUiState, 'availability'>, keymap: Keymap, ascii = false): string[] {
	return actions
		.filter((a) => a.targetKind === 'task' && a.multiTarget && a.mutates)
		.filter((a) => ui.availability === null || ui.availability.get(a.id)?.available === true)
		.map((a) => `${keysOf(keymap, a.id, ascii)} ${a.title.split(' ')[0]!.toLowerCase()}`)
		.filter((hint) => !hint.startsWith(' '));
}

/** The condition lines (slow database, flaky API): the banner's look, in the warning tone; SegmentLine sanitises and cuts. */
export function conditionLines(assessment: Assessment | null, theme: Theme): Line[] {
	return (assessment?.conditions ?? []).map((c) => {
		const text = conditionLine(c);
		const glyph = seg(theme.ascii ? '! ' : '▲ ', 'warning', true);
		return text.startsWith(c.title) ? [glyph, seg(c.title, 'warning', true), seg(text.slice(c.title.length))] : [glyph, seg(text, 'warning', true)];
	});
}

/** The lines under the panes: read-only, the scenario banner, conditions, the recommendation, escalation, marks, runs. */
export function stripLines(ui: ActionUiState, assessment: Assessment | null, props: Pick<ActionConsoleProps, 'keymap' | 'config' | 'readOnly' | 'theme'>): Line[] {
	const {keymap, theme} = props;
	const lines: Line[] = [];
	const key = (command: string) => keysOf(keymap, command, theme.ascii);
	if (props.readOnly.on) lines.push([seg('READ-ONLY', 'warning', true), seg(` (${props.readOnly.reason}): every action that changes the hive is unavailable; analyses still read`, 'muted')]);
	else if (ui.gateError) lines.push([seg(ui.gateError, 'warning')]);
	const runner = ui.playbook;
	if (runner && !runner.state.finished) {
		const st = runner.state;
		lines.push([seg('PLAYBOOK ', 'accent', true), seg(`${st.title}: step ${st.current + 1}/${st.steps.length} ${st.steps[st.current]?.title ?? ''}`), seg(`  ${key(ACTION_UI_COMMANDS.playbook)} returns to it`, 'accent', true)]);
	} else {
		const scenario = assessment?.scenarios[0];
		if (scenario) {
			const title = SCENARIO_HEADERS[scenario.scenario].title;
			// The key comes before the reason: a long reason (many stale agents) is what a narrow line cuts.
			lines.push([seg(theme.ascii ? '!! ' : '▲ ', 'critical', true), seg(title, 'critical', true), seg(`  press ${key(ACTION_UI_COMMANDS.playbook)} for the playbook  `, 'accent', true), seg(scenario.reason)]);
		}
	}
	// No playbook covers a condition, so it stays named while one runs.
	lines.push(...conditionLines(assessment, theme));
	const rec = assessment?.recommendations.find((r) => r.actionId) ?? assessment?.recommendations[0];
	if (rec) {
		const off = rec.actionId ? ui.availability?.get(rec.actionId) : undefined;
		lines.push([seg('Recommended: ', 'accent', true), seg(rec.text), rec.actionId ? seg(off && !off.available ? `  (${getAction(rec.actionId)?.title}: unavailable)` : `  press ${key(ACTION_UI_COMMANDS.recommendation)}`, off && !off.available ? 'muted' : 'accent', true) : seg('  (advice for people)', 'muted')]);
	}
	const escalation = escalationFor(props.config, assessment);
	if (escalation) {
		const people = escalationLines(escalation).map((l) => l.map((s) => s.text.trim()).filter(Boolean).join(' ')).join(' · ');
		lines.push([seg('Escalate: ', 'critical', true), seg(people)]);
	}
	if (ui.marked.size > 0) {
		const offered = markedTaskActions(ui, keymap, theme.ascii);
		const verbs = offered.length > 0 ? `  ${offered.join(' · ')} them · ` : '  ';
		lines.push([seg(`${ui.marked.size} marked: `, 'accent', true), seg([...ui.marked.values()].map((t) => t.name).join(', ')), seg(`${verbs}${key(ACTION_UI_COMMANDS.mark)} unmarks`, 'accent')]);
	}
	const active = ui.runs.filter((r) => !FINAL_STATUSES.has(r.status)).slice(-2);
	for (const run of active) lines.push([seg('ACTION ', STATUS_TONE[run.status] ?? 'accent', true), seg(runLine(run)), seg(`  ${key(ACTION_UI_COMMANDS.history)} history`, 'muted')]);
	return lines;
}

export function ActionConsole(props: ActionConsoleProps) {
	const {controller, theme, keymap} = props;
	const ui = useController(controller);
	const runner = ui.playbook;
	const counting =
		(ui.modal?.kind === 'playbook' && runner?.state.steps.some((s) => s.status === 'running' && s.until !== null)) ||
		ui.runs.some((r) => r.waitingUntil !== null);
	// A countdown ticks once a second only while one is on screen.
	useNow(counting && props.now === undefined ? 1000 : 0);

	const helpNotes = useMemo(() => {
		const notes: Record<string, string> = {};
		for (const b of keymap.bindings) {
			if (b.category !== 'action' || !getAction(b.command)) continue;
			const reason = controller.unavailableReason(b.command);
			if (reason) notes[b.command] = reason;
		}
		return notes;
	}, [keymap, ui.availability, ui.gateError]);

	const footerExtra = (focused: PaneId, assessment: Assessment | null): FooterHint[] => {
		const hints: FooterHint[] = [];
		if (assessment?.scenarios[0] || (runner && !runner.state.finished)) hints.push({keys: keysOf(keymap, ACTION_UI_COMMANDS.playbook, theme.ascii), label: 'playbook'});
		for (const command of PANE_ACTIONS[focused] ?? []) {
			const action = getAction(command);
			const label = action ? action.title.toLowerCase() : 'mark';
			hints.push({keys: keysOf(keymap, command, theme.ascii).split('/')[0]!, label, disabled: action ? helpNotes[command] !== undefined : false});
		}
		return hints;
	};

	const layer: ConsoleLayer = {
		top: () => modalView(controller.state.modal),
		command: (command, selection) => controller.command(command, selection),
		viewCommand: (view, command, input) => controller.viewCommand(view, command, input),
		text: (view, text) => controller.text(view, text),
		// Drawn with the assessment the header shows, at its clock: banner and header agree.
		draw: (ctx: LayerContext): LayerDrawing => {
			controller.setDrawnAssessment(ctx.assessment);
			const lines = stripLines(ui, ctx.assessment, props);
			const strip = lines.length === 0 ? undefined : {
				height: lines.length,
				node: (
					<Box flexDirection="column">
						{lines.map((line, i) => (
							<SegmentLine key={i} line={line} width={ctx.width} theme={theme} />
						))}
					</Box>
				),
			};
			return {view: actionView(ui, ctx, props) ?? undefined, toast: ui.toast, strip, helpNotes, footerExtra: footerExtra(ctx.focused, ctx.assessment)};
		},
	};
	return <ConsoleApp {...props} layer={layer} />;
}

const SEVERITY_TONE: Record<string, Tone> = {ok: 'ok', info: 'plain', warning: 'warning', critical: 'critical', unknown: 'unknown'};

/** The Timeline view's lines: newest first, each in its severity's tone (SegmentLine sanitises and cuts). */
export function timelineViewLines(entries: readonly TimelineEntry[], ascii: boolean): Line[] {
	if (entries.length === 0) return [[seg('Nothing recorded yet: changes of state, sources, agents, tasks and every action appear here as they happen.', 'muted')]];
	const lines: Line[] = [[seg(TIMELINE_HEADER, 'muted', true)]];
	for (let i = entries.length - 1; i >= 0; i--) {
		const e = entries[i]!;
		lines.push([seg(timelineLine(e, ascii), SEVERITY_TONE[timelineSeverity(e)] ?? 'plain')]);
	}
	return lines;
}

/** The action view on top of the panes, if one is open. */
function actionView(ui: ActionUiState, ctx: LayerContext, props: ActionConsoleProps): React.ReactNode {
	const {controller, theme, keymap} = props;
	const {width, height} = ctx;
	const m = ui.modal;
	const keys = (command: string) => keysOf(keymap, command, theme.ascii);
	switch (m?.kind) {
		case 'confirm':
			return <ConfirmModal confirm={m.confirm} width={width} height={height} theme={theme} keymap={keymap} scroll={ctx.scroll} />;
		case 'preparing':
			return <ScrollFrame title={m.title} closeHint={`${keys('cancel')} cancels`} lines={wrapText('reading the target(s) and planning the exact request…', width - 2).map((l) => [seg(l)])} width={width} height={height} scroll={ctx.scroll} theme={theme} />;
		case 'message':
			return <ScrollFrame title={m.title} closeHint={`${keys('close')} closes`} lines={m.lines.flatMap((l, i) => wrapText(l, width - 2).map((part) => [seg(part, i === 0 ? m.tone : 'plain', i === 0)]))} width={width} height={height} scroll={ctx.scroll} theme={theme} />;
		case 'run': {
			const run = ui.runs.find((r) => r.runId === m.runId);
			return run ? <RunView run={run} width={width} height={height} theme={theme} keymap={keymap} canStop={controller.canStop(run.runId)} scroll={ctx.scroll} /> : <Text>starting…</Text>;
		}
		case 'history':
			return <HistoryView runs={ui.runs} selected={m.selected} width={width} height={height} theme={theme} keymap={keymap} />;
		case 'timeline':
			return <ScrollFrame title={`Timeline · ${ui.timeline.length} entries, newest first (time on the hive's clock, UTC)`} closeHint={`${keys(ACTION_UI_COMMANDS.timeline)} or ${keys('close')} closes`} lines={timelineViewLines(ui.timeline, theme.ascii)} width={width} height={height} scroll={ctx.scroll} theme={theme} />;
		case 'playbook':
			return ui.playbook ? <PlaybookView state={ui.playbook.state} escalation={escalationFor(props.config, ctx.assessment, ui.playbook.playbook)} now={ctx.now} width={width} height={height} theme={theme} keymap={keymap} scroll={ctx.scroll} /> : null;
		default:
			return null;
	}
}
