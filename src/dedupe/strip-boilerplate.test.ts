import { describe, expect, it } from 'vitest';
import { cleanBody, cleanTitle } from './strip-boilerplate.js';

describe('cleanTitle', () => {
  it.each([
    { name: 'a pipe and the outlet', title: 'Torkham crossing reopens after 25-day closure | The Express Tribune', want: 'Torkham crossing reopens after 25-day closure' },
    { name: 'a section and a domain', title: 'Suicide bombing at Kabul Shia mosque kills six - World - DAWN.COM', want: 'Suicide bombing at Kabul Shia mosque kills six' },
    { name: 'an outlet with a slogan', title: "8 killed, 17 injured in Dhading bus accident - The Himalayan Times - Nepal's No.1 English News Portal", want: '8 killed, 17 injured in Dhading bus accident' },
    { name: 'breaking news and the outlet', title: 'Floods and landslides: Death toll rises to 31 - Breaking News | Daily Mirror', want: 'Floods and landslides: Death toll rises to 31' },
    { name: 'a one-word outlet after a dash', title: 'Smog: Schools in Lahore, five other districts closed for a week - Geo News', want: 'Smog: Schools in Lahore, five other districts closed for a week' },
    { name: 'a kicker', title: 'WATCH: Sensex climbs 388 points', want: 'Sensex climbs 388 points' },
    { name: 'a dash inside the headline kept', title: 'Pakistan - Afghanistan talks end without a deal in Istanbul', want: 'Pakistan - Afghanistan talks end without a deal in Istanbul' },
    { name: 'a lower-case tail kept', title: 'IMF approves $1.2bn for Pakistan - after second review', want: 'IMF approves $1.2bn for Pakistan - after second review' },
  ])('removes $name', ({ title, want }) => {
    expect(cleanTitle(title)).toBe(want);
  });
});

describe('cleanBody', () => {
  it.each([
    { name: 'Reuters dateline', text: 'KABUL (Reuters) - A suicide bomber killed six.', want: 'A suicide bomber killed six.', place: 'KABUL' },
    { name: 'Reuters dateline with country', text: 'PESHAWAR, Pakistan (Reuters) - Pakistan reopened the crossing.', want: 'Pakistan reopened the crossing.', place: 'PESHAWAR' },
    { name: 'PTI dateline', text: 'Mumbai, Nov 24 (PTI) Benchmark Sensex climbed 388.17 points.', want: 'Benchmark Sensex climbed 388.17 points.', place: 'Mumbai' },
    { name: 'Xinhua dateline', text: 'KABUL, Nov. 18 (Xinhua) -- An earthquake jolted Herat.', want: 'An earthquake jolted Herat.', place: 'KABUL' },
    { name: 'ANI dateline', text: 'Sriharikota (Andhra Pradesh) [India], November 20 (ANI): ISRO launched CMS-03.', want: 'ISRO launched CMS-03.', place: 'Sriharikota' },
    { name: 'AP dateline', text: 'BAGHDAD (AP) — Iraqi Prime Minister won.', want: 'Iraqi Prime Minister won.', place: 'BAGHDAD' },
    { name: 'capitals dateline with date', text: 'KATHMANDU, NOVEMBER 21: The ADB approved a loan.', want: 'The ADB approved a loan.', place: 'KATHMANDU' },
    { name: 'capitals dateline', text: 'LANDI KOTAL: The Torkham crossing reopened.', want: 'The Torkham crossing reopened.', place: 'LANDI KOTAL' },
    { name: 'outlet credit at the start', text: 'ECONOMYNEXT – Sri Lanka kept rates.', want: 'Sri Lanka kept rates.', place: 'ECONOMYNEXT' },
    { name: 'Hindi dateline', text: 'देहरादून, 24 नवंबर (भाषा) उत्तराखंड में बस खाई में गिरी।', want: 'उत्तराखंड में बस खाई में गिरी।', place: 'देहरादून' },
    { name: 'Urdu dateline', text: 'اسلام آباد: ملک بھر میں پولیو مہم شروع', want: 'ملک بھر میں پولیو مہم شروع' },
    { name: 'byline line', text: 'By Special Correspondent\nThe Jiribam administration imposed curfew.', want: 'The Jiribam administration imposed curfew.' },
    { name: 'staff byline', text: 'Staff Correspondent\nAt least 16 people were killed.', want: 'At least 16 people were killed.' },
    { name: 'Reuters footer', text: 'No group claimed it.\n(Reporting by Mohammad Yunus Yawar; Editing by Kim Coghill)', want: 'No group claimed it.' },
    { name: 'agency sign-off', text: 'The blast hit a mosque. — Reuters', want: 'The blast hit a mosque.' },
    { name: 'syndication notice', text: 'Nifty rose 103.4 points. (This story has not been edited by NDTV staff and is auto-generated from a syndicated feed.)', want: 'Nifty rose 103.4 points.' },
    { name: 'inputs credit', text: 'Three passengers are missing. (With inputs from PTI)', want: 'Three passengers are missing.' },
    { name: 'WordPress footer', text: 'Police said.\nThe post Six killed in Kabul appeared first on Khaama Press.', want: 'Police said.' },
    { name: 'read more', text: 'Hundreds of vehicles were stranded. Read more...', want: 'Hundreds of vehicles were stranded.' },
    { name: 'ellipsis', text: 'The government raised fuel prices […]', want: 'The government raised fuel prices' },
    { name: 'credit to an agency', text: 'Six people died, according to a report by Reuters citing police.', want: 'Six people died citing police.' },
    { name: 'credit to RFE/RL', text: 'The rial fell, according to a report by Radio Free Europe/Radio Liberty.', want: 'The rial fell.' },
  ])('removes the $name', ({ text, want, place }) => {
    const cleaned = cleanBody(text);
    expect(cleaned.text).toBe(want);
    expect(cleaned.place).toBe(place);
  });

  it.each([
    { name: 'a sentence starting with a name in brackets', text: 'The International Monetary Fund (IMF) executive board approved $1.2 billion.' },
    { name: 'an organisation with its acronym', text: 'Bangladesh Bank (BB) has cut the policy rate.' },
    { name: 'a source that is part of the story', text: 'Returns rose, according to a report by the International Organization for Migration.' },
  ])('keeps $name', ({ text }) => {
    expect(cleanBody(text).text).toBe(text);
  });

  it('keeps at most maxChars, cut at a word', () => {
    const text = 'word '.repeat(400);
    const cleaned = cleanBody(text, 100).text;
    expect(cleaned.length).toBeLessThanOrEqual(100);
    expect(cleaned.endsWith('word')).toBe(true);
  });
});
