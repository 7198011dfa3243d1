import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from './index.js';

const xml = (encoding: string, body: string): string => `<?xml version="1.0" encoding="${encoding}"?><rss><t>${body}</t></rss>`;

describe('decodeFeedBytes', () => {
  const cases = [
    {
      name: 'windows-1252 from the prolog maps 0x80–0x9F to curly quotes, dashes and the euro sign',
      bytes: iconv.encode(xml('windows-1252', '“quoted” – €5 …'), 'windows-1252'),
      contentType: undefined,
      charset: 'windows-1252',
      contains: '“quoted” – €5 …',
    },
    {
      name: 'ISO-8859-1 is read as windows-1252, as browsers do',
      bytes: Buffer.concat([Buffer.from(xml('ISO-8859-1', 'caf\u00e9 ').replace('</t></rss>', ''), 'latin1'), Buffer.from([0x93, 0x61, 0x94]), Buffer.from('</t></rss>')]),
      contentType: undefined,
      charset: 'windows-1252',
      contains: 'café “a”',
    },
    {
      name: 'windows-1256 Urdu and Arabic',
      bytes: iconv.encode(xml('windows-1256', 'پاکستان کي خبريں'), 'windows-1256'),
      contentType: 'application/rss+xml',
      charset: 'windows-1256',
      contains: 'پاکستان کي خبريں',
    },
    {
      name: 'koi8-r',
      bytes: iconv.encode(xml('KOI8-R', 'Новости'), 'koi8-r'),
      contentType: undefined,
      charset: 'koi8-r',
      contains: 'Новости',
    },
    {
      name: 'shift_jis',
      bytes: iconv.encode(xml('Shift_JIS', 'ニュース'), 'shift_jis'),
      contentType: undefined,
      charset: 'shift_jis',
      contains: 'ニュース',
    },
    {
      name: 'gb18030 from a GB2312 label',
      bytes: iconv.encode(xml('GB2312', '新闻'), 'gb18030'),
      contentType: undefined,
      charset: 'gb18030',
      contains: '新闻',
    },
    {
      name: 'iso-8859-6 Arabic',
      bytes: iconv.encode(xml('iso-8859-6', 'أخبار'), 'iso-8859-6'),
      contentType: undefined,
      charset: 'iso-8859-6',
      contains: 'أخبار',
    },
    {
      name: 'the HTTP header charset beats the XML prolog',
      bytes: iconv.encode(xml('utf-8', 'Новости'), 'koi8-r'),
      contentType: 'text/xml; charset="KOI8-R"',
      charset: 'koi8-r',
      contains: 'Новости',
    },
    {
      name: 'a UTF-8 BOM beats the XML prolog and is removed',
      bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml('windows-1252', 'é ✓'))]),
      contentType: undefined,
      charset: 'utf-8',
      contains: 'é ✓',
    },
    {
      name: 'UTF-16LE with a BOM',
      bytes: iconv.encode(xml('utf-16', 'د کابل'), 'utf-16le', { addBOM: true }),
      contentType: undefined,
      charset: 'utf-16le',
      contains: 'د کابل',
    },
    {
      name: 'UTF-16BE without a BOM, recognised from the bytes of `<?`',
      bytes: iconv.encode(xml('UTF-16', 'خبر'), 'utf-16be'),
      contentType: undefined,
      charset: 'utf-16be',
      contains: 'خبر',
    },
    {
      name: 'a UTF-16 body beats a single-byte header charset that cannot be true',
      bytes: iconv.encode(xml('utf-16', 'news'), 'utf-16le', { addBOM: true }),
      contentType: 'text/xml; charset=iso-8859-1',
      charset: 'utf-16le',
      contains: 'news',
    },
    {
      name: 'JSON without a declaration is UTF-8',
      bytes: Buffer.from('{"version":"https://jsonfeed.org/version/1.1","title":"خبر"}'),
      contentType: 'application/feed+json',
      charset: 'utf-8',
      contains: 'خبر',
    },
  ];

  it.each(cases)('$name', ({ bytes, contentType, charset, contains }) => {
    const out = decodeFeedBytes(bytes, contentType);
    expect(out.charset).toBe(charset);
    expect(out.text).toContain(contains);
    expect(out.text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('falls back past an unknown charset label, with a warning', () => {
    const out = decodeFeedBytes(Buffer.from(xml('x-no-such-charset', 'plain é')), 'text/xml; charset=bogus-label');
    expect(out.charset).toBe('utf-8');
    expect(out.text).toContain('plain é');
    expect(out.warnings.join('\n')).toMatch(/unknown charset "bogus-label"/);
    expect(out.warnings.join('\n')).toMatch(/unknown encoding "x-no-such-charset"/);
  });

  it('reads an undeclared body that is not UTF-8 as windows-1252, with a warning', () => {
    const out = decodeFeedBytes(Buffer.from([...Buffer.from('<rss><t>'), 0x93, 0x68, 0x69, 0x94, ...Buffer.from('</t></rss>')]));
    expect(out.charset).toBe('windows-1252');
    expect(out.text).toContain('“hi”');
    expect(out.warnings).toHaveLength(1);
  });

  it('keeps UTF-8 when a body declared UTF-8 has a few bad bytes, and says so', () => {
    const out = decodeFeedBytes(Buffer.from([...Buffer.from(xml('utf-8', 'Zürich ')), 0xff]), undefined);
    expect(out.charset).toBe('utf-8');
    expect(out.text).toContain('Zürich </t></rss>\ufffd');
    expect(out.warnings.join('\n')).toMatch(/invalid UTF-8/);
  });

  it('reads Latin-1 under a UTF-8 label as windows-1252 when not one character is UTF-8', () => {
    const bytes = iconv.encode(xml('utf-8', 'Café crème – “brûlée”'), 'windows-1252');
    for (const contentType of [undefined, 'application/rss+xml; charset=utf-8']) {
      const out = decodeFeedBytes(bytes, contentType);
      expect(out.charset).toBe('windows-1252');
      expect(out.text).toContain('Café crème – “brûlée”');
      expect(out.warnings).toEqual(['decode: declared UTF-8 but no character in the body is; read as windows-1252']);
    }
  });
});
