import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseKeyList, parseList } from './rows.js';

describe('parseKeyList', () => {
  it('reads back any list written as JSON, as parseList does', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1 })), (keys) => {
        expect(parseKeyList(JSON.stringify(keys))).toEqual(keys);
        expect(parseKeyList(JSON.stringify(keys))).toEqual(parseList(JSON.stringify(keys)));
      }),
    );
  });

  it('reads damaged values as empty, never throws', () => {
    expect(parseKeyList(null)).toEqual([]);
    expect(parseKeyList('["unterminated')).toEqual([]);
  });
});
