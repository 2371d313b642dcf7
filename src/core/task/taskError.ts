/** A task problem the user can fix: bad folder, unreadable or invalid task file, a task that cannot be prepared. */
export class TaskError extends Error {
  override name = 'TaskError';
}
