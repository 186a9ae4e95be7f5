// The confirmation modal: the action, its target(s) by name and id, the exact request(s), what it does and
// what cannot be undone, live-validated inputs, the typed name for critical actions, and Cancel/Confirm
// with Cancel focused first. It only draws the controller's ConfirmState; the keys are the controller's.
import React from 'react';
import {Box, Text} from 'ink';
import {cutToWidth, sanitise} from '../../util/terminal-text.js';
import {SegmentLine, seg, type Line} from '../line.js';
import {Frame} from '../overlays.js';
import type {Theme, Tone} from '../theme.js';
import type {ConfirmState} from './controller.js';

export const SEVERITY_TONE: Record<string, Tone> = {low: 'accent', high: 'warning', critical: 'critical'};

function Button({label, focused, theme}: {label: string; focused: boolean; theme: Theme}) {
	// The marker and brackets keep focus visible without colour (NO_COLOR).
	return (
		<Text inverse={focused} bold={focused} color={focused && theme.color ? 'cyan' : undefined}>
			{focused ? `› ${label} ‹` : `  ${label}  `}
		</Text>
	);
}

function Field({label, value, focused, suffix, theme, width}: {label: string; value: string; focused: boolean; suffix?: string; theme: Theme; width: number}) {
	const line: Line = [seg(`${focused ? '›' : ' '} ${label}: `, focused ? 'accent' : 'plain', focused), seg(`[${value}${focused ? (theme.ascii ? '_' : '▏') : ''}]`, 'plain', true)];
	if (suffix) line.push(seg(` ${suffix}`, 'muted'));
	return <SegmentLine line={line} width={width} theme={theme} />;
}

export function ConfirmModal({confirm, width, height, theme}: {confirm: ConfirmState; width: number; height: number; theme: Theme}) {
	const {prepared} = confirm;
	const {action, plan, confirmation} = prepared;
	const inner = width - 2;
	const tone = SEVERITY_TONE[action.severity]!;
	const wrapLines = (text: string) => <Text wrap="wrap">{sanitise(text)}</Text>;
	const shownTargets = prepared.targets.slice(0, 8);
	const shownRequests = plan.requests.slice(0, 8);
	return (
		<Frame title={`Confirm: ${action.title}`} width={width} height={height} theme={theme} closeHint="Esc cancels, nothing is sent">
			<SegmentLine line={[seg(`${action.severity.toUpperCase()} `, tone, true), seg(`${action.id}`, 'muted'), seg(`  ${confirmation.prompt}`, tone)]} width={inner} theme={theme} />
			<Text bold>Target{prepared.targets.length === 1 ? '' : `s (${prepared.targets.length})`}:</Text>
			{shownTargets.map((t) => (
				<SegmentLine key={t.id} line={[seg(`  ${t.name}`, 'plain', true), seg(` (${t.kind} ${t.id})`, 'muted'), ...(t.reason ? [seg(` ${t.reason}`, 'warning')] : [])]} width={inner} theme={theme} />
			))}
			{prepared.targets.length > shownTargets.length && <Text dimColor>  … {prepared.targets.length - shownTargets.length} more</Text>}
			<Text bold>Sends exactly:</Text>
			{/* The exact request wraps rather than being cut: what will be sent must be read whole. */}
			{shownRequests.map((r, i) => (
				<Box key={i} paddingLeft={2}>
					<Text wrap="wrap">{sanitise(r.display)}</Text>
				</Box>
			))}
			{plan.requests.length > shownRequests.length && <Text dimColor>  … {plan.requests.length - shownRequests.length} more</Text>}
			{/* A label in a row of its own box with a margin: Ink drops a trailing space, which ran it into the text. */}
			<Box>
				<Box flexShrink={0} marginRight={1}>
					<Text bold>What it does:</Text>
				</Box>
				{wrapLines(plan.summary)}
			</Box>
			{plan.irreversible && (
				<Box>
					<Box flexShrink={0} marginRight={1}>
						<Text bold color={theme.color ? 'red' : undefined}>
							Cannot be undone:
						</Text>
					</Box>
					{wrapLines(plan.irreversible)}
				</Box>
			)}
			{plan.notes.slice(0, 6).map((n, i) => (
				<Text key={i} dimColor wrap="truncate">
					{'  '}
					{cutToWidth(sanitise(n), inner - 2)}
				</Text>
			))}
			{action.inputFields.map((f) => (
				<Field
					key={f.name}
					label={f.label}
					value={confirm.inputs[f.name] ?? ''}
					focused={confirm.focus === `input:${f.name}`}
					suffix={`${f.unit ? f.unit + ' ' : ''}(${f.min}–${f.max})`}
					theme={theme}
					width={inner}
				/>
			))}
			{confirm.inputError && <SegmentLine line={[seg(`✗ ${confirm.inputError}`, 'critical', true)]} width={inner} theme={theme} />}
			{confirmation.kind === 'typed' && <Field label={`type "${confirmation.expected}"`} value={confirm.typed} focused={confirm.focus === 'typed'} theme={theme} width={inner} />}
			{confirm.error && <SegmentLine line={[seg(`✗ ${confirm.error}`, 'critical', true)]} width={inner} theme={theme} />}
			<Box marginTop={1}>
				<Button label="Cancel" focused={confirm.focus === 'cancel'} theme={theme} />
				<Text> </Text>
				<Button label="Confirm" focused={confirm.focus === 'confirm'} theme={theme} />
				<Text dimColor>
					{'   '}
					{confirmation.kind === 'yes' ? 'y or Enter confirms' : confirmation.kind === 'confirm' ? 'Tab/→ to Confirm, then Enter' : 'type the name, then Enter'} · Esc cancels
				</Text>
			</Box>
		</Frame>
	);
}
