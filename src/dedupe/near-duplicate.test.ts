import { describe, expect, it } from 'vitest';
import type { NearDuplicateCandidate, TaggedItem } from '../core/index.js';
import { decodeFingerprint } from './fingerprint.js';
import { compareFingerprints, createNearDuplicateMatcher } from './near-duplicate.js';
import { sketchItem } from './sketch.js';

const HOUR = 3600_000;
const T0 = Date.UTC(2025, 10, 20, 8);

interface Text {
  readonly title: string;
  readonly summary: string;
  readonly hours?: number;
}

let n = 0;
function item(text: Text): TaggedItem {
  const id = `i${++n}`;
  const base = {
    id,
    sourceId: `s${n}`,
    itemKey: id,
    title: text.title,
    summaryText: text.summary,
    publishedAt: T0 + (text.hours ?? 0) * HOUR,
    categories: [],
    contentHash: id,
    tags: { countries: [], topics: [] },
  };
  const sketch = sketchItem(base);
  if (!sketch) throw new Error(`no sketch for ${text.title}`);
  return { ...base, sketch };
}

function candidate(t: TaggedItem): NearDuplicateCandidate {
  return { itemId: t.id, clusterId: `story-${t.id}`, sourceId: t.sourceId, publishedAt: t.publishedAt, signature: t.sketch?.signature ?? '' };
}

/** The verdict the matcher gives `later` against `first`, whether or not the bands would have met. */
function verdict(first: Text, later: Text) {
  const a = item(first);
  const b = item(later);
  const chosen = createNearDuplicateMatcher({ windowMs: 72 * HOUR }).match(b, [candidate(a)]);
  const comparison = compareFingerprints(
    decodeFingerprint(b.sketch?.signature ?? '') as NonNullable<ReturnType<typeof decodeFingerprint>>,
    decodeFingerprint(a.sketch?.signature ?? '') as NonNullable<ReturnType<typeof decodeFingerprint>>,
  );
  return { merged: chosen !== undefined, reason: comparison.reason, bandsMeet: a.sketch?.bandKeys.some((k) => b.sketch?.bandKeys.includes(k)) };
}

const KABUL_BLAST: Text = {
  title: "Suicide bomber kills at least six at Shi'ite mosque in Kabul",
  summary:
    "KABUL (Reuters) - A suicide bomber killed at least six worshippers and wounded 19 others at a Shi'ite mosque in western Kabul during Friday prayers, a spokesman for the Kabul police said, in the deadliest attack in the Afghan capital in months. The blast hit the Imam Zaman mosque in the Dasht-e-Barchi neighbourhood.",
};

describe('copies of one story merge', () => {
  it.each([
    {
      name: 'a trimmed lede under another headline',
      later: {
        title: 'Six killed, 19 wounded in Kabul mosque bombing',
        summary: 'A suicide bomber killed at least six worshippers and wounded 19 others at a Shia mosque in western Kabul during Friday prayers, police said.',
        hours: 2,
      },
    },
    {
      name: 'a copy with an outlet suffix, a dateline and a sign-off',
      later: {
        title: 'Suicide bombing at Kabul Shia mosque kills six - World - DAWN.COM',
        summary:
          'KABUL: A suicide bomber killed at least six worshippers and wounded 19 others at a Shia mosque in western Kabul during Friday prayers, police said, in the deadliest attack in the Afghan capital in months. — Reuters',
        hours: 3,
      },
    },
    {
      name: 'a rewrite that credits the original',
      later: {
        title: 'Six killed in suicide attack on Kabul mosque',
        summary:
          "A suicide attack on a Shia mosque in western Kabul has left at least six dead and 19 injured, according to a report by Reuters. The bomber targeted worshippers at the Imam Zaman mosque in Dasht-e-Barchi during Friday prayers, police said.",
        hours: 5,
      },
    },
  ])('$name', ({ later }) => {
    const v = verdict(KABUL_BLAST, later);
    expect(v).toMatchObject({ merged: true, bandsMeet: true });
  });

  it('in a script without capitals (Hindi)', () => {
    const v = verdict(
      {
        title: 'उत्तराखंड: टिहरी में बस खाई में गिरी, सात लोगों की मौत, 15 घायल',
        summary: 'देहरादून, 24 नवंबर (भाषा) उत्तराखंड के टिहरी जिले में सोमवार सुबह यात्रियों से भरी एक बस के गहरी खाई में गिर जाने से सात लोगों की मौत हो गई और 15 अन्य घायल हो गए।',
      },
      {
        title: 'टिहरी में बड़ा हादसा, खाई में गिरी बस; 7 लोगों की मौत',
        summary: 'उत्तराखंड के टिहरी जिले में सोमवार को यात्रियों से भरी एक बस गहरी खाई में गिर गई, जिससे सात लोगों की मौत हो गई और 15 अन्य घायल हो गए।',
        hours: 2,
      },
    );
    expect(v.merged).toBe(true);
  });

  it('in a script without spaces (Chinese, by character pairs)', () => {
    const v = verdict(
      { title: '阿富汗西部发生5.6级地震', summary: '据美国地质调查局消息，阿富汗西部赫拉特省周二上午发生5.6级地震，震源深度10公里，暂无人员伤亡报告。' },
      { title: '赫拉特省发生5.6级地震 暂无伤亡', summary: '美国地质调查局说，阿富汗赫拉特省周二上午发生5.6级地震，震源深度10公里。目前暂无人员伤亡报告。', hours: 1 },
    );
    expect(v.merged).toBe(true);
  });
});

describe('different stories stay apart', () => {
  it.each([
    {
      name: 'a follow-up with a new toll',
      first: KABUL_BLAST,
      later: {
        title: 'Death toll from Kabul mosque attack rises to nine',
        summary:
          "The number of people killed in Friday's suicide attack on the Imam Zaman mosque in Kabul's Dasht-e-Barchi has risen to nine after three of the wounded died in hospital, health officials said on Saturday.",
        hours: 26,
      },
    },
    {
      name: 'a follow-up with new facts on another day',
      first: KABUL_BLAST,
      later: {
        title: 'Islamic State claims responsibility for Kabul mosque bombing',
        summary:
          "KABUL (Reuters) - Islamic State's Afghan affiliate claimed responsibility on Saturday for the suicide bombing of a Shi'ite mosque in western Kabul that killed at least six people, saying one of its fighters had detonated an explosive vest among the worshippers.",
        hours: 22,
      },
    },
    {
      name: 'another attack of the same kind in the same city',
      first: KABUL_BLAST,
      later: {
        title: "Blast targets minibus in Kabul's Kart-e-Char, three killed",
        summary:
          'A roadside bomb hit a passenger minibus in the Kart-e-Char area of Kabul on Tuesday morning, killing three people and wounding seven others, a spokesman for the Kabul police said.',
        hours: 70,
      },
    },
    {
      name: "the next day's market report",
      first: {
        title: 'Sensex climbs 388 points, Nifty ends above 26,100',
        summary:
          'Mumbai, Nov 24 (PTI) Benchmark Sensex climbed 388.17 points to settle at 85,620.34 on Monday, helped by buying in banking and IT shares amid hopes of an India-US trade deal. The 50-share NSE Nifty rose 103.4 points to end at 26,171.25.',
      },
      later: {
        title: 'Sensex climbs 402 points, Nifty reclaims 26,200',
        summary:
          'Mumbai, Nov 25 (PTI) Benchmark Sensex climbed 402.5 points to settle at 85,709.14 on Tuesday, helped by buying in banking and IT shares amid hopes of an India-US trade deal. The 50-share NSE Nifty rose 112.3 points to end at 26,208.85.',
        hours: 24,
      },
    },
    {
      name: "the next day's market report under a headline without figures",
      first: {
        title: 'Sensex climbs 388 points, Nifty ends above 26,100',
        summary:
          'Mumbai, Nov 24 (PTI) Benchmark Sensex climbed 388.17 points to settle at 85,620.34 on Monday, helped by buying in banking and IT shares amid hopes of an India-US trade deal. The 50-share NSE Nifty rose 103.4 points to end at 26,171.25.',
      },
      later: {
        title: 'Sensex, Nifty extend gains on trade deal hopes',
        summary:
          'Benchmark Sensex climbed 402.5 points to settle at 85,709.14, helped by buying in banking and IT shares amid hopes of an India-US trade deal. The NSE Nifty rose 112.3 points to 26,208.85.',
        hours: 24,
      },
    },
    {
      name: 'two loans to two countries in the same words',
      first: {
        title: 'ADB approves $500m loan to Bangladesh for climate resilience',
        summary:
          'The Asian Development Bank (ADB) has approved a $500 million policy-based loan to help Bangladesh strengthen climate resilience and boost investment in renewable energy, the Manila-based lender said in a statement.',
      },
      later: {
        title: 'ADB approves $500m loan to Nepal for climate resilience',
        summary:
          'The Asian Development Bank (ADB) has approved a $500 million policy-based loan to help Nepal strengthen climate resilience and boost investment in renewable energy, the Manila-based lender said in a statement.',
        hours: 20,
      },
    },
    {
      name: 'the same reopening at another border crossing',
      first: {
        title: 'Torkham border reopens for trade after 25 days',
        summary:
          'The Torkham border crossing between Pakistan and Afghanistan reopened for trade after remaining closed for 25 days following clashes between border forces, officials said. Hundreds of trucks had been stranded on both sides.',
      },
      later: {
        title: 'Chaman border reopens for trade after 25 days',
        summary:
          'The Chaman border crossing between Pakistan and Afghanistan reopened for trade after remaining closed for 25 days, officials said. Hundreds of trucks loaded with fruit had been stranded on both sides of the Friendship Gate.',
        hours: 48,
      },
    },
    {
      name: "the next day's figures of a daily health bulletin",
      first: {
        title: 'Dengue: 6 more die, 1,074 hospitalised in 24 hours',
        summary:
          "Six more people died of dengue in 24 hours till 8:00am today, taking this year's death toll to 312, according to the Directorate General of Health Services (DGHS). During the period, 1,074 more dengue patients were hospitalised across the country.",
      },
      later: {
        title: 'Dengue: 4 more die, 986 hospitalised in 24 hours',
        summary:
          "Four more people died of dengue in 24 hours till 8:00am today, taking this year's death toll to 316, according to the Directorate General of Health Services (DGHS). During the period, 986 more dengue patients were hospitalised across the country.",
        hours: 24,
      },
    },
  ])('$name', ({ first, later }) => {
    const v = verdict(first, later);
    expect(v.merged).toBe(false);
    expect(v.reason).toBeDefined();
  });
});

describe('createNearDuplicateMatcher', () => {
  it('joins the most similar story, ignores candidates outside the window and unreadable signatures', () => {
    const copy = item({ ...KABUL_BLAST, hours: 1 });
    const original = item(KABUL_BLAST);
    const other = item({
      title: 'Islamic State claims responsibility for Kabul mosque bombing',
      summary: "Islamic State's Afghan affiliate claimed responsibility on Saturday for the bombing of a mosque in western Kabul.",
    });
    const matcher = createNearDuplicateMatcher({ windowMs: 72 * HOUR });
    expect(matcher.windowMs).toBe(72 * HOUR);
    expect(matcher.match(copy, [candidate(other), candidate(original)])).toBe(`story-${original.id}`);
    expect(matcher.match(copy, [{ ...candidate(original), publishedAt: copy.publishedAt - 100 * HOUR }])).toBeUndefined();
    expect(matcher.match(copy, [{ ...candidate(original), signature: 'x0|garbage' }])).toBeUndefined();
  });

  it('gives no sketch to an item with too little text', () => {
    expect(sketchItem({ title: 'News', summaryText: 'Read more' })).toBeUndefined();
  });
});
