// The README's example config files are read as a user would paste them: each ```json block holding
// "contexts" is written to a file and resolved for every context it names, and each context's keymap is
// built with the console's real bindings. An example the console would refuse fails here.
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {resolveConfig} from '../../source/config/index.js';
import {actionBindings} from '../../source/ui/actions/action-keys.js';
import {buildKeymap} from '../../source/ui/keymap.js';
import {repoRoot} from '../harness/services.js';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const examples = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((text) => text.includes('"contexts"'));

describe("the README's config examples", () => {
	it('there is at least one', () => {
		expect(examples.length).toBeGreaterThan(0);
	});

	it.each(examples.map((text, i) => [i + 1, text] as const))('example %i resolves for every context, keymap included', async (_, text) => {
		const home = mkdtempSync(path.join(os.tmpdir(), 'hive-readme-'));
		// Files the example points at (a token file under ~) exist, as they would on the user's machine.
		for (const m of text.matchAll(/"tokenFile":\s*"~\/([^"]+)"/g)) {
			mkdirSync(path.dirname(path.join(home, m[1]!)), {recursive: true});
			writeFileSync(path.join(home, m[1]!), 'token-from-file\n', {mode: 0o600});
		}
		const file = path.join(home, 'config.json');
		writeFileSync(file, text);
		const parsed = JSON.parse(text) as {contexts: Record<string, {keymap?: Record<string, string | string[]>}>};
		const env = {HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_STATE_HOME: path.join(home, 'state')};
		for (const [name, context] of Object.entries(parsed.contexts)) {
			const config = await resolveConfig({config: file, context: name}, env);
			expect(config.contextName).toBe(name);
			expect(() => buildKeymap(context.keymap ?? {}, actionBindings(), `README example, contexts.${name}.keymap`)).not.toThrow();
		}
	});
});
