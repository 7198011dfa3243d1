/** A content coding the server can produce. */
export type Coding = 'br' | 'gzip' | 'identity';

// Server preference among equally acceptable codings: br is smaller than gzip for feeds by ~15-20%.
const PREFERENCE: readonly Coding[] = ['br', 'gzip', 'identity'];

/**
 * Picks the response coding from an `Accept-Encoding` header (RFC 9110 §12.5.3): highest q-value wins, ties go to
 * the server's preference; `*` covers codings not named; `identity` is acceptable unless refused explicitly.
 */
export function negotiateEncoding(header: string | undefined): Coding {
  if (header === undefined || header.trim() === '') return 'identity';
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [rawName, ...params] = part.split(';');
    const name = rawName?.trim().toLowerCase();
    if (!name) continue;
    let weight = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key?.trim().toLowerCase() === 'q') {
        const parsed = Number(value?.trim());
        weight = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
      }
    }
    q.set(name === 'x-gzip' ? 'gzip' : name, weight);
  }
  const star = q.get('*');
  const weightOf = (coding: Coding): number =>
    q.get(coding) ?? (coding === 'identity' ? (star === 0 ? 0 : 1e-3) : (star ?? 0));
  let best: Coding = 'identity';
  let bestWeight = 0;
  for (const coding of PREFERENCE) {
    const weight = weightOf(coding);
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  // Nothing acceptable: identity anyway (RFC 9110 allows it, and a 406 helps no feed reader).
  return best;
}
