import { z } from 'zod';
import { SIDEBAR_COMMANDS, type SidebarView } from './viewModels';

export { SIDEBAR_COMMANDS };

/**
 * Messages between the sidebar webview and the host. The host validates every message from the
 * webview with `fromWebviewSchema` before acting on it; the webview trusts the host.
 */

/** host → webview */
export type ToWebview =
  /** the whole view; sent on `ready` and whenever most of it changed */
  | { type: 'state'; view: SidebarView }
  /** only the top-level parts of the view that changed */
  | { type: 'patch'; view: Partial<SidebarView> };

const MAX_STEP = 100_000;
const MAX_METRIC_NAME = 120;
const step = z.number().int().min(0).max(MAX_STEP);
const duration = z.number().finite().min(0).max(600_000);
const empty = <T extends string>(type: T) => z.strictObject({ type: z.literal(type) });

/** webview → host */
export const fromWebviewSchema = z.discriminatedUnion('type', [
  /** the webview is listening: the host answers with `state` */
  empty('ready'),
  /** the first render with data is laid out, `ms` after the script started; drawing it took `drawMs` */
  z.strictObject({ type: z.literal('rendered'), ms: duration, drawMs: duration, source: z.enum(['restored', 'page', 'host']) }),
  empty('start'),
  empty('stop'),
  /** the answer to the decision card `id`; a reason goes to the planner with Decline and Reject */
  z.strictObject({
    type: z.literal('decide'),
    id: z.string().min(1).max(100),
    choice: z.enum(['run', 'decline', 'accept', 'reject']),
    reason: z.string().max(2000).optional(),
  }),
  /** show the diff of the edit decision `id` */
  z.strictObject({ type: z.literal('openDiff'), id: z.string().min(1).max(100) }),
  /** a note for the planner's next prompt */
  z.strictObject({ type: z.literal('steer'), text: z.string().trim().min(1).max(4000) }),
  /** pause after the current step / go on */
  empty('pause'),
  empty('continue'),
  empty('askExpert'),
  /** one of the commands the empty state, the restricted mode and the setup offer */
  z.strictObject({ type: z.literal('command'), command: z.enum(SIDEBAR_COMMANDS) }),
  /** open what a step produced; `cite`: reveal the first line that holds this text */
  z.strictObject({
    type: z.literal('openArtifact'),
    step,
    kind: z.enum(['diff', 'output', 'observation']),
    cite: z.string().min(1).max(200).optional(),
  }),
  /** open the full output of an experiment (by its id in the run); `cite`: reveal the first place that holds this text */
  z.strictObject({
    type: z.literal('openExperiment'),
    id: z.number().int().min(1).max(MAX_STEP),
    cite: z.string().min(1).max(200).optional(),
  }),
  /** open every version of the research plan */
  empty('showHistory'),
  /** plot this metric (one the view offers in `metrics.choices`) */
  z.strictObject({ type: z.literal('chooseMetric'), metric: z.string().min(1).max(MAX_METRIC_NAME) }),
]);

export type FromWebview = z.infer<typeof fromWebviewSchema>;

/** What the user asked for; `ready` and `rendered` are the sidebar's own business. */
export type SidebarIntent = Exclude<FromWebview, { type: 'ready' } | { type: 'rendered' }>;

export type ParsedMessage = { ok: true; message: FromWebview } | { ok: false; error: string };

/** Validates a message from the webview; never throws. */
export function parseFromWebview(raw: unknown): ParsedMessage {
  const result = fromWebviewSchema.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`);
  return { ok: false, error: problems.join('; ') };
}

export function isIntent(message: FromWebview): message is SidebarIntent {
  return message.type !== 'ready' && message.type !== 'rendered';
}
