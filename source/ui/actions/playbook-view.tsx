// A playbook as a guided flow: its steps with their state, the current one's result or countdown, and the
// configured escalation path when the playbook is critical. Keys (controller): Enter runs the current step
// (an action step opens the same confirmation as its key), s skips the wait or the step, a aborts, Esc
// leaves it running in the background (! returns).
import React from 'react';
import {Box, Text} from 'ink';
import type {Escalation, PlaybookState} from '../../actions/index.js';
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

export function escalationLines(escalation: Escalation): Line[] {
	const lines: Line[] = [];
	for (const c of escalation.contacts) lines.push([seg(`  ${c.level ? c.level + ' ' : ''}`, 'critical', true), seg(c.name, 'plain', true), seg(c.via ? `  ${c.via}` : '', 'muted')]);
	for (const ch of escalation.channels) lines.push([seg('  ', 'plain'), seg(ch.name, 'accent', true), seg(ch.purpose ? `  ${ch.purpose}` : ''), seg(ch.via ? `  ${ch.via}` : '', 'muted')]);
	return lines;
}

export function PlaybookView({state, escalation, now, width, height, theme}: {state: PlaybookState; escalation: Escalation | null; now: number; width: number; height: number; theme: Theme}) {
	const inner = width - 2;
	const current = state.steps[state.current];
	const keys = state.finished ? 'Enter or Esc closes' : current?.status === 'running' ? 's skips the wait · a aborts · Esc hides (keeps running)' : 'Enter runs this step · s skips it · a aborts · Esc hides';
	const headline = state.aborted ? 'ABORTED' : state.finished ? 'FINISHED' : `step ${state.current + 1} of ${state.steps.length}`;
	return (
		<Frame title={state.title} width={width} height={height} theme={theme} closeHint={keys}>
			<SegmentLine line={[seg(headline, state.aborted ? 'warning' : state.finished ? 'ok' : 'accent', true)]} width={inner} theme={theme} />
			{state.steps.map((step, i) => {
				const [glyph, ascii, tone] = STEP_LOOK[step.status]!;
				const here = i === state.current && !state.finished;
				const left = step.until && step.status === 'running' ? Math.max(0, Math.ceil((step.until - now) / 1000)) : null;
				return (
					<Box key={step.id} flexDirection="column">
						<SegmentLine
							line={[
								seg(here ? '› ' : '  ', 'accent', true),
								seg(`${theme.ascii ? ascii : glyph} `, tone, true),
								seg(`${i + 1}. ${step.title}`, here ? 'plain' : 'muted', here),
								seg(step.status === 'todo' ? '' : `  ${step.status}`, tone),
								...(left !== null ? [seg(`  ${left} s left`, 'accent', true)] : []),
							]}
							width={inner}
							theme={theme}
						/>
						{step.message !== '' && (
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
			{escalation && (
				<Box flexDirection="column" marginTop={1}>
					<SegmentLine line={[seg('Escalation (critical):', 'critical', true)]} width={inner} theme={theme} />
					{escalationLines(escalation).map((line, i) => (
						<SegmentLine key={i} line={line} width={inner} theme={theme} />
					))}
				</Box>
			)}
		</Frame>
	);
}
