// A playbook as a guided flow: its steps with their state, the current one's result or its countdown on
// the hive's clock, and at the end the outcome in words and colour (RECOVERED, NOT RECOVERED, ABORTED) with
// what still fails, what was skipped and why, what to try next and whom to call. Keys (controller): Enter
// starts it (then it moves on by itself; action steps open their confirmation) or retries a failed step,
// s skips the wait or the step, a aborts, Esc hides it while it keeps running (! returns).
import React from 'react';
import {Box, Text} from 'ink';
import type {Escalation, PlaybookState} from '../../actions/index.js';
import {countdownLeft, failureText, type PlaybookOutcome} from '../../actions/playbooks.js';
import {cutToWidth, sanitise} from '../../util/terminal-text.js';
import {SegmentLine, seg, type Line} from '../line.js';
import {Frame} from '../overlays.js';
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

export function PlaybookView({state, escalation, now, width, height, theme}: {state: PlaybookState; escalation: Escalation | null; now: number; width: number; height: number; theme: Theme}) {
	const inner = width - 2;
	const current = state.steps[state.current];
	const started = state.steps.some((s) => s.status !== 'todo');
	const keys = state.finished
		? 'Enter or Esc closes'
		: current?.status === 'running'
			? 's skips the wait · a aborts · Esc hides (keeps running)'
			: !started
				? 'Enter starts (then it moves on by itself; each action asks for its confirmation) · s skips a step · a aborts · Esc hides'
				: current?.status === 'failed'
					? 'Enter retries this step · s skips it · a aborts · Esc hides'
					: 'Enter runs this step · s skips it · a aborts · Esc hides';
	const outcome = state.outcome ? OUTCOME_LOOK[state.outcome] : null;
	const headline: Line = outcome ? [seg(outcome[0], outcome[1], true)] : [seg(`step ${state.current + 1} of ${state.steps.length}`, 'accent', true), seg(`  ${state.profile} profile`, 'muted')];
	// Not recovered: whom to call, from the config, whatever the playbook; while running only for critical ones.
	const people = state.outcome && state.outcome !== 'recovered' && state.outcome !== 'completed' ? (state.ending?.escalation ?? escalation) : state.outcome ? null : escalation;
	return (
		<Frame title={state.title} width={width} height={height} theme={theme} closeHint={keys}>
			<SegmentLine line={headline} width={inner} theme={theme} />
			{state.steps.map((step, i) => {
				const [glyph, ascii, tone] = STEP_LOOK[step.status]!;
				const here = i === state.current && !state.finished;
				const left = step.status === 'running' && step.countdown ? countdownLeft(step.countdown, now) : null;
				return (
					<Box key={step.id} flexDirection="column">
						<SegmentLine
							line={[
								seg(here ? '› ' : '  ', 'accent', true),
								seg(`${theme.ascii ? ascii : glyph} `, tone, true),
								seg(`${i + 1}. ${step.title}`, here ? 'plain' : 'muted', here),
								seg(step.status === 'todo' ? '' : `  ${step.status}`, tone),
								...(left !== null ? [seg(`  ${left} s left`, 'accent', true), seg(" (hive's clock)", 'muted')] : []),
							]}
							width={inner}
							theme={theme}
						/>
						{step.message !== '' && (here || !state.finished || step.status !== 'done') && (
							<Text wrap="truncate" dimColor={!here}>
								{'      '}
								{cutToWidth(sanitise(step.message), inner - 6)}
							</Text>
						)}
						{here &&
							step.details.slice(0, 4).map((d, k) => (
								<Text key={k} wrap="truncate" dimColor>
									{'        '}
									{cutToWidth(sanitise(d), inner - 8)}
								</Text>
							))}
					</Box>
				);
			})}
			{state.ending && (
				<Box flexDirection="column" marginTop={1}>
					{endingLines(state).map((line, i) => (
						<SegmentLine key={i} line={line.map((s) => ({...s, text: sanitise(s.text)}))} width={inner} theme={theme} />
					))}
				</Box>
			)}
			{people && (
				<Box flexDirection="column" marginTop={1}>
					<SegmentLine line={[seg(state.outcome ? 'Escalation:' : 'Escalation (critical):', 'critical', true)]} width={inner} theme={theme} />
					{escalationLines(people).map((line, i) => (
						<SegmentLine key={i} line={line} width={inner} theme={theme} />
					))}
				</Box>
			)}
		</Frame>
	);
}
