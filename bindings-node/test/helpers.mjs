// Test support: paths, the shared moto fixture, and the fixture's expected findings.
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const repoRoot = process.env.HIPAA_REPO_ROOT ?? resolve(pkgDir, '..')
export const python = join(repoRoot, '.venv/bin/python')
export const demoScope = join(repoRoot, 'hipaa-core/data/demo/scope.toml')
export const demoSnapshot = join(repoRoot, 'hipaa-core/data/demo/snapshot.json')
export const hipaaBin = join(process.env.CARGO_TARGET_DIR ?? join(repoRoot, 'target'), 'debug/hipaa')
export const regions = ['us-east-1', 'us-west-2']

// Credentials moto accepts, for this process (the addon's SDK reads them) and for children.
// The instance-metadata service is switched off so no credential lookup ever leaves 127.0.0.1.
export const awsEnv = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
}
Object.assign(process.env, awsEnv)
delete process.env.AWS_PROFILE
delete process.env.AWS_SESSION_TOKEN

/** Start the shared moto server on 127.0.0.1; resolves to `{ url, stop }`. */
export async function startMoto() {
  const child = spawn(python, [join(repoRoot, 'tests/fixture/moto_server.py'), 'serve'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout })
  const url = await new Promise((ok, fail) => {
    child.once('error', fail)
    child.once('exit', (code) => fail(new Error(`moto_server.py exited with ${code} before printing its URL`)))
    lines.once('line', (line) => ok(line.trim()))
  })
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`unexpected first line from moto_server.py: ${url}`)
  const stop = () =>
    new Promise((done) => {
      if (child.exitCode !== null) return done()
      child.once('exit', () => done())
      child.stdin.end() // serve stops moto when its stdin closes
      setTimeout(() => child.kill('SIGTERM'), 5000).unref()
    })
  return { url, stop }
}

/** Seed the scale-1 fixture account into a running moto server. */
export function seed(url) {
  const r = spawnSync(python, [join(repoRoot, 'tests/fixture/seed.py'), '--endpoint', url, '--scale', '1'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (r.status !== 0) throw new Error(`seed.py failed with ${r.status}`)
}

/** The fixture's expected automated findings, as sorted `control_id|resource|status` keys. */
export function expectedKeys() {
  const e = JSON.parse(readFileSync(join(repoRoot, 'tests/fixture/expected.json'), 'utf8'))
  return e.findings.map((f) => `${f.control_id}|${f.resource}|${f.status}`).sort()
}

/**
 * Automated findings (MANUAL and INHERITED come from the catalog, not from AWS) as distinct keys,
 * as `expected.json` lists them: two resources of one name (a queue and a function) make one key.
 */
export function automatedKeys(findings) {
  const keys = findings
    .filter((f) => f.status !== 'MANUAL' && f.status !== 'INHERITED')
    .map((f) => `${f.control_id}|${f.resource.name ?? f.resource.id}|${f.status}`)
  return [...new Set(keys)].sort()
}

/** Run the `hipaa` CLI; returns `{ code, stdout, stderr }`. */
export function hipaa(args) {
  const r = spawnSync(hipaaBin, args, { env: { ...process.env, ...awsEnv }, encoding: 'utf8', maxBuffer: 64 << 20 })
  if (r.error) throw r.error
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/**
 * A report's JSON without what differs between two scans of the same account: the evaluation
 * and collection times, and the number of reads made (the IAM credential report is polled until
 * it is ready, so that count depends on timing).
 */
export function comparable(reportJson) {
  const copy = structuredClone(reportJson)
  delete copy.generated_at
  delete copy.snapshot.taken_at
  delete copy.summary.completeness.reads_attempted
  return copy
}

/**
 * An honest clean case for a report with failures: a scope that takes every failing resource out
 * of scope (`exclude`) and disables the account-level controls that fail, so every other control
 * is still judged on every other resource.
 */
export function passingScope(report) {
  const failures = report.failures()
  const onAccount = failures.filter((f) => f.resource.kind === 'AwsAccount')
  const onResources = failures.filter((f) => f.resource.kind !== 'AwsAccount')
  return {
    accounts: [{ id: '123456789012', baa: 'signed' }],
    exclude: [...new Set(onResources.map((f) => f.resource.arn))],
    controls: { disable: [...new Set(onAccount.map((f) => f.control_id))] },
  }
}

/** Seed the organization fixture (tests/fixture/seed_org.py); resolves to its account ids by name. */
export function seedOrganization(url) {
  const r = spawnSync(python, [join(repoRoot, 'tests/fixture/seed_org.py'), '--endpoint', url], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  })
  if (r.status !== 0) throw new Error(`seed_org.py failed with ${r.status}`)
  return JSON.parse(r.stdout)
}

/** tests/fixture/expected_org.json: each account's state and the findings an organization scan gives. */
export function expectedOrganization() {
  return JSON.parse(readFileSync(join(repoRoot, 'tests/fixture/expected_org.json'), 'utf8'))
}

/**
 * An organization report's findings in expected_org.json's terms (as tests/src/lib.rs `org_key`):
 * `account|control_id|resource|status`, account ids written `{name}`, the organization id `{org}`.
 */
export function organizationKeys(report, ids) {
  const known = report.organization?.view?.organization?.known ?? {}
  const orgId = known.id ?? ''
  const names = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]))
  return new Set(
    report.findings.map((f) => {
      let resource = f.resource.kind === 'AwsOrganizationalUnit' ? (f.resource.name ?? f.resource.id) : f.resource.id
      if (orgId) resource = resource.replaceAll(orgId, '{org}')
      for (const [name, id] of Object.entries(ids)) resource = resource.replaceAll(id, `{${name}}`)
      return `${names[f.account ?? ''] ?? f.account ?? ''}|${f.control_id}|${resource}|${f.status}`
    }),
  )
}
