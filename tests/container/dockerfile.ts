/** Just enough Dockerfile reading for the container tests: instructions per stage, continuation lines joined. */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

export interface Stage {
  readonly name?: string;
  readonly from: string;
  readonly instructions: Instruction[];
}

export function readStages(dockerfile: string): { args: Instruction[]; stages: Stage[] } {
  const args: Instruction[] = [];
  const stages: Stage[] = [];
  const lines = dockerfile.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let text = lines[i]!;
    if (/^\s*(#|$)/.test(text)) continue;
    while (text.endsWith('\\') && i + 1 < lines.length) {
      i++;
      if (/^\s*#/.test(lines[i]!)) continue; // comments inside a continued instruction are dropped by Docker
      text = `${text.slice(0, -1)} ${lines[i]!.trim()}`;
    }
    const match = /^\s*(\S+)\s*(.*)$/.exec(text)!;
    const ins: Instruction = { keyword: match[1]!.toUpperCase(), args: match[2]!.trim(), line: start };
    if (ins.keyword === 'FROM') {
      const [, from, name] = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(ins.args)!;
      stages.push({ from: from!, ...(name ? { name } : {}), instructions: [] });
    } else if (stages.length === 0) {
      args.push(ins);
    } else {
      stages.at(-1)!.instructions.push(ins);
    }
  }
  return { args, stages };
}

/** `ENV A=1 B="x y"` (and the legacy `ENV A 1`) as a record. */
export function readEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const ins of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    if (!ins.args.includes('=')) {
      const [key, ...rest] = ins.args.split(/\s+/);
      env[key!] = rest.join(' ');
      continue;
    }
    for (const m of ins.args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
      env[m[1]!] = m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!;
    }
  }
  return env;
}

/**
 * Whether `.dockerignore` keeps `path` (relative, `/`-separated) out of the build context: Docker's rules as far as
 * this project uses them (`*`, `?`, `**`, `!` exceptions, last match wins, a matched folder excludes its contents).
 */
export function isDockerIgnored(patterns: readonly string[], path: string): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = (negate ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, '');
    const source = pattern
      .split('')
      .map((c, i, all) =>
        c === '*' ? (all[i + 1] === '*' ? '' : all[i - 1] === '*' ? '.*' : '[^/]*') : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
      )
      .join('');
    if (new RegExp(`^${source}(/.*)?$`).test(path)) ignored = !negate;
  }
  return ignored;
}

export function readDockerignore(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}
