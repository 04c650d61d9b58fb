// Syntax checks for edited files: esbuild for TS/JS, @vue/compiler-sfc for Vue single-file components.
// Request: [{path, text}]; result: [{path, checker, error}] in the same order (error null = parses).
// bot/checks/node_process.py runs it with serve.mjs appended (which calls answer), from a tools directory.
import { transform } from 'esbuild'
import { compileScript, compileTemplate, parse } from '@vue/compiler-sfc'

const LOADERS = { ts: 'ts', mts: 'ts', cts: 'ts', tsx: 'tsx', js: 'js', mjs: 'js', cjs: 'js', jsx: 'jsx' }
// Parameter decorators (routing-controllers, tsyringe) parse only with TypeScript's legacy decorators.
const TSCONFIG = { compilerOptions: { experimentalDecorators: true } }

async function checkScript(path, text, loader) {
  try {
    await transform(text, { loader, sourcefile: path, tsconfigRaw: loader.startsWith('ts') ? TSCONFIG : undefined })
    return null
  } catch (err) {
    const first = err.errors?.[0]
    if (!first) throw err
    const where = first.location ? `line ${first.location.line}:${first.location.column + 1}: ` : ''
    return `${where}${first.text}`
  }
}

function checkVue(path, text) {
  const { descriptor, errors } = parse(text, { filename: path })
  if (errors.length) return String(errors[0].message ?? errors[0])
  const id = 'syntax-check'
  try {
    if (descriptor.script || descriptor.scriptSetup) compileScript(descriptor, { id })
  } catch (err) {
    return `script: ${err.message}`
  }
  if (descriptor.template) {
    const result = compileTemplate({ source: descriptor.template.content, filename: path, id })
    if (result.errors.length) return `template: ${String(result.errors[0].message ?? result.errors[0])}`
  }
  return null
}

async function check({ path, text }) {
  const suffix = path.split('.').pop()
  if (suffix === 'vue') return { path, checker: '@vue/compiler-sfc', error: checkVue(path, text) }
  const loader = LOADERS[suffix]
  if (!loader) return { path, checker: 'none', error: `no parser for .${suffix}` }
  return { path, checker: 'esbuild', error: await checkScript(path, text, loader) }
}

async function answer(files) {
  const results = []
  for (const file of files) results.push(await check(file))
  return results
}
