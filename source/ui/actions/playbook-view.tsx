// A playbook as a guided flow: its steps with their state, the current one's result or its countdown on
// the hive's clock, and at the end the outcome in words and colour (RECOVERED, NOT RECOVERED, ABORTED) with
// what still fails, what was skipped and why, what to try next and whom to call. Its keys are the keymap's
// playbook view bindings (by default Enter starts or retries, s skips, a aborts, Esc or q hides, ! returns);
// the hints here are generated from them. The lines scroll with PgUp/PgDn when there are many steps.
import React from 'react';
import type {Escalation, PlaybookState} from '../../actions/index.js';
import {countdownLeft, failureText, type PlaybookOutcome} from '../../actions/playbooks.js';
import {cutToWidth, sanitise} from '../../util/terminal-text.js';
import {keysOf, type Keymap} from '../keymap.js';
import {seg, type Line} from '../line.js';
import {ScrollFrame, wrappedLines, type ScrollWindow} from '../views/scroll-frame.js';
import type {Theme, Tone} from '../theme.js';

const STEP_LOOK: Record<string, [string, string, Tone]> = {
	todo: ['○', 'o', 'muted'],
	running: ['◐', '~', 'accent'],
	done: ['●', '+', 'ok'],
	failed: ['✗', 'x', 'critical'],
	skipped: ['–', '-', 'warning'],
};

export const OUTCOME_LOOK: Record<PlaybookOutcome, [string, Tone]> = {
	recovered: ['RECOVERED', 'ok'],
	'not-recovered': ['NOT RECOVERED', 'critical'],
	aborted: ['ABORTED', 'warning'],
	completed: ['COMPLETED', 'ok'],
};

export function escalationLines(escalation: Escalation): Line[] {
	const lines: Line[] = [];
	for (const c of escalation.contacts) lines.push([seg(`  ${c.level ? c.level + ' ' : ''}`, 'critical', true), seg(c.name, 'plain', true), seg(c.via ? `  ${c.via}` : '', 'muted')]);
	for (const ch of escalation.channels) lines.push([seg('  ', 'plain'), seg(ch.name, 'accent', true), seg(ch.purpose ? `  ${ch.purpose}` : ''), seg(ch.via ? `  ${ch.via}` : '', 'muted')]);
	return lines;
}

/** The ending's lines under the steps: what still fails, skipped steps, what next. */
export function endingLines(state: PlaybookState): Line[] {
	const ending = state.ending;
	if (!ending) return [];
	const [word, tone] = OUTCOME_LOOK[ending.outcome];
	const lines: Line[] = [[seg(word, tone, true), seg(ending.summary.slice(word.length))]];
	for (const f of ending.failing.slice(0, 4)) lines.push([seg('  still failing: ', 'critical'), seg(failureText(f))]);
	for (const s of ending.skipped) lines.push([seg('  SKIPPED ', 'warning', true), seg(`${s.title}: ${s.reason}`)]);
	for (const n of ending.next.slice(0, 3)) lines.push([seg('  next: ', 'accent', true), seg(n)]);
	return lines;
}

export function PlaybookView({state, escalation, now, width, height, theme, keymap, scroll}: {state: PlaybookState; escalation: Escalation | null; now: number; width: number; height: number; theme: Theme; keymap: Keymap; scroll?: ScrollWindow}) {
	const inner = width - 2;
	const current = state.steps[state.current];
	const started = state.steps.some((s) => s.status !== 'todo');
	const k = (command: string) => keysOf(keymap, command, theme.ascii);
	const hide = `${k('close')} hides`;
	const keys = state.finished
		? `${k('playbook-step')} or ${k('close')} closes`
		: current?.status === 'running'
			? `${k('playbook-skip')} skips the wait · ${k('playbook-abort')} aborts · ${hide} (keeps running)`
			: !started
				? `${k('playbook-step')} starts (then it moves on by itself; each action asks for its confirmation) · ${k('playbook-skip')} skips a step · ${k('playbook-abort')} aborts · ${hide}`
				: current?.status === 'failed'
					? `${k('playbook-step')} retries this step · ${k('playbook-skip')} skips it · ${k('playbook-abort')} aborts · ${hide}`
					: `${k('playbook-step')} runs this step · ${k('playbook-skip')} skips it · ${k('playbook-abort')} aborts · ${hide}`;
	const outcome = state.outcome ? OUTCOME_LOOK[state.outcome] : null;
	const lines: Line[] = [outcome ? [seg(outcome[0], outcome[1], true)] : [seg(`step ${state.current + 1} of ${state.steps.length}`, 'accent', true), seg(`  ${state.profile} profile`, 'muted')]];
	// Not recovered: whom to call, from the config, whatever the playbook; while running only for critical ones.
	const people = state.outcome && state.outcome !== 'recovered' && state.outcome !== 'completed' ? (state.ending?.escalation ?? escalation) : state.outcome ? null : escalation;
	state.steps.forEach((step, i) => {
		const [glyph, ascii, tone] = STEP_LOOK[step.status]!;
		const here = i === state.current && !state.finished;
		const left = step.status === 'running' && step.countdown ? countdownLeft(step.countdown, now) : null;
		lines.push([
			seg(here ? '› ' : '  ', 'accent', true),
			seg(`${theme.ascii ? ascii : glyph} `, tone, true),
			seg(`${i + 1}. ${step.title}`, here ? 'plain' : 'muted', here),
			seg(step.status === 'todo' ? '' : `  ${step.status}`, tone),
			...(left !== null ? [seg(`  ${left} s left`, 'accent', true), seg(" (hive's clock)", 'muted')] : []),
		]);
		// The current step's message is the hive's reason or the error: it wraps; the others are cut.
		if (step.message !== '' && here) lines.push(...wrappedLines([seg('      ')], step.message, inner));
		else if (step.message !== '' && (!state.finished || step.status !== 'done')) lines.push([seg(`      ${cutToWidth(sanitise(step.message), inner - 6)}`, 'muted')]);
		if (here) for (const d of step.details.slice(0, 4)) lines.push([seg(`        ${cutToWidth(sanitise(d), inner - 8)}`, 'muted')]);
	});
	if (state.ending) lines.push([], ...endingLines(state).flatMap((line) => {
		const [head, ...rest] = line.map((s) => ({...s, text: sanitise(s.text)}));
		return wrappedLines([head!], rest.map((s) => s.text).join(''), inner);
	}));
	if (people) lines.push([], [seg(state.outcome ? 'Escalation:' : 'Escalation (critical):', 'critical', true)], ...escalationLines(people));
	return <ScrollFrame title={state.title} closeHint={keys} lines={lines} width={width} height={height} scroll={scroll ?? {top: 0}} theme={theme} />;
}
