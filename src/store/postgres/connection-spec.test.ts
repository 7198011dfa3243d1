import { describe, expect, it } from 'vitest';
import { StoreError } from '../../core/index.js';
import { parsePostgresSpec } from './connection-spec.js';

describe('parsePostgresSpec', () => {
  it('passes a plain URL through and hides its password for display', () => {
    expect(parsePostgresSpec('postgres://news:pw@db.internal:5433/newsmux')).toEqual({
      connectionString: 'postgres://news:pw@db.internal:5433/newsmux',
      display: 'postgres://news:***@db.internal:5433/newsmux',
    });
  });

  it('turns ?schema= into a search_path and keeps the other parameters for pg', () => {
    const spec = parsePostgresSpec('postgresql://news@db/newsmux?sslmode=require&schema=tenant_a');
    expect(spec).toMatchObject({
      connectionString: 'postgresql://news@db/newsmux?sslmode=require',
      options: '-c search_path=tenant_a',
      schema: 'tenant_a',
    });
    expect(spec.display).toBe('postgresql://news@db/newsmux?sslmode=require&schema=tenant_a');
  });

  it('keeps given server options beside the schema', () => {
    expect(parsePostgresSpec('postgres://db/x?options=-c%20statement_timeout%3D5000&schema=s').options).toBe(
      '-c statement_timeout=5000 -c search_path=s',
    );
  });

  it.each(['tenant-a', 'a;drop table items', '1abc'])('refuses the schema name %j', (schema) => {
    expect(() => parsePostgresSpec(`postgres://db/x?schema=${encodeURIComponent(schema)}`)).toThrow(StoreError);
  });
});
