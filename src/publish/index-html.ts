import { countryFlag, isCountryCode } from '../core/index.js';
import { type SiteOptions, feedTitle, sectionFileUrl } from './feed-meta.js';
import { type SectionEntry, type SectionGroup, groupSections } from './group-sections.js';
import { escapeHtml, neutralizeText } from './plain-text.js';
import { safeHttpUrl } from './safe-url.js';
import { sectionAnchor } from './sections.js';

const HEADLINES = 3;

// Progressive enhancement only: without it each card still shows its feed address in a read-only field. No inline
// handlers, so the page works under a strict Content-Security-Policy with a script hash.
export const COPY_SCRIPT = `<script>
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(button.getAttribute('data-copy')).then(function () {
        button.textContent = 'Copied';
        setTimeout(function () { button.textContent = 'Copy'; }, 1500);
      });
    });
  });
})();
</script>`;

export const STYLE = `<style>
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fafafa; --card: #fff; --muted: #5f6368; --line: #dadce0; --accent: #0b57d0; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8eaed; --bg: #202124; --card: #292a2d; --muted: #9aa0a6; --line: #3c4043; --accent: #8ab4f8; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { margin: 0 0 .25rem; font-size: 1.75rem; }
h2 { margin: 2rem 0 .75rem; font-size: 1.3rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { margin: 0 0 .25rem; font-size: 1.1rem; }
a { color: var(--accent); }
nav a { margin-right: .75rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); gap: 1rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: .9rem; min-width: 0; }
.meta, footer { color: var(--muted); font-size: .9rem; margin: 0 0 .5rem; }
.latest { margin: 0 0 .6rem; padding-left: 1.1rem; font-size: .95rem; }
.latest li { margin-bottom: .2rem; overflow-wrap: anywhere; }
.formats { margin: 0 0 .5rem; }
.formats a { display: inline-block; margin-right: .5rem; padding: .15rem .6rem; border: 1px solid var(--line); border-radius: 1rem; text-decoration: none; font-size: .9rem; }
.copy { display: flex; gap: .4rem; align-items: center; }
.copy label { flex: 1; min-width: 0; }
.copy input { width: 100%; font: .85rem ui-monospace, monospace; padding: .3rem; border: 1px solid var(--line); border-radius: .3rem; background: var(--bg); color: var(--fg); }
.copy button { font: inherit; font-size: .85rem; padding: .3rem .7rem; border: 1px solid var(--line); border-radius: .3rem; background: var(--card); color: var(--fg); cursor: pointer; }
.flag { margin-right: .3rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
</style>`;

function formatTime(ms: number): { iso: string; text: string } | undefined {
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return undefined;
  const iso = d.toISOString();
  return { iso, text: `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` };
}

function formatCount(n: number): string {
  const count = Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
  const digits = String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${digits} ${count === 1 ? 'story' : 'stories'}`;
}

function displayTitle(entry: SectionEntry): string {
  return neutralizeText(entry.section.title) || entry.section.path;
}

function renderCard(entry: SectionEntry, site: SiteOptions): string {
  const { section, summary } = entry;
  const anchor = sectionAnchor(section);
  const title = displayTitle(entry);
  const code = section.filter.countries[0];
  const flag = section.kind === 'country' && code !== undefined && isCountryCode(code.toUpperCase())
    ? `<span class="flag" aria-hidden="true">${countryFlag(code)}</span>`
    : '';
  const updated = formatTime(summary.updatedAt);
  const meta = `${formatCount(summary.itemCount)}${updated !== undefined ? ` · updated <time datetime="${updated.iso}">${updated.text}</time>` : ''}`;
  const headlines = summary.latestTitles
    .slice(0, HEADLINES)
    .map((h) => {
      const text = escapeHtml(neutralizeText(h.title) || 'Untitled');
      const url = safeHttpUrl(h.url);
      return url !== undefined ? `<li><a href="${escapeHtml(url)}" rel="noopener">${text}</a></li>` : `<li>${text}</li>`;
    });
  const rssUrl = sectionFileUrl(site, section, 'feed.xml');
  const rel = (file: string): string => escapeHtml(`${section.path}/${file}`);
  return [
    `<article class="card" id="${escapeHtml(anchor)}">`,
    `<h3>${flag}${escapeHtml(title)}</h3>`,
    `<p class="meta">${meta}</p>`,
    headlines.length > 0 ? `<ul class="latest">\n${headlines.join('\n')}\n</ul>` : '',
    `<p class="formats"><a href="${rel('feed.xml')}" type="application/rss+xml">RSS</a><a href="${rel('atom.xml')}" type="application/atom+xml">Atom</a><a href="${rel('feed.json')}" type="application/feed+json">JSON</a></p>`,
    `<div class="copy"><label><span class="visually-hidden">RSS feed address for ${escapeHtml(title)}</span><input type="text" readonly value="${escapeHtml(rssUrl)}"></label><button type="button" data-copy="${escapeHtml(rssUrl)}" hidden>Copy</button></div>`,
    `</article>`,
  ]
    .filter((line) => line !== '')
    .join('\n');
}

function renderGroup(group: SectionGroup, site: SiteOptions): string {
  const cards = group.entries.map((e) => renderCard(e, site)).join('\n');
  return `<section aria-labelledby="group-${group.id}">\n<h2 id="group-${group.id}">${escapeHtml(group.title)}</h2>\n<div class="grid">\n${cards}\n</div>\n</section>`;
}

function alternateLinks(entries: readonly SectionEntry[], site: SiteOptions): string[] {
  const links: string[] = [];
  const link = (type: string, title: string, href: string): string =>
    `<link rel="alternate" type="${type}" title="${escapeHtml(title)}" href="${escapeHtml(href)}">`;
  for (const group of groupSections(entries)) {
    for (const { section } of group.entries) {
      const title = feedTitle(site, section);
      links.push(link('application/rss+xml', title, sectionFileUrl(site, section, 'feed.xml')));
      // The whole site in every format; other sections in RSS only, so readers offer a short list.
      if (section.kind === 'all') {
        links.push(link('application/atom+xml', `${title} (Atom)`, sectionFileUrl(site, section, 'atom.xml')));
        links.push(link('application/feed+json', `${title} (JSON Feed)`, sectionFileUrl(site, section, 'feed.json')));
      }
    }
  }
  return links;
}

/**
 * The subscribe page: every section grouped as Everything, Regions, Countries (with flags), Topics and Custom, with
 * its story count, last update, latest headlines, RSS / Atom / JSON links and a copyable feed address. Autodiscovery
 * links for every section. Self-contained (inline CSS, no external assets), works without JavaScript, and renders
 * only from its input, so an unchanged site renders the same bytes.
 */
export function renderIndexHtml(entries: readonly SectionEntry[], site: SiteOptions): string {
  const siteTitle = neutralizeText(site.title) || 'newsmux';
  const groups = groupSections(entries);
  const newest = entries.reduce((max, e) => Math.max(max, Number.isFinite(e.summary.updatedAt) ? e.summary.updatedAt : 0), 0);
  const updated = formatTime(newest);
  const nav = groups.map((g) => `<a href="#group-${g.id}">${escapeHtml(g.title)}</a>`).join('\n');
  const body = groups.length > 0 ? groups.map((g) => renderGroup(g, site)).join('\n') : '<p>No stories have been published yet.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(siteTitle)}: subscribe to news feeds</title>
<meta name="description" content="${escapeHtml(`${siteTitle} combines regional news feeds by region, country and topic.`)}">
${alternateLinks(entries, site).join('\n')}
${STYLE}
</head>
<body>
<header>
<h1>${escapeHtml(siteTitle)}</h1>
<p>News from many outlets, without duplicates, by region, country and topic. Copy a feed address into your feed reader, or import <a href="feeds.opml">every feed as OPML</a>.</p>
<nav aria-label="Groups">
${nav}
</nav>
</header>
<main>
${body}
</main>
<footer>
<p>${updated !== undefined ? `Last story <time datetime="${updated.iso}">${updated.text}</time>. ` : ''}Feeds are RSS 2.0, Atom 1.0 and JSON Feed 1.1.</p>
</footer>
${COPY_SCRIPT}
</body>
</html>
`;
}
