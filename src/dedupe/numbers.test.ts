import { describe, expect, it } from 'vitest';
import { decodeFigure, encodeFigure, figuresAgree, parseFigure } from './numbers.js';

const f = (raw: string, scale = 0) => parseFigure(raw, scale) as NonNullable<ReturnType<typeof parseFigure>>;

describe('figures', () => {
  it.each([
    { name: '1.2 billion and 1,200 million', a: f('1.2', 9), b: f('1,200', 6), agree: true },
    { name: '388.17 and 388', a: f('388.17'), b: f('388'), agree: true },
    { name: '160,211.48 and 160,211', a: f('160,211.48'), b: f('160,211'), agree: true },
    { name: '1,150,000 and 1.15 million', a: f('1,150,000'), b: f('1.15', 6), agree: true },
    { name: '2,100 (round) and 2,135', a: f('2,100'), b: f('2,135'), agree: true },
    { name: '5.5 and 5.50', a: f('5.5'), b: f('5.50'), agree: true },
    { name: '99.6 rounded to 100', a: f('99.6'), b: f('100.0'), agree: true },
    { name: 'a toll of 10 and a toll of 12', a: f('10'), b: f('12'), agree: false },
    { name: '300 points and 313 points', a: f('300'), b: f('313'), agree: false },
    { name: '26,100 (a threshold) and 26,171', a: f('26,100'), b: f('26,171.25'), agree: false },
    { name: '1.19 million and 1.15 million', a: f('1.19', 6), b: f('1.15', 6), agree: false },
    { name: '6 and 60', a: f('6'), b: f('60'), agree: false },
  ])('$name', ({ a, b, agree }) => {
    expect(figuresAgree(a, b)).toBe(agree);
    expect(figuresAgree(b, a)).toBe(agree);
  });

  it('marks a year, and survives the signature encoding', () => {
    expect(f('2025').calendar).toBe(true);
    expect(f('2025.5').calendar).toBeUndefined();
    for (const x of [f('2025'), f('0.89'), f('160,211.48'), f('1.2', 9)]) expect(decodeFigure(encodeFigure(x))).toEqual(x);
  });
});
