import { describe, expect, it } from 'vitest';
import { decodeFingerprint, encodeFingerprint, fingerprintOf } from './fingerprint.js';
import { extractFeatures } from './text-features.js';

describe('fingerprint', () => {
  const features = extractFeatures(
    'IMF approves $1.2bn for Pakistan after second review',
    'WASHINGTON: The International Monetary Fund on Monday approved about $1.2 billion for Pakistan, completing the second review of the $7bn Extended Fund Facility.',
  );

  it('survives the signature string', () => {
    const fp = fingerprintOf(features);
    const signature = encodeFingerprint(fp);
    expect(signature).toMatch(/^[\w|,.-]+$/);
    expect(signature.length).toBeLessThan(400);
    expect(decodeFingerprint(signature)).toEqual(fp);
  });

  it('reads figures, names, countries and weekdays', () => {
    expect(features.titleFigures).toEqual([{ digits: '12', exp: 10 }]);
    expect(features.entities).toEqual(expect.arrayContaining(['imf', 'inter', 'monet', 'washi', 'pakis']));
    expect(features.subjectCountries).toEqual(['pakis']);
    expect(features.weekdays).toBe(1);
  });

  it('refuses a signature of another version', () => {
    expect(decodeFingerprint('d0|a|b|c|d|e|f|g|h')).toBeUndefined();
    expect(decodeFingerprint('')).toBeUndefined();
  });
});
