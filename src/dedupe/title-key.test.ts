import { describe, expect, it } from 'vitest';
import { titleKey } from './title-key.js';

describe('titleKey', () => {
  it.each([
    { name: 'folds case, punctuation and the outlet suffix', a: 'Torkham crossing reopens after 25-day closure | The Express Tribune', b: 'TORKHAM CROSSING REOPENS AFTER 25-DAY CLOSURE' },
    { name: 'drops a kicker', a: 'WATCH: Sensex climbs 388 points', b: 'Sensex climbs 388 points' },
  ])('$name', ({ a, b }) => {
    expect(titleKey(a)).toBeDefined();
    expect(titleKey(a)).toBe(titleKey(b));
  });

  it('keeps figures, so that daily reports differ', () => {
    expect(titleKey('Dengue: 6 more die, 1,074 hospitalised in 24 hours')).not.toBe(titleKey('Dengue: 4 more die, 986 hospitalised in 24 hours'));
  });

  it.each(['Live updates', 'News', 'Breaking News', 'Headlines, 24 November 2025', "Today's paper", 'Live', 'Video', 'Kabul', 'Top stories | Dawn'])(
    'is undefined for the slot headline "%s"',
    (title) => {
      expect(titleKey(title)).toBeUndefined();
    },
  );

  it('keys headlines in other scripts', () => {
    expect(titleKey('उत्तराखंड: टिहरी में बस खाई में गिरी')).toBe('उत्तराखंड टिहरी में बस खाई में गिरी');
    expect(titleKey('阿富汗西部发生地震')).toBeDefined();
  });
});
