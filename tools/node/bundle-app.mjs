// Test harness (tests/browser): bundles a generated frontend (or server) with esbuild, as the repositories' Vite builds would:
// Vue single-file components through @vue/compiler-sfc, TS/TSX through esbuild, dynamic imports
// as their own chunks. Options come as one JSON argument (esbuild's build options plus `vue: true`);
// the metafile is written next to the output so tests can tell which chunks hold the Faro SDK.
import { parse, compileScript, compileTemplate } from '@vue/compiler-sfc'
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import * as esbuild from 'esbuild'

const vuePlugin = {
  name: 'vue-sfc',
  setup(build) {
    build.onLoad({ filter: /\.vue$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8')
      const { descriptor, errors } = parse(source, { filename: args.path })
      if (errors.length) return { errors: errors.map((error) => ({ text: String(error) })) }
      const id = createHash('sha256').update(args.path).digest('hex').slice(0, 8)
      let contents
      if (descriptor.script || descriptor.scriptSetup) {
        contents = compileScript(descriptor, { id, inlineTemplate: true }).content
      } else {
        const template = compileTemplate({ source: descriptor.template.content, filename: args.path, id })
        contents = `${template.code}\nexport default { render }\n`
      }
      return { contents, loader: 'ts', resolveDir: path.dirname(args.path) }
    })
  },
}

const { vue, ...options } = JSON.parse(process.argv[2])
const result = await esbuild.build({
  bundle: true,
  metafile: true,
  logLevel: 'warning',
  plugins: vue ? [vuePlugin] : [],
  ...options,
})
await writeFile(path.join(options.outdir, 'meta.json'), JSON.stringify(result.metafile))
