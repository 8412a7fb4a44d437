#!/usr/bin/env node
// Build the addon and regenerate what napi-rs generates: the `.node` file, `index.d.ts`, and the
// CommonJS (`index.js`) and ES module (`index.mjs`) loaders.
//
//   node build.mjs            debug build (what the tests use)
//   node build.mjs --release  release build
//
// Why not `napi build`: @napi-rs/cli 3.10 always passes `--target <host triple>` to cargo, which
// moves the build to target/<triple>/ and compiles every dependency — the whole AWS SDK — a
// second time. This script runs plain `cargo build -p hipaa-node` in the workspace's shared
// target directory (same profile and flags as `cargo build --workspace`, so nothing is rebuilt),
// then calls the CLI's own generators for the declarations and the loaders.
import { generateTypeDef, parseTriple, readNapiConfig, writeJsBinding } from '@napi-rs/cli'
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const crate = 'hipaa-node'
const release = process.argv.includes('--release')

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { cwd: here, env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })
  if (r.status !== 0) {
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed (${r.error?.message ?? `exit ${r.status}`})`)
  }
  return r.stdout
}

const metadata = JSON.parse(run('cargo', ['metadata', '--format-version', '1', '--no-deps']))
const targetDir = metadata.target_directory
const host = /^host: (.+)$/m.exec(run('rustc', ['-vV']))?.[1]
if (!host) throw new Error('cannot read the host triple from `rustc -vV`')
const target = parseTriple(host)

// napi-derive writes the type definitions while it expands the macros, so a crate that cargo
// considers fresh writes none: force a rebuild when the definitions are missing.
const typeDefDir = join(targetDir, 'napi-type-defs')
mkdirSync(typeDefDir, { recursive: true })
const env = { ...process.env, NAPI_TYPE_DEF_TMP_FOLDER: typeDefDir }
if (!existsSync(join(typeDefDir, crate))) {
  env[`NAPI_FORCE_BUILD_${crate.replace(/-/g, '_').toUpperCase()}`] = String(Date.now())
}
process.stderr.write(`building ${crate} (${release ? 'release' : 'debug'}) in ${targetDir}\n`)
run('cargo', ['build', '-p', crate, ...(release ? ['--release'] : [])], env)

const config = await readNapiConfig(join(here, 'package.json'))
const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'))
const lib = crate.replace(/-/g, '_')
const artifact = target.platform === 'darwin' ? `lib${lib}.dylib` : target.platform === 'win32' ? `${lib}.dll` : `lib${lib}.so`
const nodeFile = `${config.binaryName}.${target.platformArchABI}.node`
copyFileSync(join(targetDir, release ? 'release' : 'debug', artifact), join(here, nodeFile))

const { dts, exports } = await generateTypeDef({
  typeDefDir,
  cwd: here,
  constEnum: config.constEnum,
  runtimeStringEnum: config.runtimeStringEnum,
  declareBindingTarget: true,
})
writeFileSync(join(here, 'index.d.ts'), dts)
for (const [file, format] of [['index.js', 'commonjs'], ['index.mjs', 'esm']]) {
  await writeJsBinding({
    platform: true,
    idents: exports,
    jsBinding: file,
    format,
    binaryName: config.binaryName,
    packageName: config.packageName,
    version: pkg.version,
    outputDir: here,
  })
}
process.stderr.write(`wrote ${nodeFile}, index.d.ts, index.js, index.mjs (${exports.length} exports)\n`)
