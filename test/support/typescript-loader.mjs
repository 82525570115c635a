// Module hook for register-typescript.cjs: a .ts file (a test file the runner imports, possibly with a
// cache-busting query) is CommonJS, loaded by the CommonJS loader and its .ts hook. Not `async`: the same
// function serves module.registerHooks (synchronous) and Module.register (which awaits what it returns).
export function load(url, context, nextLoad) {
  if (/\.ts(\?.*)?$/.test(url)) return { format: 'commonjs', shortCircuit: true };
  return nextLoad(url, context);
}
