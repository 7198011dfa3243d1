import { describe, expect, it } from 'vitest';
import type { TagInput } from '../core/index.js';
import { createTagger } from './index.js';

const tagger = createTagger();
const countriesOf = (input: TagInput): readonly string[] => tagger.tag(input).countries;

interface Case {
  name: string;
  input: TagInput;
  expected: string[];
}

const c = (name: string, title: string, expected: string[], extra: Partial<TagInput> = {}): Case => ({ name, input: { title, ...extra }, expected });

describe('Georgia: the country, the US state, a person', () => {
  it.each([
    c('Georgia with Tbilisi is the country', 'Georgia protesters rally in Tbilisi against the government', ['GE']),
    c('Georgian Dream makes Georgia the country', "Georgia's ruling Georgian Dream party claims victory", ['GE']),
    c('Georgia with Atlanta is the US state', 'Georgia governor signs budget in Atlanta', ['US']),
    c('Georgia with a US cue word is the state', 'Georgia county election officials certify results', ['US']),
    c('Georgia alone defaults to the country', 'Georgia suspends EU accession talks', ['GE']),
    c('Georgia followed by a surname is a person', 'Georgia May Jagger launches a jewellery line', []),
  ])('$name', ({ input, expected }) => expect(countriesOf(input)).toEqual(expected));
});

describe('Jordan and Chad: countries or given names', () => {
  it.each([
    c('Jordan closes border (sentence case)', 'Jordan closes border with Syria', ['JO', 'SY']),
    c('Jordan Closes Border (title case)', 'Jordan Closes Border With Syria After Clashes', ['JO', 'SY']),
    c("Jordan's king is the country", "Jordan's King Abdullah meets EU leaders", ['JO']),
    c('Michael Jordan is a person', 'Michael Jordan buys stake in racing team', []),
    c('Jordan Henderson is a person', 'Jordan Henderson joins Ajax on a two-year deal', []),
    c('Jordan basketball cue (the NBA is American)', 'Jordan sneakers sell out in minutes as NBA fans queue', ['US']),
    c('Chad rebels are the country', 'Chad rebels advance on the capital', ['TD']),
    c('Chad Smith is a person', 'Chad Smith to tour with the band again', []),
    c('Chad Army is not a surname', 'Chad Army says it repelled attack near N’Djamena', ['TD']),
  ])('$name', ({ input, expected }) => expect(countriesOf(input)).toEqual(expected));
});

describe('Niger, Nigeria and the Guineas', () => {
  it.each([
    c('Niger is Niger', 'Niger junta expels French ambassador', ['NE', 'FR']),
    c('Nigeria is Nigeria', 'Nigeria raises fuel prices again', ['NG']),
    c('Nigerien is Niger', 'Nigerien soldiers killed in ambush', ['NE']),
    c('Niger Delta is Nigeria', 'Oil spill in the Niger Delta pollutes creeks', ['NG']),
    c('the Niger River names no country', 'Fishermen on the Niger River report low water', []),
    c('Guinea alone is Guinea', 'Guinea votes in a constitutional referendum', ['GN']),
    c('Guinea-Bissau', 'Guinea-Bissau coup attempt foiled', ['GW']),
    c('Equatorial Guinea', 'Equatorial Guinea jails officials', ['GQ']),
    c('Papua New Guinea', 'Papua New Guinea landslide buries village', ['PG']),
    c('a guinea pig is not Guinea', 'Guinea pigs used in new vaccine study', []),
    c('Gulf of Guinea is a sea', 'Pirates attack tanker in the Gulf of Guinea', []),
  ])('$name', ({ input, expected }) => expect(countriesOf(input)).toEqual(expected));
});

describe('the two Congos', () => {
  it.each([
    c('DR Congo', 'DR Congo signs deal with rebels', ['CD']),
    c('DRC acronym', 'DRC says M23 broke the ceasefire', ['CD']),
    c('Democratic Republic of the Congo', 'Democratic Republic of the Congo declares mpox emergency', ['CD']),
    c('Republic of the Congo', 'Republic of the Congo holds election', ['CG']),
    c('Congo-Brazzaville', 'Congo-Brazzaville opens new port', ['CG']),
    c('Congo with Brazzaville is the Republic', 'Congo votes as Sassou Nguesso seeks new term in Brazzaville', ['CG']),
    c('Congo with Kinshasa is the DRC', 'Congo floods kill dozens in Kinshasa', ['CD']),
    c('Congo alone defaults to the DRC', 'Congo declares cholera outbreak', ['CD']),
  ])('$name', ({ input, expected }) => expect(countriesOf(input)).toEqual(expected));
});

describe('Turkey the bird and Türkiye', () => {
  it.each([
    c('Turkey the country', 'Turkey raises interest rates again', ['TR']),
    c('Türkiye spelling', 'Türkiye and Syria agree on border crossing', ['TR', 'SY']),
    c('turkey in lower case is the bird', 'How to roast a turkey without drying it out', []),
    c('Turkey with Thanksgiving cues is the bird', 'Turkey Prices Soar Ahead Of Thanksgiving Dinner', []),
    c('Turkey with Ankara stays the country even near food words', 'Turkey hosts Thanksgiving dinner for diplomats in Ankara', ['TR']),
  ])('$name', ({ input, expected }) => expect(countriesOf(input)).toEqual(expected));
});

describe('names inside longer names', () => {
  it.each([
    c('the Indian Ocean is not India', 'Cyclone forms in the Indian Ocean', []),
    c('the Indian Premier League is in India', 'Indian Premier League auction sets record', ['IN']),
    c('American Airlines is a US company', 'American Airlines pilots vote to strike', ['US']),
    c('New Mexico is in the US, not Mexico', 'New Mexico wildfire forces evacuations', ['US']),
    c('Mexico City is Mexico', 'Mexico City water crisis worsens', ['MX']),
    c('Victoria with Melbourne is the Australian state', 'Victoria premier announces Melbourne rail funding', ['AU']),
    c('Victoria as a first name is a person', 'Victoria Beckham opens a store', []),
    c('Victoria alone is left out', 'Victoria announces new budget', []),
    c('Lake Victoria names no single country', 'Fishermen on Lake Victoria report record catches', []),
    c('Indian-origin is not India', 'Indian-origin doctor knighted in Britain', ['GB']),
    c('Northern Ireland is the UK, not Ireland', 'Northern Ireland assembly meets at Stormont', ['GB']),
    c('South Sudan is not Sudan', 'South Sudan opposition leader arrested in Juba', ['SS']),
    c('the South China Sea is not China', 'Philippine boats collide in the South China Sea', ['PH']),
  ])('$name', ({ input, expected }) => expect(countriesOf(input)).toEqual(expected));
});

describe('a region shared by two countries is decided by context', () => {
  it.each([
    c('Punjab with Lahore is Pakistan', 'Floods in Punjab as Lahore records heavy rain', ['PK']),
    c('Punjab with Amritsar is India', 'Punjab farmers block highway near Amritsar', ['IN']),
    c('Punjab with a Pakistani cue name', 'Punjab chief minister Maryam Nawaz opens hospital', ['PK']),
    c('Punjab alone takes the source country', 'Punjab announces wheat support price', ['IN'], { sourceCountry: 'IN' }),
    c('Punjab alone without a source names no country', 'Punjab announces wheat support price', []),
    c('Kashmir with Srinagar is India', 'Kashmir: schools reopen in Srinagar', ['IN']),
    c('Kashmir with Muzaffarabad is Pakistan', 'Kashmir: quake damages homes in Muzaffarabad', ['PK']),
    c('Azad Kashmir is Pakistan', 'Azad Kashmir assembly elects new prime minister', ['PK']),
    c('the Line of Control is both', 'Firing reported along the Line of Control', ['IN', 'PK']),
    c('Hyderabad with Sindh is Pakistan', 'Hyderabad police arrest robbers on the Sindh highway', ['PK']),
    c('Hyderabad alone is India', 'Hyderabad startups raise record funding', ['IN']),
    c('Torkham is both Afghanistan and Pakistan', 'Torkham crossing reopens after talks', ['AF', 'PK']),
  ])('$name', ({ input, expected }) => expect([...countriesOf(input)].sort()).toEqual([...expected].sort()));
});

describe('old and alternative names, institutions and metonyms', () => {
  it.each([
    c('Burma', 'Burma junta frees prisoners', ['MM']),
    c('Tatmadaw', 'Tatmadaw bombs village', ['MM']),
    c('Ivory Coast', 'Ivory Coast cocoa farmers get a price rise', ['CI']),
    c("Côte d'Ivoire", "Côte d'Ivoire holds election", ['CI']),
    c('Swaziland', 'Swaziland king takes new wife', ['SZ']),
    c('Holland', 'Holland beat Belgium in qualifier', ['NL', 'BE']),
    c('Czechia', 'Czechia votes in parliamentary election', ['CZ']),
    c('East Timor', 'East Timor joins ASEAN', ['TL']),
    c('Kremlin', 'Kremlin rejects peace plan', ['RU']),
    c('Pentagon and White House', 'Pentagon and White House split on troop plan', ['US']),
    c('Downing Street', 'Downing Street rules out early election', ['GB']),
    c('Élysée', 'Élysée confirms cabinet reshuffle', ['FR']),
    c('Knesset', 'Knesset passes budget', ['IL']),
    c('Taliban', 'Taliban ban girls from secondary school', ['AF']),
    c('Pakistani Taliban is Pakistan', 'Pakistani Taliban claim attack on police post', ['PK']),
    c('an acronym must be in capitals', 'Tell us what you think about the budget', []),
    c('US in capitals', 'US imposes new tariffs', ['US']),
  ])('$name', ({ input, expected }) => expect(countriesOf(input)).toEqual(expected));
});

describe('salience', () => {
  it('keeps the title country over a late passing mention in the body', () => {
    const filler = 'Officials said the plan would be reviewed next month. '.repeat(40);
    const result = tagger.tag({ title: 'Nepal opens new airport in Pokhara', content: `${filler} Flights from India may follow.` });
    expect(result.countries).toEqual(['NP']);
  });
  it('keeps a second country named in the title', () => {
    expect(tagger.tag({ title: 'Pakistan and China sign trade deal in Beijing' }).countries).toEqual(['CN', 'PK']);
  });
  it('uses the source country only when the text names no place', () => {
    expect(tagger.tag({ title: 'Petrol price raised by Rs5 per litre', sourceCountry: 'PK' }).countries).toEqual(['PK']);
    expect(tagger.tag({ title: 'Flooding in Kerala closes schools', sourceCountry: 'PK' }).countries).toEqual(['IN']);
  });
  it('names no country for a purely global story', () => {
    expect(tagger.tag({ title: 'Scientists discover a new exoplanet with water vapour' }).countries).toEqual([]);
  });
});

describe('languages and scripts', () => {
  it.each([
    c('Urdu', 'پاکستانی فوج کا شمالی وزیرستان میں آپریشن', ['PK']),
    c('Hindi', 'भारत और चीन के बीच सीमा पर बातचीत', ['IN', 'CN']),
    c('Bengali with case suffixes', 'ভারতের সঙ্গে বাংলাদেশের বাণিজ্য বাড়ছে', ['IN', 'BD']),
    c('Persian', 'زلزله در هرات خسارات زیادی به بار آورد', ['AF']),
    c('Pashto', 'طالبان د کابل پوهنتون کې زده کړه منع کړه', ['AF']),
    c('Arabic with the article and a clitic', 'غارات إسرائيلية على قطاع غزة والضفة الغربية', ['PS', 'IL']),
    c('Russian declension', 'Россией и Китаем подписано соглашение в Москве', ['RU', 'CN']),
    c('Chinese without spaces', '巴基斯坦总理访问北京', ['PK', 'CN']),
    c('Chinese: Indonesia is not India', '印度尼西亚发生地震', ['ID']),
    c('Tamil with case suffixes', 'இலங்கையில் கனமழை: கொழும்பில் வெள்ளம்', ['LK']),
    c('Nepali with case suffixes', 'काठमाडौंमा भारी वर्षा, नेपालमा बाढी', ['NP']),
    c('a Latin-script name in another language needs that language', 'Alemania y Francia firman acuerdo', ['DE', 'FR'], { language: 'es' }),
  ])('$name', ({ input, expected }) => expect([...countriesOf(input)].sort()).toEqual([...expected].sort()));
});

describe('topics', () => {
  it.each([
    { name: 'a feed category maps to a topic', input: { title: 'Late drama at the Gaddafi stadium', categories: ['Cricket'] }, expected: 'sport' },
    { name: 'generic categories are ignored', input: { title: 'Earthquake shakes Kabul', categories: ['News', 'Top Stories'] }, expected: 'disaster' },
    { name: 'inflections meet (floods, flooding)', input: { title: 'Flooding hits Sindh villages' }, expected: 'disaster' },
    { name: 'phrases win over words (drone strike is conflict)', input: { title: 'Drone strike kills commander' }, expected: 'conflict' },
    { name: 'a strike by workers is labour', input: { title: 'Garment workers go on strike over unpaid wages' }, expected: 'labour' },
  ])('$name', ({ input, expected }) => expect(tagger.tag(input).topics).toContain(expected));

  it('config topic words and category mappings are used', () => {
    const custom = createTagger({ topicWords: { sport: ['buzkashi'] }, categoryTopics: { Khel: 'sport' } });
    expect(custom.tag({ title: 'Buzkashi tournament draws crowds' }).topics).toContain('sport');
    expect(custom.tag({ title: 'Late drama', categories: ['Khel'] }).topics).toEqual(['sport']);
  });

  it('at most three topics', () => {
    const many = 'election flood cricket hospital school inflation mosque film police war rain';
    expect(tagger.tag({ title: many }).topics.length).toBeLessThanOrEqual(3);
  });
});

describe('config aliases and ignore words', () => {
  it('adds aliases and ignores words', () => {
    const custom = createTagger({ aliases: { PK: ['Pakistaan'] }, ignore: ['Kabul Express'] });
    expect(custom.tag({ title: 'Pakistaan cricket board meets' }).countries).toEqual(['PK']);
    expect(custom.tag({ title: 'Kabul Express film screened' }).countries).toEqual([]);
  });
});

describe('explain', () => {
  it('lists the words behind each tag and the near-misses', () => {
    const e = tagger.explain({ title: 'Kabul says Islamabad must stop deporting Afghan refugees' });
    expect(e.tags.countries).toEqual(['AF', 'PK']);
    const af = e.countries.find((x) => x.id === 'AF');
    expect(af?.evidence.map((x) => x.text)).toEqual(expect.arrayContaining(['Kabul', 'Afghan']));
    expect(af?.chosen).toBe(true);
  });
  it('records dropped mentions with a reason', () => {
    const e = tagger.explain({ title: 'Michael Jordan visits the Indian Ocean' });
    expect(e.dropped.map((d) => d.text)).toEqual(expect.arrayContaining(['Jordan', 'Indian Ocean']));
  });
});

describe('salience: the content is read for its lede', () => {
  const filler = 'Officials said further details would be published after the next meeting of the committee. ';
  it('tags places the lede of the content names', () => {
    expect(countriesOf({ title: 'Floods cut roads', content: `Heavy rain in Kathmandu and Pokhara cut roads. ${filler.repeat(3)}` })).toEqual(['NP']);
  });
  it('does not read past the lede: a place first named deep in a long article tags nothing', () => {
    const late = `${filler.repeat(20)}Heavy rain in Kathmandu and Pokhara cut roads, officials in Kathmandu said.`;
    expect(late.indexOf('Kathmandu')).toBeGreaterThan(1500);
    expect(countriesOf({ title: 'Floods cut roads', content: late })).toEqual([]);
  });
});
