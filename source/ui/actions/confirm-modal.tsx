// The confirmation modal: the action, its target(s) by name and id, the exact request(s), what it does and
// what cannot be undone, live-validated inputs, the typed name for critical actions, and Cancel/Confirm
// with Cancel focused first. It only draws a ConfirmState; its keys are the keymap's confirm view bindings.
import React from 'react';
import {Box, Text} from 'ink';
import {SegmentLine, seg, type Line} from '../line.js';
import {keysOf, type Keymap} from '../keymap.js';
import {Frame, ScrollLines, wrappedLines, type ScrollWindow} from '../views/scroll-frame.js';
import type {Theme, Tone} from '../theme.js';
import {NOT_ON_CONFIRM, type ConfirmState} from './confirm-state.js';

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

/**
 * What the confirmation says above its fields: severity and prompt, targets, the exact request(s) wrapped
 * whole (what will be sent must be read to the last character), what it does and what cannot be undone
 * (wrapped), then the planner's notes, wrapped too: they say why a parameter was chosen (force=true, say).
 */
export function confirmLines(confirm: ConfirmState, inner: number): Line[] {
	const {prepared} = confirm;
	const {action, plan, confirmation} = prepared;
	const tone = SEVERITY_TONE[action.severity]!;
	const lines: Line[] = [...wrappedLines([seg(`${action.severity.toUpperCase()} `, tone, true), seg(`${action.id}  `, 'muted')], confirmation.prompt, inner, tone)];
	lines.push([seg(`Target${prepared.targets.length === 1 ? '' : `s (${prepared.targets.length})`}:`, 'plain', true)]);
	for (const t of prepared.targets) lines.push([seg(`  ${t.name}`, 'plain', true), seg(` (${t.kind} ${t.id})`, 'muted'), ...(t.reason ? [seg(` ${t.reason}`, 'warning')] : [])]);
	lines.push([seg('Sends exactly:', 'plain', true)]);
	for (const r of plan.requests) lines.push(...wrappedLines([seg('  ')], r.display, inner));
	lines.push(...wrappedLines([seg('What it does: ', 'plain', true)], plan.summary, inner));
	if (plan.irreversible) lines.push(...wrappedLines([seg('Cannot be undone: ', 'critical', true)], plan.irreversible, inner));
	for (const n of plan.notes) lines.push(...wrappedLines([seg('  ')], n, inner, 'muted'));
	return lines;
}

export function ConfirmModal({confirm, width, height, theme, keymap, scroll}: {confirm: ConfirmState; width: number; height: number; theme: Theme; keymap: Keymap; scroll?: ScrollWindow}) {
	const {prepared} = confirm;
	const {action, confirmation} = prepared;
	const inner = width - 2;
	const keys = (command: string) => keysOf(keymap, command, theme.ascii);
	// The fields, errors and buttons stay put at the bottom; the text above them scrolls if it must.
	const fixed = action.inputFields.length + (confirm.inputError ? 1 : 0) + (confirmation.kind === 'typed' ? 1 : 0) + (confirm.error ? 1 : 0) + 2;
	const how = confirmation.kind === 'yes'
		? `${keys('confirm-yes')} confirms · ${keys('activate')} presses the focused button`
		: confirmation.kind === 'confirm'
			? `${keys('field-next')} to Confirm, then ${keys('activate')}`
			: `type the name, then ${keys('activate')}`;
	return (
		<Frame title={`Confirm: ${action.title}`} width={width} height={height} theme={theme} closeHint={`${keys('cancel')} cancels, nothing is sent`}>
			<ScrollLines lines={confirmLines(confirm, inner)} width={inner} rows={Math.max(1, height - 3 - fixed)} scroll={scroll ?? {top: 0}} theme={theme} />
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
			{confirm.error && <SegmentLine line={[seg(`✗ ${confirm.error === NOT_ON_CONFIRM ? `${NOT_ON_CONFIRM} (${keys('field-next')} or ${keys('button-switch')})` : confirm.error}`, 'critical', true)]} width={inner} theme={theme} />}
			<Box marginTop={1} flexShrink={0}>
				<Button label="Cancel" focused={confirm.focus === 'cancel'} theme={theme} />
				<Text> </Text>
				<Button label="Confirm" focused={confirm.focus === 'confirm'} theme={theme} />
				<Box flexShrink={1}>
					<SegmentLine line={[seg(`   ${how} · ${keys('cancel')} cancels`, 'muted')]} width={Math.max(0, inner - 26)} theme={theme} />
				</Box>
			</Box>
		</Frame>
	);
}
