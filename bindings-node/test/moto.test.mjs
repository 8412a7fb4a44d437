// End-to-end: scan the shared moto fixture (tests/fixture) on 127.0.0.1 through the Node API.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { evaluate, gate, scan, snapshot } from '../index.mjs'
import { automatedKeys, awsEnv, comparable, demoScope, expectedKeys, hipaa, passingScope, pkgDir, regions, repoRoot, seed, startMoto } from './helpers.mjs'

// Port 9 (discard) on loopback: nothing listens, every call fails fast.
const deadEndpoint = 'http://127.0.0.1:9'

let moto
let report
const progress = []

before(async () => {
  moto = await startMoto()
  seed(moto.url)
  report = await scan({
    endpointUrl: moto.url,
    regions,
    scope: demoScope,
    maxAttempts: 2,
    onProgress: (done, total, stage) => progress.push({ done, total, stage }),
  })
})

after(async () => {
  await moto?.stop()
})

/** Assert that `promise` rejects with an Error with this code and a message matching `message`. */
async function rejects(promise, code, message) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof Error, `not an Error: ${e}`)
    assert.equal(e.code, code, `code of: ${e.message}`)
    if (message) assert.match(e.message, message)
    return true
  })
}

describe('scan of the moto fixture', () => {
  test('reports every seeded problem with the right status', () => {
    assert.deepEqual(automatedKeys(report.findings), expectedKeys())
    assert.equal(report.account, '123456789012')
    assert.equal(report.complete, true, JSON.stringify(report.completeness.failed_reads))
    assert.deepEqual(report.snapshot.regions, regions)
  })

  test('equals the JSON of `hipaa scan` for the same fixture', () => {
    const out = hipaa(['scan', '--endpoint-url', moto.url, '--region', regions.join(','), '--scope', demoScope, '--format', 'json', '--no-progress'])
    assert.equal(out.code, 3, out.stderr)
    const fromCli = JSON.parse(out.stdout)
    assert.equal(fromCli.summary.completeness.reads_failed, 0)
    assert.deepEqual(comparable(JSON.parse(JSON.stringify(report))), comparable(fromCli))
  })

  test('reports progress through the callback, off the JavaScript thread', async () => {
    await new Promise((r) => setImmediate(r)) // let the last queued calls arrive
    assert.ok(progress.length > 0, 'onProgress was never called')
    for (const p of progress) {
      assert.equal(typeof p.done, 'number')
      assert.equal(typeof p.total, 'number')
      assert.equal(typeof p.stage, 'string')
      assert.ok(p.done <= p.total, `${p.done} of ${p.total}`)
    }
    assert.ok(progress.some((p) => p.stage === 'identity'))
  })

  test('the event loop stays free while a scan runs', async () => {
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    await scan({ endpointUrl: moto.url, regions: ['us-east-1'], maxAttempts: 2 })
    clearInterval(timer)
    assert.ok(ticks > 0, 'no timer fired during the scan')
  })

  test('snapshot() then evaluate() gives the same findings as scan()', async () => {
    const snap = await snapshot({ endpointUrl: moto.url, regions, scope: demoScope, maxAttempts: 2 })
    assert.equal(snap.account, '123456789012')
    assert.equal(snap.reads.failures.length, 0)
    const offline = evaluate(snap, demoScope)
    assert.deepEqual(automatedKeys(offline.findings), automatedKeys(report.findings))
  })
})

describe('gate on live scans', () => {
  test('failing fixture: exit code 3 naming the failing controls', () => {
    const g = gate(report, { failOn: 'high', allowIncomplete: false })
    assert.equal(g.exitCode, 3)
    assert.equal(g.ok, false)
    const ids = new Set(g.failures.map((f) => f.control_id))
    assert.ok(ids.has('s3.bucket_policy_not_public'), [...ids].join(', '))
  })

  test('clean: the same account with its failing resources out of scope gives exit code 0', async () => {
    const clean = await scan({ endpointUrl: moto.url, regions, maxAttempts: 2, scope: passingScope(report) })
    assert.equal(clean.complete, true)
    const passing = clean.findings.filter((f) => f.status === 'PASS')
    assert.ok(passing.length > 20, `only ${passing.length} PASS findings`)
    assert.ok(passing.some((f) => f.resource.id === 'phi-records'), 'good buckets are still judged')
    assert.deepEqual(gate(clean), { ok: true, exitCode: 0, complete: true, failures: [] })
  })

  test('incomplete: an unreachable endpoint gives ERROR, never PASS, and exit code 4', async () => {
    const r = await scan({ endpointUrl: deadEndpoint, regions: ['us-east-1'], maxAttempts: 1 })
    assert.equal(r.complete, false)
    assert.ok(r.completeness.reads_failed > 0)
    for (const f of r.findings) {
      assert.ok(['ERROR', 'MANUAL', 'INHERITED'].includes(f.status), `${f.control_id} is ${f.status} although nothing could be read`)
    }
    assert.ok(r.findings.some((f) => f.status === 'ERROR' && f.reason === 'unreachable'))
    const g = gate(r, { failOn: 'high' })
    assert.equal(g.exitCode, 4)
    assert.equal(g.ok, false)
    assert.equal(g.complete, false)
    assert.equal(gate(r, { allowIncomplete: true }).exitCode, 0)
  })
})

describe('scan errors carry a stable code', () => {
  test('HIPAA_CONFIG: invalid scan options reject the promise', async () => {
    await rejects(scan({ endpointUrl: 'localhost:5000' }), 'HIPAA_CONFIG', /`localhost:5000`/)
    await rejects(scan({ endpointUrl: deadEndpoint, regions: ['US East'] }), 'HIPAA_CONFIG', /not a region name/)
    await rejects(scan({ endpointUrl: deadEndpoint, concurrency: 0 }), 'HIPAA_CONFIG', /concurrency/)
    await rejects(scan({ endpointUrl: deadEndpoint, maxAttempts: 1.5 }), 'HIPAA_CONFIG', /`maxAttempts` must be a whole number/)
    await rejects(scan({ endpointURL: moto.url }), 'HIPAA_CONFIG', /unknown option `endpointURL`/)
    await rejects(scan({ regions: 'us-east-1' }), 'HIPAA_CONFIG', /`regions` must be an array of strings/)
    await rejects(scan({ onProgress: 'loud' }), 'HIPAA_CONFIG', /`onProgress` must be a function/)
    await rejects(scan('us-east-1'), 'HIPAA_CONFIG', /scan options must be an object/)
    await rejects(snapshot({ endpointUrl: 'ftp://x' }), 'HIPAA_CONFIG', /must start with http/)
  })

  test('HIPAA_BAD_INPUT: a bad scope fails before any AWS call', async () => {
    await rejects(scan({ endpointUrl: deadEndpoint, scope: join(repoRoot, 'no/such/scope.toml') }), 'HIPAA_BAD_INPUT', /cannot access/)
    await rejects(scan({ endpointUrl: deadEndpoint, scope: { mode: 'sometimes' } }), 'HIPAA_BAD_INPUT', /unknown variant/)
  })
})

describe('examples/deploy-gate.mjs', () => {
  test('exits 3 against the fixture and names the failing controls', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'examples/deploy-gate.mjs'), '--endpoint-url', moto.url, '--region', regions.join(','), '--scope', demoScope, '--fail-on', 'high'], {
      cwd: pkgDir,
      env: { ...process.env, ...awsEnv },
      encoding: 'utf8',
    })
    assert.equal(r.status, 3, r.stderr)
    const g = gate(report, { failOn: 'high' })
    for (const id of new Set(g.failures.map((f) => f.control_id))) {
      assert.ok(r.stdout.includes(id), `output does not name ${id}:\n${r.stdout}`)
    }
  })

  test('exits 4 when the scan is incomplete', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'examples/deploy-gate.mjs'), '--max-attempts', '1', '--region', 'us-east-1'], {
      env: { ...process.env, ...awsEnv, HIPAA_ENDPOINT_URL: deadEndpoint },
      encoding: 'utf8',
    })
    assert.equal(r.status, 4, r.stderr + r.stdout)
  })
})
