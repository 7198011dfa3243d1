import { loadConfig } from '../config/index.js';
import { nextScheduledRuns } from './schedule.js';

/**
 * `newsmux check`: validates the config (the same validation every command runs) and prints what it would do,
 * including the next three scheduled passes so a typo in the cron line shows at once.
 */
export function checkCommand(options: { config?: string }, out: NodeJS.WritableStream = process.stdout): number {
  const { config, file } = loadConfig({ file: options.config });
  const nextRuns = nextScheduledRuns(config, 3).map((d) => d.toISOString());
  const regions = Object.keys(config.sections.regions).length;
  out.write(
    [
      `config ok: ${file}`,
      `  sources:  ${config.sources.length}`,
      `  sections: ${regions} regions, ${config.sections.custom.length} custom (+ all, one per country and topic with items)`,
      `  store:    ${config.store.startsWith('postgres') ? 'PostgreSQL' : `SQLite at ${config.store}`}`,
      `  output:   ${config.output.dir} (published at ${config.output.baseUrl})`,
      `  schedule: "${config.schedule}" (${config.timezone}); next runs: ${nextRuns.join(', ')}`,
      '',
    ].join('\n'),
  );
  return 0;
}
