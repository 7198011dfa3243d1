#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { VERSION, loadConfig } from '../config/index.js';
import { ConfigError } from '../core/index.js';
import type { Logger } from '../core/index.js';
import { createTagger } from '../tag/index.js';
import { checkCommand } from './check.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { applyHeapPolicy } from './heap-policy.js';
import { createLogger } from './logger.js';
import { migrateStoreCommand } from './migrate-store.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';
import { sourcesCommand } from './sources.js';
import { startCommand } from './start.js';
import { runTagCommand } from './tag.js';

applyHeapPolicy();

type Action = (log: Logger) => Promise<number> | number;

/**
 * Runs a command and turns its outcome into the exit code: a bad config is reported as a plain message naming the
 * file and fields (exit 1), anything else that escapes is logged with its cause chain (exit 2).
 */
async function execute(action: Action, destination: 'stdout' | 'stderr' = 'stdout'): Promise<void> {
  const log = createLogger({ destination });
  let code: number;
  try {
    code = await action(log);
  } catch (err) {
    code = exitCodeFor(err);
    if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else log.error({ err }, 'command failed');
  }
  process.exitCode = code;
}

const parsePort = (value: string): number => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be a port number (0–65535)');
  return port;
};

const program = new Command('newsmux')
  .description('Pulls regional news feeds, deduplicates and tags their items, and publishes combined feeds by section.')
  .version(VERSION)
  .option('-c, --config <file>', 'config file (default: $NEWSMUX_CONFIG or config/default.yaml)');
const configOf = () => program.opts<{ config?: string }>().config;

program
  .command('run')
  .description('run one pass and exit: 0 done (failed sources are reported), 1 bad config, 2 store or publish failure')
  .action(() => execute((log) => runCommand({ config: configOf() }, log)));

program
  .command('start')
  .description('run passes on the schedule (and at start-up), serve the output when server.port is set')
  .action(() => execute((log) => startCommand({ config: configOf() }, log)));

program
  .command('serve')
  .description('serve the published output, the subscribe page and /healthz')
  .option('-p, --port <port>', 'port (default: server.port or 8080)', parsePort)
  .action((opts: { port?: number }) => execute((log) => serveCommand({ config: configOf(), port: opts.port }, log)));

program
  .command('check')
  .description('validate the config and show the next scheduled runs')
  .action(() => execute(() => checkCommand({ config: configOf() }), 'stderr'));

program
  .command('sources')
  .description("show each source's health, backoff and item count")
  .option('--json', 'print JSON')
  .action((opts: { json?: boolean }) => execute((log) => sourcesCommand({ config: configOf(), json: opts.json }, log), 'stderr'));

program
  .command('tag')
  .description('tag JSON lines from stdin with countries and topics, one JSON line out per line in')
  .option('--explain', 'add the words that produced each tag and their scores')
  .action((opts: { explain?: boolean }) =>
    execute(async (log) => {
      const { config } = loadConfig({ file: configOf() });
      const tagger = createTagger(config.tagging);
      const result = await runTagCommand({ input: process.stdin, output: process.stdout, tagger, explain: Boolean(opts.explain), log });
      return result.errors > 0 ? EXIT.failure : EXIT.ok;
    }, 'stderr'),
  );

program
  .command('migrate-store')
  .description('copy an embedded SQLite store into PostgreSQL')
  .requiredOption('--from <path>', 'SQLite file')
  .requiredOption('--to <url>', 'postgres:// URL')
  .action((opts: { from: string; to: string }) => execute((log) => migrateStoreCommand(opts, log)));

await program.parseAsync(process.argv);
