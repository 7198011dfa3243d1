import sax from 'sax';

/** Throws on anything that is not well-formed XML (sax in strict mode, as rss-parser's own xml2js uses it). */
export function parseStrictXml(xml: string): void {
  const parser = sax.parser(true);
  parser.onerror = (err) => {
    throw err;
  };
  parser.write(xml).close();
}
