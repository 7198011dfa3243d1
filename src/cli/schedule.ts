import { createTask } from 'node-cron';
import type { Config } from '../config/index.js';

/** The next `count` times the schedule fires, read by node-cron itself (so `check` and health agree with `start`). */
export function nextScheduledRuns(config: Config, count: number): Date[] {
  const task = createTask(config.schedule, () => undefined, { timezone: config.timezone, name: 'preview' });
  const runs = task.getNextRuns(count);
  void task.destroy();
  return runs;
}
