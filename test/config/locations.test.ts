// Config errors say where: file:line:column (the form editors and terminals jump to), the key path, and
// what to do; never a bare "at position 104", never a piece of the file that could hold a password.
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {ConfigError, resolveConfig} from '../../source/config/index.js';
import {mapJson} from '../../source/config/json-locate.js';

let dir: string;
let env: Record<string, string>;
let file: string;

function write(text: string): void {
	mkdirSync(path.dirname(file), {recursive: true});
	writeFileSync(file, text);
}

async function configError(text: string, flags: Record<string, unknown> = {}): Promise<string> {
	write(text);
	try {
		await resolveConfig(flags, env);
	} catch (error) {
		expect(error).toBeInstanceOf(ConfigError);
		return (error as Error).message;
	}
	throw new Error('expected a ConfigError');
}

beforeEach(() => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'hive-config-loc-'));
	env = {HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_STATE_HOME: path.join(dir, 'state')};
	file = path.join(dir, 'config', 'hive-console', 'config.json');
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

const lines = (...l: string[]) => `${l.join('\n')}\n`;

describe('JSON syntax errors', () => {
	it('a trailing comma: line and column of the "}", and what to remove (the case that said "at position 104")', async () => {
		const message = await configError(
			lines(
				'{',
				'  "currentContext": "prod",',
				'  "contexts": {',
				'    "prod": {',
				'      "hive": "https://hive.example.com",',
				'      "redis": "redis://:hunter2pass@redis.example.com:6379",',
				'    }',
				'  }',
				'}',
			),
		);
		expect(message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:7:5: not valid JSON: a comma before "}"; remove the trailing comma`));
		expect(message).not.toMatch(/position/);
		expect(message).not.toContain('hunter2pass');
	});

	it.each([
		['a missing comma between two keys', lines('{', '  "contexts": {', '    "prod": {', '      "hive": "http://h:1"', '      "interval": 5', '    }', '  }', '}'), 5, 7, 'a comma is missing before this key'],
		['a key without quotes', lines('{', '  contexts: {}', '}'), 2, 3, 'a key without quotes; write keys in double quotes'],
		['single quotes', lines('{', "  'contexts': {}", '}'), 2, 3, 'keys must be in double quotes'],
		['a comment', lines('{', '  // staging first', '  "contexts": {}', '}'), 2, 3, 'comments are not allowed in JSON'],
		['a file that ends early', lines('{', '  "contexts": {', '    "prod": {"hive": "http://h:1"}'), 4, 1, 'the file ends inside the object opened at line 2, column 15; add the missing "}"'],
		['an unclosed string', lines('{', '  "contexts": {', '    "prod": {"hive": "http://h:1}', '  }', '}'), 3, 22, 'a line break inside the string that starts here; add its closing double quote'],
		['a capitalised literal', lines('{', '  "contexts": {"prod": {"readOnly": True}}', '}'), 2, 37, 'write true, false or null in lower case'],
		['an empty file', '', 1, 1, 'the file is empty'],
		['a leading zero', lines('{"contexts": {"prod": {"interval": 05}}}'), 1, 36, 'write 5, not 05'],
		['text after the end', lines('{"contexts": {}}', '}'), 2, 1, 'after the end of the top-level value'],
	])('%s', async (_name, text, line, column, what) => {
		const message = await configError(text);
		expect(message.startsWith(`${file}:${line}:${column}: not valid JSON: `)).toBe(true);
		expect(message).toContain(what);
		expect(message).toContain('JSON wants double-quoted keys');
	});

	it('reads a file an editor saved with a byte-order mark', async () => {
		write(`\uFEFF${JSON.stringify({contexts: {only: {hive: 'http://only:1'}}})}`);
		expect((await resolveConfig({}, env)).hiveUrl).toBe('http://only:1');
	});

	it('agrees with JSON.parse on what is valid, for every prefix of a real config', () => {
		const text = JSON.stringify({currentContext: 'a', contexts: {a: {hive: 'http://a:1', interval: 1.5e1, streams: ['x', 'y\u00e9"\\'], readOnly: false, environment: null}}}, null, 2);
		for (let n = 0; n <= text.length; n++) {
			const part = text.slice(0, n);
			let valid = true;
			try {
				JSON.parse(part);
			} catch {
				valid = false;
			}
			expect(mapJson(part).error === null, `prefix of ${n} characters`).toBe(valid);
		}
	});
});

describe('schema errors', () => {
	const config = lines(
		'{',
		'  "currentContext": "prod",',
		'  "contexts": {',
		'    "prod": {',
		'      "hive": "https://hive.example.com",',
		'      "intreval": 5,',
		'      "thresholds": {"successRate": {"warning": "92"}},',
		'      "environment": {"color": "red"},',
		'      "apiProfile": "v2"',
		'    }',
		'  }',
		'}',
	);

	it('every problem at once, in file order, each with its line, column and key path', async () => {
		expect((await configError(config)).split('\n')).toEqual([
			`${file}:6:7: contexts.prod: unknown key "intreval" (did you mean "interval"?)`,
			`${file}:7:49: contexts.prod.thresholds.successRate.warning: expected a number`,
			// A missing key has no place of its own: its object is pointed at.
			`${file}:8:22: contexts.prod.environment.label: expected a short label such as "PROD"`,
			`${file}:9:21: contexts.prod.apiProfile: expected one of auto, runbook, beehive`,
		]);
	});

	it('a key written twice is named at its second place, with the first line', async () => {
		const message = await configError(lines('{', '  "contexts": {', '    "prod": {', '      "hive": "http://a:1",', '      "hive": "http://b:1"', '    }', '  }', '}'));
		expect(message).toBe(`${file}:5:7: contexts.prod.hive: written twice (first at line 4); keep one, JSON keeps only the last without a word`);
	});

	it('thresholds that contradict each other, and a token file that is not there, name their line', async () => {
		const thresholds = await configError(lines('{', '  "contexts": {', '    "prod": {', '      "thresholds": {"queueLength": {"warning": 200}}', '    }', '  }', '}'));
		expect(thresholds).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4:37: contexts\\.prod\\.thresholds\\.queueLength: expected target `));
		const token = await configError(lines('{', '  "contexts": {', '    "prod": {', '      "tokenFile": "~/nope.token"', '    }', '  }', '}'));
		expect(token).toBe(`${file}:4:20: contexts.prod.tokenFile "${path.join(dir, 'nope.token')}": no such file`);
	});

	it('describeKey gives later checks (the console keymap) the same file:line:column form', async () => {
		write(lines('{', '  "contexts": {', '    "prod": {', '      "keymap": {"refresh": "R"}', '    }', '  }', '}'));
		const c = await resolveConfig({}, env);
		expect(c.describeKey(['contexts', 'prod', 'keymap'])).toBe(`${file}:4:17: contexts.prod.keymap`);
		expect(c.describeKey(['contexts', 'prod', 'keymap', 'refresh'])).toBe(`${file}:4:29: contexts.prod.keymap.refresh`);
	});
});
