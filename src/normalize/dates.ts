/**
 * Feed dates, parsed by hand: RFC 822/1123 (RSS), ISO 8601 / RFC 3339 (Atom, JSON Feed, dc:date) and the broken forms
 * real feeds write. Never `Date.parse` on its own: it reads `10-04-2020` as 4 October and reads zone-less strings in
 * the machine's local time. A date without a zone is taken as UTC.
 */

const MONTHS: Readonly<Record<string, number>> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

/** Zone abbreviations, in minutes east of UTC. Ambiguous ones take the reading most likely in South Asian and
 * Middle Eastern news feeds (IST = India, BST = British summer time). */
const ZONES: Readonly<Record<string, number>> = {
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0, bst: 60, cet: 60, met: 60, mez: 60, wat: 60, cest: 120, mest: 120, mesz: 120,
  eet: 120, sast: 120, cat: 120, eest: 180, msk: 180, eat: 180, irst: 210, irdt: 270, gst: 240, azt: 240, get: 240,
  aft: 270, pkt: 300, mvt: 300, uzt: 300, tjt: 300, tmt: 300, yekt: 300, ist: 330, slst: 330, npt: 345, bdt: 360,
  btt: 360, kgt: 360, almt: 360, omst: 360, mmt: 390, ict: 420, wib: 420, hkt: 480, sgt: 480, pht: 480, awst: 480,
  jst: 540, kst: 540, aest: 600, aedt: 660, nzst: 720, nzdt: 780,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420, akst: -540, akdt: -480,
  hst: -600, ast: -240, adt: -180, nst: -210, ndt: -150,
};

const ISO =
  /^(\d{4})(?:-?(\d{2})(?:-?(\d{2})(?:(?:T|\s+)(\d{1,2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?)?)?)?\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?$/i;
const NUMERIC_DMY = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?:(?:T|\s+|,\s*)(.*))?$/;
const NUMERIC_YMD = /^(\d{4})[./-](\d{1,2})[./-](\d{1,2})(?:(?:T|\s+|,\s*)(.*))?$/;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(am|pm|a\.m\.|p\.m\.)?$/i;
const OFFSET = /^(?:(?:gmt|utc|ut)?([+-])(\d{1,2})(?::?(\d{2}))?|(?:gmt|utc|ut))$/i;

function fullYear(y: number, digits: number): number {
  if (digits > 2) return y;
  return y < 50 ? 2000 + y : 1900 + y;
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMin: number): number | undefined {
  if (!(y >= 1000 && y <= 9999 && mo >= 0 && mo <= 11 && d >= 1 && d <= 31 && h >= 0 && h <= 24 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60)) {
    return undefined;
  }
  if (s === 60) s = 59;
  const t = Date.UTC(y, mo, d, h, mi, s, ms);
  // Reject 31 February rather than rolling it into March.
  if (new Date(Date.UTC(y, mo, d)).getUTCDate() !== d) return undefined;
  return t - offsetMin * 60_000;
}

function parseOffset(token: string): number | undefined {
  const t = token.replace(/^\(|\)$/g, '');
  const m = OFFSET.exec(t);
  if (m) {
    if (!m[1]) return 0;
    let hours = Number(m[2]);
    let minutes = m[3] ? Number(m[3]) : 0;
    // `+0530` without a colon lands in the hours group as four digits.
    if (!m[3] && m[2]!.length > 2) {
      hours = Math.trunc(Number(m[2]) / 100);
      minutes = Number(m[2]) % 100;
    }
    if (hours > 14 || minutes > 59) return undefined;
    return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const compact = /^([+-])(\d{2})(\d{2})$/.exec(t);
  if (compact) return (compact[1] === '-' ? -1 : 1) * (Number(compact[2]) * 60 + Number(compact[3]));
  const named = ZONES[t.toLowerCase()];
  return named;
}

interface Clock {
  h: number;
  mi: number;
  s: number;
}

function parseClock(token: string, next: string | undefined): { clock: Clock; usedNext: boolean } | undefined {
  const m = TIME.exec(token);
  if (!m) return undefined;
  let h = Number(m[1]);
  let suffix = m[4]?.toLowerCase();
  let usedNext = false;
  if (!suffix && next && /^(am|pm|a\.m\.|p\.m\.)$/i.test(next)) {
    suffix = next.toLowerCase();
    usedNext = true;
  }
  if (suffix) {
    const pm = suffix.startsWith('p');
    if (h === 12) h = pm ? 12 : 0;
    else if (pm) h += 12;
  }
  return { clock: { h, mi: Number(m[2]), s: m[3] ? Number(m[3]) : 0 }, usedNext };
}

/** Time and zone in the rest of a numeric date (`10-04-2020 14:30 +0500`). */
function parseTimeAndZone(rest: string | undefined): { clock: Clock; offset: number } | undefined {
  const clock: Clock = { h: 0, mi: 0, s: 0 };
  let offset = 0;
  if (!rest) return { clock, offset };
  const tokens = rest.trim().split(/\s+/);
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    // `14:30:00+05:00` glued together.
    const glued = /^(\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)(Z|[+-]\d{2}:?\d{2})$/i.exec(tok);
    if (glued) {
      const c = parseClock(glued[1]!, undefined);
      const z = parseOffset(glued[2]!);
      if (!c || z === undefined) return undefined;
      Object.assign(clock, c.clock);
      offset = z;
      continue;
    }
    const c = parseClock(tok, tokens[i + 1]);
    if (c) {
      Object.assign(clock, c.clock);
      if (c.usedNext) i++;
      continue;
    }
    const z = parseOffset(tok);
    if (z !== undefined) {
      offset = z;
      continue;
    }
    return undefined;
  }
  return { clock, offset };
}

function parseIso(s: string): number | undefined {
  const m = ISO.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = m[2] ? Number(m[2]) - 1 : 0;
  const d = m[3] ? Number(m[3]) : 1;
  const h = m[4] ? Number(m[4]) : 0;
  const mi = m[5] ? Number(m[5]) : 0;
  const sec = m[6] ? Number(m[6]) : 0;
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  const offset = m[8] ? parseOffset(m[8]) : 0;
  if (offset === undefined) return undefined;
  return build(y, mo, d, h, mi, sec, Math.min(ms, 999), offset);
}

function parseNumeric(s: string): number | undefined {
  let m = NUMERIC_YMD.exec(s);
  if (m) {
    const tz = parseTimeAndZone(m[4]);
    if (!tz) return undefined;
    return build(Number(m[1]), Number(m[2]) - 1, Number(m[3]), tz.clock.h, tz.clock.mi, tz.clock.s, 0, tz.offset);
  }
  m = NUMERIC_DMY.exec(s);
  if (!m) return undefined;
  let day = Number(m[1]);
  let month = Number(m[2]);
  // Day first, as everywhere but the US; a second number above 12 can only be a day (04/23/2020).
  if (month > 12 && day <= 12) [day, month] = [month, day];
  const tz = parseTimeAndZone(m[4]);
  if (!tz) return undefined;
  return build(fullYear(Number(m[3]), m[3]!.length), month - 1, day, tz.clock.h, tz.clock.mi, tz.clock.s, 0, tz.offset);
}

/** RFC 822 and the free-form variants: `Tue, 10 Jun 2003 04:00:00 GMT`, `June 10, 2003 4:00 PM EST`, `10-Jun-2003`,
 * `Tue Jun 10 04:00:00 +0000 2003`. */
function parseWords(s: string): number | undefined {
  const tokens = s
    .replace(/(\d)(st|nd|rd|th)\b/gi, '$1')
    .replace(/\b(\d{1,2})-([A-Za-z]{3,})-(\d{2,4})\b/g, '$1 $2 $3')
    .split(/[\s,]+/)
    .filter(Boolean);
  let year: number | undefined;
  let yearDigits = 4;
  let month: number | undefined;
  let day: number | undefined;
  let clock: Clock | undefined;
  let offset: number | undefined;
  const loose: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    let tok = tokens[i]!;
    const glued = /^(\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)([+-]\d{2}:?\d{2}|Z)$/i.exec(tok);
    if (glued) {
      tok = glued[1]!;
      offset ??= parseOffset(glued[2]!);
    }
    const c = clock ? undefined : parseClock(tok, tokens[i + 1]);
    if (c) {
      clock = c.clock;
      if (c.usedNext) i++;
      continue;
    }
    if (/^\d+$/.test(tok)) {
      if (tok.length === 4 || Number(tok) > 31) {
        if (year !== undefined) return undefined;
        year = Number(tok);
        yearDigits = tok.length;
      } else {
        loose.push(tok);
      }
      continue;
    }
    const alpha = tok.toLowerCase().replace(/\.$/, '');
    if (/^[a-z]{3,}$/.test(alpha) && month === undefined && MONTHS[alpha.slice(0, 3)] !== undefined && !(alpha in ZONES) && isMonthWord(alpha)) {
      month = MONTHS[alpha.slice(0, 3)];
      continue;
    }
    const z = parseOffset(tok);
    if (z !== undefined) {
      offset ??= z;
      continue;
    }
    // Weekday names, "at", "on", "Posted", zone names we do not know: ignored.
    if (/^[a-z.()]+$/i.test(tok)) continue;
    return undefined;
  }
  if (month === undefined) return undefined;
  if (day === undefined && loose.length > 0) day = Number(loose.shift());
  if (year === undefined && loose.length > 0) {
    const y = loose.shift()!;
    year = Number(y);
    yearDigits = y.length;
  }
  if (day === undefined || year === undefined || loose.length > 0) return undefined;
  const k = clock ?? { h: 0, mi: 0, s: 0 };
  return build(fullYear(year, yearDigits), month, day, k.h, k.mi, k.s, 0, offset ?? 0);
}

const MONTH_WORDS = new Set([
  'jan', 'january', 'feb', 'february', 'mar', 'march', 'apr', 'april', 'may', 'jun', 'june', 'jul', 'july', 'aug',
  'august', 'sep', 'sept', 'september', 'oct', 'october', 'nov', 'november', 'dec', 'december',
]);

function isMonthWord(w: string): boolean {
  return MONTH_WORDS.has(w);
}

/** Milliseconds since the epoch (UTC) for a feed date string, or undefined when it cannot be read with confidence. */
export function parseFeedDate(raw: string | undefined): number | undefined {
  // A date is tens of characters; a megabyte of one is not worth collapsing first.
  if (raw === undefined || raw.length > 1_000) return undefined;
  const s = raw.trim().replace(/\s+/g, ' ');
  if (!s || s.length > 100) return undefined;
  if (/^\d{4}/.test(s)) {
    const iso = parseIso(s);
    if (iso !== undefined) return iso;
  }
  if (/^\d/.test(s)) {
    const numeric = parseNumeric(s);
    if (numeric !== undefined) return numeric;
  }
  return parseWords(s);
}
