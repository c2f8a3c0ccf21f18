// A node:test reporter that writes one closing line, "node: N passed, N failed", which the
// repository's suite runner (scripts/run_suites.py) reads. Cancelled tests count as failed.
export default async function* summary(source) {
  const totals = {};
  for await (const event of source) {
    if (event.type === 'test:diagnostic' && event.data.nesting === 0) {
      const match = /^(pass|fail|cancelled) (\d+)$/.exec(event.data.message);
      if (match) totals[match[1]] = Number(match[2]);
    }
  }
  const failed = (totals.fail ?? 0) + (totals.cancelled ?? 0);
  yield `node: ${totals.pass ?? 0} passed, ${failed} failed\n`;
}
