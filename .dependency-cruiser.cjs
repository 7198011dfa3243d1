// Enforces the stage layout of STYLE.md: core imports nothing from src/, stages import only core, only cli wires.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'core-imports-nothing',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(?!core/)' },
    },
    {
      name: 'stages-import-only-core',
      comment: 'A stage may import core and its own folder; data flows between stages as core types, wired by cli.',
      severity: 'error',
      from: { path: '^src/(config|fetch|parse|normalize|dedupe|tag|store|publish|serve)/' },
      to: { path: '^src/(?!core/|$1/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$' },
  },
};
