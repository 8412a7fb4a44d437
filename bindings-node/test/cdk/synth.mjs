#!/usr/bin/env node
// Re-make the committed CDK fixtures (hipaa-core/tests/data/iac/cdk/<app>/cdk.out), offline:
//   node bindings-node/test/cdk/synth.mjs
// Only the manifest and the templates are kept (tree.json and asset manifests are not read).
import { mkdtempSync, mkdirSync, readdirSync, rmSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { APPS, synth } from './app.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
export const FIXTURES = join(root, 'hipaa-core', 'tests', 'data', 'iac', 'cdk')

/// The files of a cloud assembly the converter reads, in a stable form.
export function kept(dir) {
  return readdirSync(dir)
    .filter((f) => f === 'manifest.json' || f.endsWith('.template.json'))
    .sort()
}

/// Synthesize `name` into a fresh temporary directory and return it.
export function synthTemp(name) {
  const dir = mkdtempSync(join(tmpdir(), `hipaa-cdk-${name}-`))
  synth(name, dir)
  return dir
}

function main() {
  for (const name of Object.keys(APPS)) {
    const dir = synthTemp(name)
    const out = join(FIXTURES, name, 'cdk.out')
    rmSync(out, { recursive: true, force: true })
    mkdirSync(out, { recursive: true })
    for (const f of kept(dir)) {
      // The manifest records the CDK version and artifact ids; keep its stacks only.
      if (f === 'manifest.json') {
        const m = JSON.parse(readFileSync(join(dir, f), 'utf8'))
        const artifacts = Object.fromEntries(Object.entries(m.artifacts ?? {}).filter(([, a]) => a.type === 'aws:cloudformation:stack'))
        writeFileSync(join(out, f), JSON.stringify({ version: m.version, artifacts }, null, 1) + '\n')
      } else {
        copyFileSync(join(dir, f), join(out, f))
      }
    }
    rmSync(dir, { recursive: true, force: true })
    process.stdout.write(`wrote ${out}\n`)
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main()
