/** One benchmark's figures, printed as a table and saved as JSON. */
export interface BenchReport {
  readonly name: string;
  readonly rows: readonly BenchRow[];
}

export interface BenchRow {
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
  readonly ok?: boolean;
}

export function formatReport(report: BenchReport): string {
  const width = Math.max(...report.rows.map((r) => r.metric.length));
  const lines = report.rows.map((r) => {
    const value = r.value >= 100 ? Math.round(r.value).toLocaleString('en-US') : r.value.toFixed(2);
    const verdict = r.ok === undefined ? '' : r.ok ? '  ok' : '  MISSED';
    return `  ${r.metric.padEnd(width)}  ${value.padStart(12)} ${r.unit}${r.target ? `  (target ${r.target})` : ''}${verdict}`;
  });
  return `${report.name}\n${lines.join('\n')}\n`;
}
