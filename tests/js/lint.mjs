// Lint Cypher statements with Neo4j's own parser and semantic analysis.
// stdin: a JSON list of statement strings.
// stdout: a JSON list, one entry per statement: a list of diagnostics
//   {severity: "error"|"warning"|..., message, line, column, offset, param: bool}
// `param` is true for "Parameter $x is not defined." (callers usually ignore those).
import { lintCypherQuery, isNotParamError } from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function readStdin() {
  return new Promise((resolve, reject) => {
    let data = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => { data += chunk; });
    process.stdin.on('end', () => resolve(data));
    process.stdin.on('error', reject);
  });
}

function lintOne(statement) {
  const { diagnostics } = lintCypherQuery(statement, {});
  return diagnostics.map((d) => ({
    severity: SEVERITY[d.severity] ?? String(d.severity),
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    offset: d.offsets.start,
    param: !isNotParamError(d),
  }));
}

const statements = JSON.parse(await readStdin());
process.stdout.write(JSON.stringify(statements.map(lintOne)));
