// Jest transform: TypeScript to CommonJS with esbuild (type-checking is `npm run typecheck`).
const { transformSync, version } = require('esbuild');
const { createHash } = require('node:crypto');

module.exports = {
  getCacheKey(source, file) {
    return createHash('sha256').update(version).update(file).update(source).digest('hex');
  },
  process(source, file) {
    const { code, map } = transformSync(source, {
      loader: file.endsWith('.ts') ? 'ts' : 'js',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: file,
    });
    return { code, map };
  },
};
