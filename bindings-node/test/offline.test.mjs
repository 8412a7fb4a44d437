// Everything that needs no AWS: the bundled data, saved evidence, formats, the gate, errors, ESM/CJS.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import * as hipaa from '../index.mjs'
import { demoScope, demoSnapshot, hipaa as cli, passingScope } from './helpers.mjs'

const require = createRequire(import.meta.url)
const tmp = mkdtempSync(join(tmpdir(), 'hipaa-node-'))
after(() => rmSync(tmp, { recursive: true, force: true }))

/** Assert that `fn` throws (or rejects with) an Error with this code and a message matching `message`. */
async function rejects(fn, code, message) {
  await assert.rejects(
    async () => fn(),
    (e) => {
      assert.ok(e instanceof Error, `not an Error: ${e}`)
      assert.equal(e.code, code, `code of: ${e.message}`)
      if (message) assert.match(e.message, message)
      return true
    },
  )
}

describe('module formats', () => {
  test('CommonJS and ES module export the same API', () => {
    const cjs = require('../index.js')
    const names = ['scan', 'snapshot', 'loadSnapshot', 'loadReport', 'evaluate', 'evaluateTemplate', 'evaluatePlan', 'demo', 'controls', 'citations', 'gate', 'diff', 'trend', 'riskRegister', 'risksCsv', 'writeBundle', 'verifyBundle', 'Report', 'Snapshot']
    for (const n of names) {
      assert.equal(typeof cjs[n], 'function', `CommonJS lacks ${n}`)
      assert.equal(hipaa[n], cjs[n], `ES module's ${n} differs`)
    }
    assert.ok(hipaa.demo() instanceof cjs.Report)
  })
})

describe('declarations', () => {
  test('index.d.ts has no `any` in the public surface', () => {
    const code = readFileSync(new URL('../index.d.ts', import.meta.url), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '')
    assert.doesNotMatch(code, /\bany\b/)
    for (const name of ['scan', 'snapshot', 'loadSnapshot', 'loadReport', 'evaluate', 'evaluateTemplate', 'evaluatePlan', 'demo', 'controls', 'citations', 'gate', 'diff', 'trend', 'riskRegister', 'risksCsv', 'writeBundle', 'verifyBundle', 'scanOrganization', 'merge']) {
      assert.match(code, new RegExp(`export declare function ${name}\\(`), name)
    }
  })
})

describe('bundled data', () => {
  test('controls() lists the catalog with typed fields', () => {
    const controls = hipaa.controls()
    assert.ok(controls.length >= 40, `${controls.length} controls`)
    const enc = controls.find((c) => c.id === 's3.default_encryption')
    assert.ok(enc)
    assert.equal(enc.category, 'encryption-at-rest')
    assert.equal(enc.check, 'automated')
    assert.ok(enc.citations.includes('164.312(a)(2)(iv)'))
    assert.equal(typeof enc.remediation.console, 'string')
    assert.ok(controls.some((c) => c.check === 'manual') && controls.some((c) => c.check === 'inherited'))
  })

  test('citations() covers every Security Rule section with owners and answering controls', () => {
    const specs = hipaa.citations()
    for (const section of ['164.308', '164.310', '164.312', '164.314', '164.316']) {
      assert.ok(specs.some((s) => s.citation.startsWith(section)), section)
    }
    const facility = specs.find((s) => s.citation === '164.310(a)(1)')
    assert.equal(facility.owner, 'aws')
    const enc = specs.find((s) => s.citation === '164.312(a)(2)(iv)')
    assert.equal(enc.requirement, 'addressable')
    assert.ok(enc.controls.includes('s3.default_encryption'))
  })

  test('the proposed rule is an option: same statuses, new grouping, a banner, as the CLI', () => {
    const base = hipaa.demo()
    const nprm = hipaa.demo({ framework: 'hipaa-nprm-2025' })
    assert.equal(base.framework.id, 'hipaa-2013')
    assert.equal(base.framework.banner, undefined)
    assert.equal(nprm.framework.status, 'proposed')
    assert.match(nprm.framework.banner, /not compliance/)
    const key = (r) => r.findings.map((f) => `${f.control_id} ${f.resource.arn} ${f.status}`).sort()
    assert.deepEqual(key(nprm), key(base))
    assert.deepEqual(JSON.parse(JSON.stringify(nprm)), JSON.parse(cli(['demo', '--format', 'json', '--framework', 'hipaa-nprm-2025']).stdout))
    assert.match(nprm.format('markdown'), /not compliance/)
    const saved = join(tmp, 'base-report.json')
    writeFileSync(saved, base.format('json'))
    assert.deepEqual(hipaa.loadReport(saved, { framework: 'hipaa-nprm-2025' }).summary.by_citation, nprm.summary.by_citation)
    const viaEvaluate = hipaa.evaluate(hipaa.loadSnapshot(demoSnapshot), demoScope, { framework: 'hipaa-nprm-2025' })
    assert.equal(viaEvaluate.framework.id, 'hipaa-nprm-2025')
    const specs = hipaa.citations({ framework: 'hipaa-nprm-2025' })
    assert.deepEqual(JSON.parse(JSON.stringify(specs)), JSON.parse(cli(['citations', '--format', 'json', '--framework', 'hipaa-nprm-2025']).stdout))
    assert.equal(specs.find((s) => s.citation === '164.308(a)(14)').attestation_only, true)
    assert.equal(hipaa.citations().length, 68)
  })

  test('an unknown framework is a configuration error naming the bundled ones', async () => {
    await rejects(() => hipaa.demo({ framework: 'hipaa-1999' }), 'HIPAA_CONFIG', /hipaa-nprm-2025/)
    await rejects(() => hipaa.demo({ frameworkId: 'x' }), 'HIPAA_CONFIG', /unknown option `frameworkId`/)
  })

  test('demo() is the bundled sample report, failing, complete and reproducible', () => {
    const r = hipaa.demo()
    assert.equal(r.account, '123456789012')
    assert.equal(r.complete, true)
    assert.ok(r.findings.length > 50)
    assert.ok(r.findings.some((f) => f.status === 'FAIL'))
    assert.equal(r.generatedAt, r.snapshot.taken_at, 'the demo is evaluated as of its evidence')
    assert.deepEqual(hipaa.demo().toJSON(), r.toJSON())
  })
})

describe('reports', () => {
  const report = hipaa.evaluate(hipaa.loadSnapshot(demoSnapshot), demoScope)

  test('toJSON() is the report JSON: same as format("json") and as JSON.stringify', () => {
    const data = report.toJSON()
    assert.deepEqual(JSON.parse(JSON.stringify(data)), JSON.parse(report.format('json')))
    assert.deepEqual(JSON.parse(JSON.stringify(report)), JSON.parse(report.format('json')))
    assert.equal(data.schema_version.split('.')[0], '1')
  })

  test('getters return typed plain data', () => {
    const f = report.findings[0]
    assert.equal(f.status, 'FAIL', 'failures first')
    for (const key of ['control_id', 'title', 'category', 'citations', 'owner', 'severity', 'status', 'resource', 'message', 'remediation']) {
      assert.ok(key in f, `finding lacks ${key}`)
    }
    assert.deepEqual(report.summary.completeness, report.completeness)
    assert.equal(report.completeness.complete, true)
    assert.equal(report.summary.totals.total, report.findings.length)
    assert.equal(report.tool.name, 'hipaa-aws')
    assert.equal(report.scope.mode, 'all')
    const waived = report.findings.filter((x) => x.status === 'WAIVED')
    assert.equal(waived.length, 1)
    assert.equal(report.waivers[waived[0].waiver].control, 's3.access_logging')
    assert.equal(report.waivers[0].expires, '2027-06-30')
    const critical = report.failures('critical')
    assert.ok(critical.length > 0 && critical.every((x) => x.severity === 'critical' && x.status === 'FAIL'))
    assert.ok(report.failures().length >= critical.length)
  })

  test('every format comes from the core renderer', () => {
    assert.match(report.format('markdown'), /^# /m)
    assert.match(report.format('markdown'), /164\.312/)
    assert.match(report.format('table'), /FAIL/)
    assert.equal(JSON.parse(report.format('sarif')).version, '2.1.0')
    assert.match(report.format('junit'), /^<\?xml/)
    assert.match(report.format('html'), /<html/i)
    assert.match(report.format('csv').split('\n')[0], /control_id/)
    for (const line of report.format('ocsf').trim().split('\n')) JSON.parse(line)
    assert.ok(Array.isArray(JSON.parse(report.format('asff'))) || typeof JSON.parse(report.format('asff')) === 'object')
    assert.equal(report.format('md'), report.format('markdown'), 'the core accepts `md` too')
  })

  test('evaluating saved evidence equals `hipaa evaluate` on the same files', () => {
    const out = cli(['evaluate', demoSnapshot, '--scope', demoScope, '--format', 'json'])
    assert.equal(out.code, 3, out.stderr)
    const fromCli = JSON.parse(out.stdout)
    const ours = JSON.parse(JSON.stringify(report.toJSON()))
    delete fromCli.generated_at
    delete ours.generated_at
    assert.deepEqual(ours, fromCli)
  })

  test('a report written as JSON loads back', () => {
    const path = join(tmp, 'report.json')
    writeFileSync(path, JSON.stringify(report))
    const back = hipaa.loadReport(path)
    assert.deepEqual(back.toJSON(), report.toJSON())
    assert.equal(hipaa.gate(back).exitCode, 3)
  })

  test('a snapshot written with JSON.stringify loads back and evaluates the same', () => {
    const snap = hipaa.loadSnapshot(demoSnapshot)
    assert.equal(snap.account, '123456789012')
    assert.deepEqual(snap.regions, ['us-east-1', 'us-west-2'])
    assert.equal(snap.reads.failures.length, 0)
    assert.ok(Object.values(snap.reads.calls).every((n) => typeof n === 'number'))
    const path = join(tmp, 'snapshot.json')
    writeFileSync(path, JSON.stringify(snap))
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), JSON.parse(readFileSync(demoSnapshot, 'utf8')))
    const again = hipaa.evaluate(hipaa.loadSnapshot(path), demoScope)
    assert.deepEqual(again.findings, report.findings)
  })
})

describe('scope objects', () => {
  test('every field of the ScopeFile type is a scope file field the core accepts', () => {
    const scope = {
      regions: ['us-east-1'],
      mode: 'phi-only',
      exclude: ['arn:aws:s3:::sandbox-*'],
      accounts: [{ id: '123456789012', name: 'prod', baa: 'signed', holds_phi: true, baa_reference: 'legal/baa.pdf' }],
      phi: { tag_key: 'DataClass', tag_values: ['PHI'] },
      thresholds: { access_key_max_age_days: 30, access_key_unused_days: 30, password_min_length: 16, password_max_age_days: 60, password_reuse_prevention: 12 },
      controls: { disable: ['s3.object_lock'], severity: { 's3.replication': 'high' }, extra_catalogs: [] },
      waivers: [{ control: 's3.access_logging', resource: 'arn:aws:s3:::phi-access-logs', justification: 'loops', owner: 'sec@example.com', expires: '2099-06-30' }],
      attestation: [{ control: 'admin.risk_analysis', by: 'CISO', date: '2026-01-10', evidence: 'grc/ra-2026.pdf', expires: '2099-01-10', note: 'yearly' }],
      remediation_days: { critical: 3, high: 14, medium: 60, low: 90, informational: 365 },
    }
    const r = hipaa.evaluate(hipaa.loadSnapshot(demoSnapshot), scope)
    assert.equal(r.scope.mode, 'phi-only')
    assert.ok(!r.findings.some((f) => f.control_id === 's3.object_lock'), 'disabled control still judged')
    assert.equal(r.waivers[0].active, true)
    const attested = r.findings.find((f) => f.control_id === 'admin.risk_analysis')
    assert.equal(attested?.status, 'PASS')
    assert.equal(attested?.attestation?.by, 'CISO')
  })

  test('null and undefined fields mean "not set"', () => {
    const r = hipaa.evaluate(hipaa.loadSnapshot(demoSnapshot), { regions: null, mode: undefined, phi: { tag_key: null } })
    assert.equal(r.scope.mode, 'all')
    assert.equal(r.scope.phi_tag_key, 'DataClass')
  })
})

describe('gate', () => {
  const snap = hipaa.loadSnapshot(demoSnapshot)
  const failing = hipaa.evaluate(snap, demoScope)

  test('failures close the gate with exit code 3', () => {
    const g = hipaa.gate(failing, { failOn: 'high', allowIncomplete: false })
    assert.equal(g.ok, false)
    assert.equal(g.exitCode, 3)
    assert.equal(g.complete, true)
    assert.ok(g.failures.length > 0)
    assert.ok(g.failures.every((f) => f.status === 'FAIL' && ['high', 'critical'].includes(f.severity)))
    assert.equal(hipaa.gate(failing).exitCode, 3, 'default: any severity')
  })

  test('a scope that takes the failing resources out opens it (exit code 0)', () => {
    const clean = hipaa.evaluate(snap, passingScope(failing))
    assert.ok(clean.findings.filter((f) => f.status === 'PASS').length > 20)
    assert.deepEqual(hipaa.gate(clean, { failOn: 'informational' }), { ok: true, exitCode: 0, complete: true, failures: [] })
  })

  test('a scope that disables the failing controls opens it (exit code 0)', () => {
    const failingControls = [...new Set(failing.failures().map((f) => f.control_id))]
    const scope = { accounts: [{ id: '123456789012', baa: 'signed' }], controls: { disable: failingControls } }
    const clean = hipaa.evaluate(snap, scope)
    assert.equal(clean.failures().length, 0)
    assert.ok(clean.findings.some((f) => f.status === 'PASS'), 'other controls still pass')
    assert.deepEqual(hipaa.gate(clean), { ok: true, exitCode: 0, complete: true, failures: [] })
  })

  test('failOn is a threshold: only failures at or above it count', () => {
    const highOnly = [...new Set(failing.failures().filter((f) => f.severity !== 'critical').map((f) => f.control_id))]
    const critical = hipaa.evaluate(snap, { controls: { disable: highOnly }, accounts: [{ id: '123456789012', baa: 'signed' }] })
    assert.equal(hipaa.gate(critical, { failOn: 'critical' }).exitCode, 3)
    const nonCritical = [...new Set(failing.failures('critical').map((f) => f.control_id))]
    const rest = hipaa.evaluate(snap, { controls: { disable: nonCritical }, accounts: [{ id: '123456789012', baa: 'signed' }] })
    assert.equal(hipaa.gate(rest, { failOn: 'critical' }).exitCode, 0)
    assert.equal(hipaa.gate(rest, { failOn: 'low' }).exitCode, 3)
  })
})

describe('errors carry a stable code', () => {
  const snap = hipaa.loadSnapshot(demoSnapshot)

  test('HIPAA_CONFIG: bad options and arguments', async () => {
    const report = hipaa.demo()
    await rejects(() => hipaa.gate(report, { failOn: 'severe' }), 'HIPAA_CONFIG', /unknown severity `severe`/)
    await rejects(() => hipaa.gate(report, { fail_on: 'high' }), 'HIPAA_CONFIG', /unknown option `fail_on`/)
    await rejects(() => hipaa.gate(report, { allowIncomplete: 'yes' }), 'HIPAA_CONFIG', /`allowIncomplete` must be a boolean/)
    await rejects(() => hipaa.gate({}, {}), 'HIPAA_CONFIG', /`report` must be a Report/)
    await rejects(() => hipaa.evaluate(report), 'HIPAA_CONFIG', /`snapshot` must be a Snapshot/)
    await rejects(() => hipaa.evaluate(snap, 42), 'HIPAA_CONFIG', /`scope` must be/)
    await rejects(() => report.format('pdf'), 'HIPAA_CONFIG', /unknown format `pdf`/)
    await rejects(() => report.failures('severe'), 'HIPAA_CONFIG', /unknown severity/)
    await rejects(() => hipaa.loadSnapshot(42), 'HIPAA_CONFIG', /`path` must be a string/)
  })

  test('HIPAA_AWS_ACCESS: no credentials anywhere, so the scan cannot run', async () => {
    const saved = { ...process.env }
    try {
      for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete process.env[k]
      process.env.AWS_EC2_METADATA_DISABLED = 'true'
      process.env.AWS_CONFIG_FILE = join(tmp, 'no-config')
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(tmp, 'no-credentials')
      await rejects(
        () => hipaa.scan({ endpointUrl: 'http://127.0.0.1:9', regions: ['us-east-1'], maxAttempts: 1 }),
        'HIPAA_AWS_ACCESS',
        /no AWS credentials/,
      )
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
      Object.assign(process.env, saved)
    }
  })

  test('HIPAA_BAD_INPUT: malformed or missing scope, snapshot, catalog and report', async () => {
    await rejects(() => hipaa.evaluate(snap, { mode: 'sometimes' }), 'HIPAA_BAD_INPUT', /unknown variant `sometimes`/)
    await rejects(() => hipaa.evaluate(snap, { colour: 'blue' }), 'HIPAA_BAD_INPUT', /unknown field `colour`/)
    await rejects(() => hipaa.evaluate(snap, { accounts: [{ id: '12', baa: 'signed' }] }), 'HIPAA_BAD_INPUT', /not 12 digits/)
    const waiver = { control: 's3.access_logging', resource: '*', justification: 'j', owner: 'o', expires: 'soon' }
    await rejects(() => hipaa.evaluate(snap, { waivers: [waiver] }), 'HIPAA_BAD_INPUT', /2027-06-30/)
    await rejects(() => hipaa.evaluate(snap, { waivers: [{ ...waiver, control: 'no.such', expires: '2030-01-01' }] }), 'HIPAA_BAD_INPUT', /unknown control `no.such`/)
    await rejects(() => hipaa.evaluate(snap, { controls: { disable: ['no.such'] } }), 'HIPAA_BAD_INPUT', /no.such/)

    const badToml = join(tmp, 'bad-scope.toml')
    writeFileSync(badToml, 'regions = ["us-east-1"]\nmode = "sometimes"\n')
    await rejects(() => hipaa.evaluate(snap, badToml), 'HIPAA_BAD_INPUT', /bad-scope\.toml.*line 2/)
    await rejects(() => hipaa.evaluate(snap, join(tmp, 'missing.toml')), 'HIPAA_BAD_INPUT', /cannot access/)

    const badCatalog = join(tmp, 'bad-catalog.toml')
    writeFileSync(badCatalog, '[[control]]\nid = "x.y"\n')
    await rejects(() => hipaa.evaluate(snap, { controls: { extra_catalogs: [badCatalog] } }), 'HIPAA_BAD_INPUT', /control catalog/)

    const notSnapshot = join(tmp, 'not-a-snapshot.json')
    writeFileSync(notSnapshot, '{"hello": 1}')
    await rejects(() => hipaa.loadSnapshot(notSnapshot), 'HIPAA_BAD_INPUT', /not a hipaa snapshot/)
    await rejects(() => hipaa.loadSnapshot(join(tmp, 'missing.json')), 'HIPAA_BAD_INPUT', /cannot access/)
    await rejects(() => hipaa.loadReport(demoSnapshot), 'HIPAA_BAD_INPUT', /unsupported schema_version/)
  })
})

describe('progress, risks and evidence bundles', () => {
  const snap = hipaa.loadSnapshot(demoSnapshot)

  test('diff of a report with itself has no new failures', () => {
    const r = hipaa.evaluate(snap, demoScope)
    const d = hipaa.diff(r, r)
    assert.deepEqual(d.new_failures, [])
    assert.deepEqual(d.fixed, [])
    assert.deepEqual(d.newly_unknown, [])
    assert.equal(d.still_failing.length, r.failures().length)
    assert.equal(d.old_generated_at, r.generatedAt)
    assert.equal(d.new_generated_at, r.generatedAt)
    const c = d.still_failing[0]
    assert.equal(c.before, 'FAIL')
    assert.equal(c.after, 'FAIL')
    assert.ok(c.control_id && c.arn && c.message)
    assert.ok(Array.isArray(d.waivers_expiring))
  })

  test('diff names what a scope change fixed', () => {
    const failing = hipaa.evaluate(snap, demoScope)
    const clean = hipaa.evaluate(snap, passingScope(failing))
    const d = hipaa.diff(failing, clean)
    assert.deepEqual(d.new_failures, [])
    assert.equal(d.fixed.length, failing.failures().length)
  })

  test('trend of two reports is two points, oldest first', () => {
    const older = hipaa.demo()
    const newer = hipaa.evaluate(snap, demoScope)
    assert.ok(older.generatedAt < newer.generatedAt, `${older.generatedAt} < ${newer.generatedAt}`)
    const points = hipaa.trend([newer, older])
    assert.equal(points.length, 2)
    assert.equal(points[0].generated_at, older.generatedAt)
    assert.equal(points[1].generated_at, newer.generatedAt)
    assert.equal(points[1].failures, newer.summary.totals.FAIL)
    assert.equal(points[1].account, newer.account)
    for (const rate of Object.values(points[1].pass_rate)) assert.ok(rate === null || (rate >= 0 && rate <= 1), String(rate))
    assert.ok('technical' in points[1].pass_rate)
    assert.deepEqual(hipaa.trend([]), [])
  })

  test('the risk register has one risk per FAIL or ERROR finding', () => {
    const r = hipaa.evaluate(snap, demoScope)
    const reg = hipaa.riskRegister(r)
    const expected = r.findings.filter((f) => f.status === 'FAIL' || f.status === 'ERROR').length
    assert.ok(expected > 0)
    assert.equal(reg.risks.length, expected)
    assert.equal(reg.as_of, r.generatedAt.slice(0, 10))
    assert.ok(reg.assets.length > 0)
    const risk = reg.risks[0]
    assert.ok(['FAIL', 'ERROR'].includes(risk.status))
    assert.equal(risk.score, risk.likelihood * risk.impact)
    assert.match(risk.due, /^\d{4}-\d{2}-\d{2}$/)
    // Due dates follow the scope's remediation_days.
    const days = { critical: 1, high: 1, medium: 1, low: 1, informational: 1 }
    const soon = hipaa.riskRegister(r, { remediation_days: days })
    const next = new Date(Date.parse(`${reg.as_of}T00:00:00Z`) + 86400000).toISOString().slice(0, 10)
    assert.ok(soon.risks.every((k) => k.due === next))
    const csv = hipaa.risksCsv(r)
    assert.match(csv.split('\r\n')[0], /^id,control_id,resource,status/)
    assert.equal(csv.trim().split('\r\n').length, expected + 1)
  })

  test('a bundle verifies; a one-byte change inside the zip is detected', async () => {
    const attestations = join(tmp, 'attestations.toml')
    writeFileSync(attestations, '[[attestation]]\ncontrol = "admin.risk_analysis"\nby = "CISO"\ndate = 2026-01-10\nevidence = "grc/ra.pdf"\nexpires = 2099-01-10\n')
    const path = join(tmp, 'evidence.zip')
    const manifest = hipaa.writeBundle(path, snap, { scope: demoScope, attestationsFile: attestations })
    assert.equal(manifest.format, 'hipaa-evidence-bundle/1')
    const names = manifest.files.map((f) => f.path)
    for (const n of ['report.json', 'report.html', 'snapshot.json', 'risks.csv', 'assets.csv', 'catalog.json', 'registry.json', 'scope.toml', 'attestations.toml']) {
      assert.ok(names.includes(n), `bundle lacks ${n}`)
    }
    assert.ok(manifest.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256) && f.bytes > 0))
    assert.deepEqual(hipaa.verifyBundle(path), { ok: true, manifest_intact: true, changed: [], missing: [], unexpected: [] })

    // The attestations file is applied to the evaluation, not only archived: same verdict as a scope object.
    const attested = hipaa.evaluate(snap, { attestation: [{ control: 'admin.risk_analysis', by: 'CISO', date: '2026-01-10', evidence: 'grc/ra.pdf', expires: '2099-01-10' }] })
    assert.equal(attested.findings.find((f) => f.control_id === 'admin.risk_analysis')?.status, 'PASS')
    const plain = hipaa.writeBundle(join(tmp, 'plain.zip'), snap)
    const report = (m) => m.files.find((f) => f.path === 'report.json').sha256
    assert.notEqual(report(manifest), report(plain), 'attestations changed nothing in report.json')
    assert.ok(!plain.files.some((f) => f.path === 'scope.toml' || f.path === 'attestations.toml'))

    const bytes = readFileSync(path)
    bytes[Math.floor(bytes.length / 2)] ^= 0xff
    const tampered = join(tmp, 'tampered.zip')
    writeFileSync(tampered, bytes)
    let v
    try {
      v = hipaa.verifyBundle(tampered)
    } catch (e) {
      assert.equal(e.code, 'HIPAA_BAD_INPUT', e.message)
      assert.match(e.message, /tampered\.zip/)
    }
    if (v !== undefined) {
      assert.equal(v.ok, false)
      assert.ok(v.changed.length + v.missing.length + v.unexpected.length > 0 || !v.manifest_intact)
    }
  })

  test('bad bundle inputs carry a code', async () => {
    const bad = join(tmp, 'bad-attestations.toml')
    writeFileSync(bad, '[[attestation]]\ncontrol = "admin.risk_analysis"\nby = "CISO"\n')
    const out = join(tmp, 'never.zip')
    await rejects(() => hipaa.writeBundle(out, snap, { attestationsFile: bad }), 'HIPAA_BAD_INPUT', /bad-attestations\.toml/)
    await rejects(() => hipaa.writeBundle(out, snap, { attestationsFile: join(tmp, 'missing.toml') }), 'HIPAA_BAD_INPUT', /missing\.toml/)
    await rejects(() => hipaa.writeBundle(out, snap, { attestations: bad }), 'HIPAA_CONFIG', /unknown option `attestations`/)
    await rejects(() => hipaa.writeBundle(out, hipaa.demo()), 'HIPAA_CONFIG', /`snapshot` must be a Snapshot/)
    await rejects(() => hipaa.verifyBundle(demoSnapshot), 'HIPAA_BAD_INPUT', /snapshot\.json/)
    await rejects(() => hipaa.verifyBundle(join(tmp, 'missing.zip')), 'HIPAA_BAD_INPUT', /missing\.zip/)
    await rejects(() => hipaa.trend(hipaa.demo()), 'HIPAA_CONFIG', /`reports` must be an array/)
    await rejects(() => hipaa.trend([hipaa.demo(), {}]), 'HIPAA_CONFIG', /`reports\[1\]` must be a Report/)
    await rejects(() => hipaa.diff(hipaa.demo(), snap), 'HIPAA_CONFIG', /`current` must be a Report/)
    await rejects(() => hipaa.riskRegister(hipaa.demo(), { remediation_days: { urgent: 1 } }), 'HIPAA_BAD_INPUT', /unknown field `urgent`/)
  })
})
