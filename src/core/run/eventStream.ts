import type { RecordedEvent, RunEvent, RunEventListener } from '../events';
import type { LogRecord, ResearchLog } from '../memory/researchLog';

/** Every type of RecordedEvent: the compiler asks for a new one here. */
const RECORDED: Record<RecordedEvent['type'], true> = {
  call: true,
  'call-started': true,
  warning: true,
  experiment: true,
  verdict: true,
  'user-note': true,
};
const RECORDED_TYPES: ReadonlySet<string> = new Set(Object.keys(RECORDED));

/**
 * The run's one event stream: what is emitted, and every log record of a recorded type as it is
 * written, goes to each listener. A listener that throws is reported and cannot end the run.
 */
export function eventStream(log: ResearchLog, listeners: readonly RunEventListener[], report: (message: string) => void): RunEventListener {
  const emit: RunEventListener = (event) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        report(`a listener of ${event.type} events failed: ${(error as Error).message}`);
      }
    }
  };
  log.onAppend((record) => {
    if (isRecordedEvent(record)) emit(record);
  });
  return emit;
}

function isRecordedEvent(record: LogRecord | RunEvent): record is RecordedEvent {
  return RECORDED_TYPES.has(record.type);
}
