import { diffLines } from 'diff';

/** One block of changed lines between the file (left) and the proposal (right). Offsets are in characters. */
export interface Hunk {
  index: number;
  left: { offset: number; text: string };
  right: { offset: number; text: string };
  /** 0-based line in the proposal where the hunk starts (where its CodeLens goes) */
  rightLine: number;
}

/** Splits the difference between two texts into independent hunks of whole lines. */
export function computeHunks(left: string, right: string): Hunk[] {
  const hunks: Hunk[] = [];
  let leftOffset = 0;
  let rightOffset = 0;
  let rightLine = 0;
  let open: Hunk | undefined;
  for (const change of diffLines(left, right)) {
    if (!change.added && !change.removed) {
      open = undefined;
      leftOffset += change.value.length;
      rightOffset += change.value.length;
      rightLine += change.count;
      continue;
    }
    if (!open) {
      open = { index: hunks.length, left: { offset: leftOffset, text: '' }, right: { offset: rightOffset, text: '' }, rightLine };
      hunks.push(open);
    }
    if (change.removed) {
      open.left.text += change.value;
      leftOffset += change.value.length;
    } else {
      open.right.text += change.value;
      rightOffset += change.value.length;
      rightLine += change.count;
    }
  }
  return hunks;
}
