/**
 * The direction of dependencies (docs/architecture.md): no import cycle, type imports included, and no
 * Zoom resource importing another. `npm run deps` checks it; `npm test` runs it.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle, type imports included: the house must read top to bottom.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-sibling-resource',
      severity: 'error',
      comment: 'A Zoom resource folder (api/users, api/meetings, ...) never imports another one.',
      from: { path: '^packages/emulator/src/api/(users|meetings|past-meetings|reports|recordings)/' },
      to: {
        path: '^packages/emulator/src/api/(users|meetings|past-meetings|reports|recordings)/',
        pathNot: '^packages/emulator/src/api/$1/',
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    // Type-only imports count: a cycle through types is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      conditionNames: ['zemu-source', 'import', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
