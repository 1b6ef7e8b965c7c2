/**
 * The order findings are reported in, the same on every run: findings in the body by block,
 * then line, then kind; after them findings about references by line, then by the
 * reference's position in the list, then kind; the message breaks the remaining ties.
 */
import type { Finding } from '../model.js';
import type { AuditContext } from './context.js';

const byValue = (a: number, b: number): number => a - b;
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function compareFindings(ctx: AuditContext): (a: Finding, b: Finding) => number {
  // A sort compares each finding about log n times: its position is worked out once.
  const positions = new Map<Finding, number>();
  const position = (f: Finding): number => {
    let at = positions.get(f);
    if (at === undefined) {
      at = Number.MAX_SAFE_INTEGER;
      const ids = f.referenceIds;
      for (let k = 0; k < ids.length; k++)
        at = Math.min(at, ctx.referenceOrder.get(ids[k]!) ?? Number.MAX_SAFE_INTEGER);
      positions.set(f, at);
    }
    return at;
  };
  return (a, b) => {
    const ba = a.location.block;
    const bb = b.location.block;
    if ((ba === undefined) !== (bb === undefined)) return ba === undefined ? 1 : -1;
    return (
      byValue(ba ?? 0, bb ?? 0) ||
      byValue(a.location.line ?? Number.MAX_SAFE_INTEGER, b.location.line ?? Number.MAX_SAFE_INTEGER) ||
      (ba === undefined ? byValue(position(a), position(b)) : 0) ||
      byText(a.kind, b.kind) ||
      byText(a.message, b.message)
    );
  };
}

/** A sorted copy of the findings. */
export const sortFindings = (ctx: AuditContext, findings: readonly Finding[]): Finding[] =>
  [...findings].sort(compareFindings(ctx));
