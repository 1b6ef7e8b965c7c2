/**
 * GitHub Actions expressions (`${{ … }}` and `if:`), enough of them for citewatch's workflows:
 * contexts with `.name` and `['name']` access, string/number/boolean/null literals, `!`, `==`,
 * `!=`, `<`, `<=`, `>`, `>=`, `&&`, `||`, parentheses, and functions supplied by the caller
 * (`always()`, `hashFiles()`, …). Comparison and truthiness follow GitHub's rules: strings
 * compare case-insensitively, mixed types compare as numbers, `&&`/`||` return an operand.
 */

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value | undefined };
export type Functions = Record<string, (...args: Value[]) => Value>;
export interface Scope {
  contexts: Record<string, Value | undefined>;
  functions: Functions;
}

type Token =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'id'; v: string }
  | { t: 'op'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new Error(`unterminated string in ${src}`);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += src[i++];
      }
      out.push({ t: 'str', v });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('!<>().,[]*'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (num && (out.length === 0 || out.at(-1)!.t === 'op')) {
      out.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    throw new Error(`unexpected "${c}" in expression ${src}`);
  }
  return out;
}

export function truthy(v: Value | undefined): boolean {
  return !(v === undefined || v === null || v === false || v === 0 || v === '' || Number.isNaN(v));
}

const toNumber = (v: Value | undefined): number => {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return Number.NaN;
};

function compare(a: Value | undefined, b: Value | undefined, op: string): boolean {
  const sa = typeof a === 'string';
  const sb = typeof b === 'string';
  if (sa && sb) {
    const x = (a as string).toLowerCase();
    const y = (b as string).toLowerCase();
    if (op === '==') return x === y;
    if (op === '!=') return x !== y;
    return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
  }
  if ((a === null || a === undefined) && (b === null || b === undefined))
    return op === '==' || op.includes('=');
  const x = toNumber(a);
  const y = toNumber(b);
  switch (op) {
    case '==':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

/** The string form of a value in `${{ }}` interpolation. */
export function stringify(v: Value | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Evaluates one expression (without `${{ }}`). */
export function evaluate(src: string, scope: Scope): Value | undefined {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (v: string): boolean => peek()?.t === 'op' && peek()!.v === v;
  const expect = (v: string): void => {
    if (!isOp(v)) throw new Error(`expected "${v}" in ${src}`);
    pos++;
  };

  const primary = (): Value | undefined => {
    const tok = tokens[pos++];
    if (!tok) throw new Error(`unexpected end of ${src}`);
    if (tok.t === 'str' || tok.t === 'num') return tok.v;
    if (tok.t === 'op' && tok.v === '(') {
      const v = or();
      expect(')');
      return v;
    }
    if (tok.t === 'op' && tok.v === '!') return !truthy(primaryWithAccess());
    if (tok.t === 'id') {
      if (tok.v === 'true') return true;
      if (tok.v === 'false') return false;
      if (tok.v === 'null') return null;
      if (isOp('(')) {
        pos++;
        const args: Value[] = [];
        while (!isOp(')')) {
          args.push(or() ?? null);
          if (isOp(',')) pos++;
        }
        pos++;
        const f = scope.functions[tok.v.toLowerCase()];
        if (!f) throw new Error(`unknown function ${tok.v}() in ${src}`);
        return f(...args);
      }
      return scope.contexts[tok.v];
    }
    throw new Error(`unexpected "${tok.v}" in ${src}`);
  };

  const primaryWithAccess = (): Value | undefined => {
    let v = primary();
    for (;;) {
      if (isOp('.')) {
        pos++;
        const name = tokens[pos++];
        if (name?.t !== 'id') throw new Error(`expected a property name in ${src}`);
        v = access(v, name.v);
      } else if (isOp('[')) {
        pos++;
        const key = or();
        expect(']');
        v = access(v, stringify(key));
      } else return v;
    }
  };

  const access = (v: Value | undefined, key: string): Value | undefined => {
    if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) return undefined;
    const found = Object.keys(v).find((k) => k.toLowerCase() === key.toLowerCase());
    return found === undefined ? undefined : v[found];
  };

  const comparison = (): Value | undefined => {
    let left = primaryWithAccess();
    const isComparison = (): boolean => {
      const tok = peek();
      return tok?.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(tok.v);
    };
    while (isComparison()) {
      const op = String(tokens[pos++]!.v);
      const right = primaryWithAccess();
      left = compare(left, right, op);
    }
    return left;
  };

  const and = (): Value | undefined => {
    let left = comparison();
    while (isOp('&&')) {
      pos++;
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  };

  const or = (): Value | undefined => {
    let left = and();
    while (isOp('||')) {
      pos++;
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };

  const value = or();
  if (pos !== tokens.length) throw new Error(`unexpected "${String(tokens[pos]!.v)}" in ${src}`);
  return value;
}

/** Replaces every `${{ expr }}` in `text` with its string value. */
export function interpolate(text: string, scope: Scope): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => stringify(evaluate(expr, scope)));
}

/** An `if:` condition: a bare expression or one `${{ }}`; without a status function it means `success() && (…)`. */
export function condition(source: unknown, scope: Scope): boolean {
  if (source === undefined || source === null) return truthy(evaluate('success()', scope));
  if (typeof source === 'boolean') return source;
  let expr = String(source).trim();
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(expr);
  if (whole) expr = whole[1]!;
  else if (expr.includes('${{')) expr = `'${interpolate(expr, scope).replace(/'/g, "''")}'`;
  if (!/\b(success|failure|always|cancelled)\s*\(/.test(expr)) expr = `success() && (${expr})`;
  return truthy(evaluate(expr, scope));
}
