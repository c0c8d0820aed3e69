// ESLint flat config: type-aware TypeScript rules plus the architecture rules of DESIGN.md
// (pure modules never import Fastify or a database driver; the import graph has no cycles).
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const driverImports = {
  patterns: [
    { group: ['fastify', 'fastify/*', '@fastify/*'], message: 'Pure modules must not import Fastify (DESIGN.md).' },
    { group: ['pg', 'pg/*', '@electric-sql/pglite', '@electric-sql/pglite/*'], message: 'Pure modules must not import a database driver (DESIGN.md).' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**', '.ci/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver': { node: { extensions: ['.ts', '.js', '.json'] } },
      // Dependencies are parsed with the TypeScript parser, or no-cycle cannot follow imports between .ts files.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-console': 'off',
    },
  },
  {
    // Only http/, app.ts and main.ts may import Fastify.
    files: ['src/**/*.ts'],
    ignores: ['src/http/**', 'src/app.ts', 'src/main.ts', 'src/auth/http/**', 'src/hl7v2/transport/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [driverImports.patterns[0]] }],
    },
  },
  {
    files: ['src/fhir/**/*.ts', 'src/forecast/**/*.ts', 'src/healthcards/**/*.ts', 'src/hl7v2/*.ts', 'src/hl7v2/mapping/**/*.ts', 'src/hl7v2/message/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', driverImports] },
  },
);
