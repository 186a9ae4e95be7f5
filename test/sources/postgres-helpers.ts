// One way for tests to run SQL against the harness's PostgreSQL: a short-lived client per call.
import pg from 'pg';

/** Runs the statements in order on one connection; resolves to the last one's rows. */
export async function sql(url: string, ...statements: string[]): Promise<unknown[]> {
	const client = new pg.Client({connectionString: url});
	await client.connect();
	try {
		let rows: unknown[] = [];
		for (const statement of statements) rows = (await client.query(statement)).rows;
		return rows;
	} finally {
		await client.end();
	}
}
