import type { PlanPart } from './viewModels';

/** Splits a Research Plan and Status into plain parts and the `**bold**` (newest) parts. */
export function planParts(plan: string): PlanPart[] {
  const parts: PlanPart[] = [];
  const bold = /\*\*([\s\S]+?)\*\*/g;
  let last = 0;
  for (const match of plan.matchAll(bold)) {
    const start = match.index ?? 0;
    if (start > last) parts.push({ text: plan.slice(last, start), fresh: false });
    parts.push({ text: match[1], fresh: true });
    last = start + match[0].length;
  }
  if (last < plan.length) parts.push({ text: plan.slice(last), fresh: false });
  return parts;
}
