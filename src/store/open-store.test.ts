import { describe, expect, it } from 'vitest';
import { StoreError } from '../core/index.js';
import { silentLog } from '../../tests/fixtures/store/backends.js';
import { copyStore, isPostgresSpec, openStore } from './index.js';

describe('openStore', () => {
  it.each([
    ['postgres://db/newsmux', true],
    ['postgresql://u@db:5432/newsmux?schema=x', true],
    ['./data/newsmux.db', false],
    ['/var/lib/newsmux/store.db', false],
  ])('reads %j as PostgreSQL: %s', (spec, pg) => {
    expect(isPostgresSpec(spec)).toBe(pg);
  });

  it('refuses a URL of another kind rather than making a folder named after it', async () => {
    const refused = openStore('mysql://db/newsmux', { log: silentLog });
    await expect(refused).rejects.toBeInstanceOf(StoreError);
    await expect(refused).rejects.toThrow('store: unsupported store URL scheme "mysql:"');
  });

  it('refuses to copy a store onto itself', async () => {
    await expect(copyStore('./x.db', './x.db', silentLog)).rejects.toThrow(/same store/);
  });
});
