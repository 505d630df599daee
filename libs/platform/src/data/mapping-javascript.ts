/**
 * Telling stored JavaScript from JSONata. Mapping expressions are JSONata
 * only: stored JavaScript is never executed (nothing in the data plane runs JavaScript from a definition),
 * so a definition that holds some is refused, with the JSONata to write
 * instead when the snippet is a simple one.
 */

/** Where to look up JSONata functions, for snippets that cannot be translated. */
export const JSONATA_FUNCTIONS_URL = 'https://docs.jsonata.org/string-functions';

/** JavaScript constructs that JSONata has no use for, each with the reason shown. */
const JAVASCRIPT_SIGNS: readonly (readonly [RegExp, string])[] = [
  [/\breturn\b/, '`return`'],
  [/=>/, 'an arrow function'],
  [/\bfunction\b\s*[A-Za-z_]*\s*\(\s*[A-Za-z_]/, 'a JavaScript function (JSONata parameters start with `$`)'],
  [/\b(?:const|let|var)\s+[A-Za-z_$]/, 'a variable declaration'],
  [/\bnew\s+[A-Z]/, '`new`'],
  [/;\s*$/, 'a `;` statement end'],
  [/[!=]==/, '`===`/`!==` (JSONata compares with `=`/`!=`)'],
  [/&&|\|\|/, '`&&`/`||` (JSONata has `and`/`or`)'],
  [/(?<![$\w])(?:parseInt|parseFloat|Number|String|Boolean)\s*\(/, 'a JavaScript global function'],
  [/[\w)\]]\s*\.\s*[A-Za-z_]\w*\s*\(/, 'a method call such as `.trim()`'],
];

/** The snippet with its string literals and comments blanked, so their text cannot look like code. */
function codeOnly(expression: string): string {
  return expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`|\/\*[\s\S]*?\*\//g, '""');
}

/** What makes the expression JavaScript, or `undefined` when it reads as JSONata. */
export function javascriptSign(expression: string): string | undefined {
  const code = codeOnly(expression);
  return JAVASCRIPT_SIGNS.find(([pattern]) => pattern.test(code))?.[1];
}

const METHODS: ReadonlyMap<string, string> = new Map([
  ['trim', '$trim'],
  ['toLowerCase', '$lowercase'],
  ['toUpperCase', '$uppercase'],
  ['toString', '$string'],
]);
const GLOBALS: ReadonlyMap<string, string> = new Map([
  ['parseInt', '$number'],
  ['parseFloat', '$number'],
  ['Number', '$number'],
  ['String', '$string'],
  ['Boolean', '$boolean'],
]);
const OPERAND = /^(?:value|record(?:\.[A-Za-z_]\w*)+)$/;

/** The JSONata for one JavaScript expression built from `value`, `record.x`, the methods and globals above. */
function translateExpression(javascript: string): string | undefined {
  const text = javascript.trim();
  if (OPERAND.test(text)) return text;
  const method = /^(.+)\.([A-Za-z]+)\(\)$/.exec(text);
  if (method !== null) {
    const name = METHODS.get(method[2]!);
    const inner = translateExpression(method[1]!);
    return name === undefined || inner === undefined ? undefined : `${name}(${inner})`;
  }
  const call = /^([A-Za-z]+)\((.+?)(?:,\s*10)?\)$/.exec(text);
  if (call !== null) {
    const name = GLOBALS.get(call[1]!);
    const inner = translateExpression(call[2]!);
    return name === undefined || inner === undefined ? undefined : `${name}(${inner})`;
  }
  return undefined;
}

/**
 * The JSONata equivalent of a simple JavaScript snippet, or `undefined`:
 * `return value ? value.trim() : null;` → `$trim(value)` (JSONata functions
 * pass a missing value through, so the guard is not needed),
 * `value.toLowerCase()` → `$lowercase(value)`, `parseInt(value)` →
 * `$number(value)`, `String(value)` → `$string(value)`, and chains of them.
 */
export function suggestJsonata(javascript: string): string | undefined {
  let body = javascript.trim();
  body = body.replace(/^\(?\s*(?:value)?\s*\)?\s*=>\s*/, '');
  body = body.replace(/^\{([\s\S]*)\}$/, '$1').trim();
  body = body
    .replace(/^return\s+/, '')
    .replace(/;\s*$/, '')
    .trim();
  const guard = /^(.+?)\s*\?\s*(.+?)\s*:\s*(?:null|undefined|''|"")$/.exec(body);
  if (guard !== null && guard[1]!.trim() === 'value') body = guard[2]!;
  return translateExpression(body);
}

/** The message for an expression refused as JavaScript. */
export function javascriptMessage(expression: string, sign: string): string {
  const suggestion = suggestJsonata(expression);
  const advice =
    suggestion === undefined
      ? `rewrite it in JSONata, e.g. $trim(value), $lowercase(value), $number(value) (functions: ${JSONATA_FUNCTIONS_URL})`
      : `write it in JSONata instead: ${suggestion}`;
  return `looks like JavaScript (${sign}), and stored JavaScript is never executed; ${advice}`;
}
