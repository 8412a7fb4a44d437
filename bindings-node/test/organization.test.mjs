// End-to-end: scan the seeded moto organization (tests/fixture/seed_org.py) through the Node API,
// with per-account progress, and compare it with expected_org.json and with `hipaa scan --organization`.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { gate, merge, scanOrganization } from '../index.mjs'
import { expectedOrganization, hipaa, organizationKeys, seedOrganization, startMoto } from './helpers.mjs'

let moto
let ids
let report
const accounts = []
const reads = []

before(async () => {
  moto = await startMoto()
  ids = seedOrganization(moto.url)
  report = await scanOrganization({
    endpointUrl: moto.url,
    regions: ['us-east-1'],
    maxAttempts: 2,
    accountConcurrency: 2,
    retryMode: 'adaptive',
    onAccount: (account, state, done, total) => accounts.push({ account, state, done, total }),
    onProgress: (done, total, stage) => reads.push({ done, total, stage }),
  })
  // The callbacks are queued on the event loop: let them run.
  await new Promise((r) => setTimeout(r, 50))
})

after(async () => {
  await moto?.stop()
})

describe('scanOrganization of the moto organization', () => {
  test('reports every account, the seeded problems and the organization controls', () => {
    const expected = expectedOrganization()
    const states = Object.fromEntries(report.summary.by_account.map((a) => [a.account, a.state]))
    for (const [name, state] of Object.entries(expected.accounts)) assert.equal(states[ids[name]], state, name)
    const got = organizationKeys(report, ids)
    const want = expected.findings.map((f) => `${f.account}|${f.control_id}|${f.resource}|${f.status}`)
    assert.deepEqual(want.filter((k) => !got.has(k)), [])
    const orgOnly = (keys) => [...keys].filter((k) => k.split('|')[1].startsWith('org.')).sort()
    assert.deepEqual(orgOnly(got), orgOnly(want))
  })

  test('an account whose role cannot be assumed is ERROR, the others complete, and the gate gives 4', () => {
    const locked = report.summary.by_account.find((a) => a.account === ids.locked)
    assert.equal(locked.state, 'unreachable')
    assert.equal(locked.complete, false)
    const entry = report.organization.accounts.find((a) => a.id === ids.locked)
    assert.match(entry.scan.role_arn, /OrganizationAccountAccessRole/)
    // Only the locked account's role failed (other failed reads are moto gaps of newer services).
    assert.deepEqual(
      report.completeness.failed_reads.filter((r) => r.account === ids.locked || r.operation === 'sts:AssumeRole')
        .map((r) => [r.account, r.operation]),
      [[ids.locked, 'sts:AssumeRole']],
    )
    for (const name of ['phi-claims', 'phi-research', 'sandbox-dev', 'management']) {
      assert.equal(report.summary.by_account.find((a) => a.account === ids[name]).state, 'scanned', name)
    }
    assert.equal(gate(report).exitCode, 4)
    assert.ok(report.summary.by_ou.some((u) => u.name === 'phi-workloads' && u.accounts.includes(ids['phi-claims'])))
  })

  test('onAccount hears each scanned account start and end, ending at the total', () => {
    const scanned = report.summary.by_account.filter((a) => a.state === 'scanned' || a.state === 'unreachable')
    const total = scanned.length
    for (const a of scanned) {
      const events = accounts.filter((e) => e.account === a.account).map((e) => e.state)
      assert.deepEqual(events, ['started', a.state], a.account)
    }
    const ends = accounts.filter((e) => e.state !== 'started')
    assert.deepEqual(ends.map((e) => e.done), [...Array(total).keys()].map((i) => i + 1))
    assert.ok(accounts.every((e) => e.total === total))
    assert.ok(reads.length > 0 && reads.some((r) => r.stage.startsWith(ids['phi-claims'])))
  })

  test('gives the findings of `hipaa scan --organization`', () => {
    const out = hipaa(['scan', '--organization', '--endpoint-url', moto.url, '--region', 'us-east-1',
      '--format', 'json', '--no-progress', '--max-attempts', '2'])
    assert.equal(out.code, 4, out.stderr)
    const cli = JSON.parse(out.stdout)
    assert.deepEqual([...organizationKeys(cli, ids)].sort(), [...organizationKeys(report, ids)].sort())
  })

  test('two shards merged give the whole scan; overlapping reports are refused', async () => {
    const parts = await Promise.all(['0/2', '1/2'].map((shard) =>
      scanOrganization({ endpointUrl: moto.url, regions: ['us-east-1'], maxAttempts: 2, shard })))
    const merged = merge(parts)
    assert.deepEqual([...organizationKeys(merged, ids)].sort(), [...organizationKeys(report, ids)].sort())
    assert.throws(() => merge([report, report]), (e) => e.code === 'HIPAA_BAD_INPUT' && /overlap/.test(e.message))
    assert.equal(organizationKeys(merge([report, report], undefined, 'newest'), ids).size, organizationKeys(report, ids).size)
  })

  test('a readiness scan of one shard keeps the proposed framework through the merge', async () => {
    const part = await scanOrganization({
      endpointUrl: moto.url, regions: ['us-east-1'], maxAttempts: 2, shard: '0/1', framework: 'hipaa-nprm-2025',
    })
    assert.equal(part.framework.id, 'hipaa-nprm-2025')
    // Only the grouping changes: every finding keeps its status.
    assert.deepEqual([...organizationKeys(part, ids)].sort(), [...organizationKeys(report, ids)].sort())
    assert.ok(part.toJSON().readiness.length > 0)
    assert.equal(merge([part]).framework.id, 'hipaa-nprm-2025')
    assert.throws(() => merge([part, report], undefined, 'newest'), (e) => e.code === 'HIPAA_CONFIG' && /framework/.test(e.message))
  })

  test('bad options are rejected before any AWS call', async () => {
    await assert.rejects(scanOrganization({ accountConcurrency: 0 }), (e) => e.code === 'HIPAA_CONFIG')
    await assert.rejects(scanOrganization({ shard: '3/2' }), (e) => /shard/.test(e.message))
    await assert.rejects(scanOrganization({ retryMode: 'eager' }), (e) => e.code === 'HIPAA_CONFIG')
    await assert.rejects(scanOrganization({ acounts: ['123456789012'] }), (e) => e.code === 'HIPAA_CONFIG' && /acounts/.test(e.message))
  })
})
