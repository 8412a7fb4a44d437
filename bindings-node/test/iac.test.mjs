// Preventive mode: CloudFormation synthesized offline by aws-cdk-lib (one compliant and one
// non-compliant resource per control), checked by cfn-lint, judged by evaluateTemplate with the
// controls of a live scan; Terraform plans by evaluatePlan; the deploy gate's --template and
// --plan modes. No AWS, no network.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import * as hipaa from '../index.mjs'
import { APPS } from './cdk/app.mjs'
import { FIXTURES, kept, synthTemp } from './cdk/synth.mjs'
import { repoRoot } from './helpers.mjs'

const iac = join(repoRoot, 'hipaa-core/tests/data/iac')
const synthesized = {}
before(() => {
  for (const name of Object.keys(APPS)) synthesized[name] = synthTemp(name)
})
after(() => {
  for (const dir of Object.values(synthesized)) rmSync(dir, { recursive: true, force: true })
})

/**
 * The finding of `control` about the resource of `stack` whose logical id starts with `prefix`
 * (a cloud assembly of several stacks names each resource `Stack.LogicalId`).
 */
function finding(report, control, stack, prefix) {
  const found = report.findings.filter(
    (f) => f.control_id === control && f.resource.id.startsWith(`${stack}.${prefix}`) && f.location?.file.endsWith(`/${stack}.template.json`),
  )
  assert.equal(found.length, 1, `${control} ${stack}/${prefix}: ${found.map((f) => f.resource.id).join(', ') || 'none'}`)
  return found[0]
}

// Each covered control: the compliant resource (stack `Compliant`) and the non-compliant one.
const CASES = [
  ['s3.default_encryption_kms', 'Records', 'OpenRecords'],
  ['s3.bucket_public_access_block', 'Records', 'AclBucket'],
  ['s3.bucket_policy_not_public', 'Records', 'OpenRecords'],
  ['s3.bucket_acl_not_public', 'Records', 'AclBucket'],
  ['s3.tls_only', 'Records', 'OpenRecords'],
  ['s3.versioning', 'Records', 'OpenRecords'],
  ['s3.object_lock', 'Records', 'OpenRecords'],
  ['s3.access_logging', 'Records', 'OpenRecords'],
  ['s3.replication', 'Records', 'OpenRecords'],
  ['kms.key_rotation', 'PhiKey', 'StaleKey'],
  ['kms.key_policy_not_public', 'PhiKey', 'StaleKey'],
  ['dynamodb.pitr', 'Patients', 'Sessions'],
  ['rds.storage_encrypted', 'Database', 'Legacy'],
  ['rds.backup_retention', 'Database', 'Legacy'],
  ['rds.cmk_encryption', 'Database', 'Legacy'],
  ['rds.not_public', 'Database', 'Legacy'],
  ['rds.multi_az', 'Database', 'Legacy'],
  ['rds.deletion_protection', 'Database', 'Legacy'],
  ['rds.iam_auth', 'Database', 'Legacy'],
  ['rds.log_exports', 'Database', 'Legacy'],
  ['rds.auto_minor_upgrade', 'Database', 'Legacy'],
  ['rds.storage_encrypted', 'Claims', 'Reports'],
  ['rds.backup_retention', 'Claims', 'Reports'],
  ['rds.not_public', 'Claims', 'Reports'],
  ['rds.multi_az', 'Claims', 'Reports'],
  ['rds.deletion_protection', 'Claims', 'Reports'],
  ['rds.auto_minor_upgrade', 'Claims', 'Reports'],
  ['rds.tls_enforced', 'Claims', 'Reports'],
  ['dynamodb.cmk_encryption', 'Patients', 'Sessions'],
  ['dynamodb.deletion_protection', 'Patients', 'Sessions'],
  ['efs.encrypted', 'Files', 'Shared'],
  ['efs.backup_policy', 'Files', 'Shared'],
  ['efs.tls_only', 'Files', 'Shared'],
  ['rds.tls_enforced', 'Database', 'Legacy'],
  ['sqs.encrypted', 'Orders', 'Backlog'],
  ['sqs.kms_cmk', 'Orders', 'Backlog'],
  ['sqs.tls_only', 'Orders', 'Backlog'],
  ['sns.kms_encryption', 'Alerts', 'Loud'],
  ['sns.tls_only', 'Alerts', 'Loud'],
  ['ec2.ebs_volume_encrypted', 'Scratch', 'Plain'],
  ['ec2.sg_no_ssh_from_internet', 'Web', 'Admin'],
  ['ec2.sg_no_rdp_from_internet', 'Web', 'Admin'],
  ['ec2.sg_no_db_ports_from_internet', 'Web', 'Admin'],
  ['ec2.sg_no_all_traffic_from_internet', 'Web', 'Wide'],
  ['cloudwatch.log_group_kms', 'TrailGroup', 'AppLogs'],
  ['cloudwatch.log_group_retention', 'TrailGroup', 'AppLogs'],
  ['cloudtrail.log_validation', 'Trail', 'Trail'],
  ['cloudtrail.kms_encryption', 'Trail', 'Trail'],
  ['cloudtrail.cloudwatch_delivery', 'Trail', 'Trail'],
  ['cloudtrail.s3_data_events', 'Records', 'OpenRecords'],
  ['secretsmanager.cmk_encryption', 'ApiKey', 'Token'],
  ['secretsmanager.rotation', 'ApiKey', 'Token'],
  ['secretsmanager.not_public', 'ApiKey', 'Token'],
  ['backup.vault_cmk', 'Vault', 'Vault'],
  ['backup.vault_lock', 'Vault', 'Vault'],
  ['backup.plan_cross_region_copy', 'Plan', 'Plan'],
  ['backup.plan_frequency_retention', 'Plan', 'Plan'],
  ['backup.phi_resources_covered', 'Patients', 'Sessions'],
]

describe('CloudFormation synthesized by aws-cdk-lib', () => {
  test('the committed fixtures are what the apps synthesize', () => {
    for (const [name, dir] of Object.entries(synthesized)) {
      const committed = join(FIXTURES, name, 'cdk.out')
      for (const f of kept(dir).filter((f) => f.endsWith('.template.json'))) {
        const fresh = JSON.parse(readFileSync(join(dir, f), 'utf8'))
        const saved = JSON.parse(readFileSync(join(committed, f), 'utf8'))
        assert.deepEqual(saved, fresh, `${name}/${f} is stale: run \`node bindings-node/test/cdk/synth.mjs\``)
      }
    }
  })

  test('every synthesized template passes cfn-lint', (t) => {
    const lint = join(repoRoot, '.venv/bin/cfn-lint')
    if (!existsSync(lint)) {
      assert.fail(`${lint} is missing: scripts/test installs cfn-lint into the venv`)
    }
    for (const [name, dir] of Object.entries(synthesized)) {
      const templates = kept(dir).filter((f) => f.endsWith('.template.json')).map((f) => join(dir, f))
      // Errors fail (bit 2); warnings and informational messages (bits 4, 8) are about style.
      const r = spawnSync(lint, ['--format', 'parseable', ...templates], { encoding: 'utf8' })
      assert.ok(r.status !== null && (r.status & 3) === 0, `${name}: cfn-lint exit ${r.status}\n${r.stdout}${r.stderr}`)
      t.diagnostic(`${name}: ${templates.length} templates lint clean of errors`)
    }
  })

  test('each control passes the compliant resource and fails the non-compliant one', () => {
    const report = hipaa.evaluateTemplate(synthesized['phi-app'])
    for (const [control, good, bad] of CASES) {
      const pass = finding(report, control, 'Compliant', good)
      assert.equal(pass.status, 'PASS', `${control} ${pass.resource.id}: ${pass.message}`)
      const fail = finding(report, control, 'NonCompliant', bad)
      assert.equal(fail.status, 'FAIL', `${control} ${fail.resource.id}: ${fail.message}`)
      assert.ok(fail.location.line > 1 && fail.location.column > 0)
    }
    // A nested stack is read with the parameters its parent passes.
    const claims = report.findings.find((f) => f.control_id === 'dynamodb.pitr' && /^NonCompliantTables\w+\.Claims/.test(f.resource.id))
    assert.equal(claims?.status, 'FAIL')
    assert.match(claims.location.file, /NonCompliantTables.*\.nested\.template\.json$/)
    // The compliant stack fails only where an account-wide setting no template holds decides:
    // AWS Backup protects S3 only once the account opts S3 in.
    const compliantFailures = report.findings.filter((f) => f.resource.id.startsWith('Compliant.') && f.status === 'FAIL')
    assert.deepEqual(
      compliantFailures.map((f) => `${f.control_id} ${f.resource.id.replace(/[0-9A-F]{8}$/, '')}`),
      ['backup.phi_resources_covered Compliant.Records'],
      compliantFailures.map((f) => f.message).join('\n'),
    )
    // Account-wide controls are the live account's to answer: not a FAIL the template cannot fix.
    const account = report.findings.find((f) => f.control_id === 's3.account_public_access_block')
    assert.equal(account.status, 'NOT_APPLICABLE')
    assert.match(account.message, /^judged on the live account, not from a template/)
  })

  test('the report works with gate() and SARIF points at the template line', () => {
    const report = hipaa.evaluateTemplate(synthesized['phi-app'])
    const g = hipaa.gate(report, { failOn: 'critical' })
    assert.equal(g.ok, false)
    assert.ok(g.failures.every((f) => f.severity === 'critical'))
    const sarif = JSON.parse(report.format('sarif'))
    const result = sarif.runs[0].results.find((r) => r.ruleId === 's3.bucket_acl_not_public')
    const loc = result.locations[0].physicalLocation
    assert.match(loc.artifactLocation.uri, /NonCompliant\.template\.json$/)
    assert.ok(loc.region.startLine > 1)
    const at = report.findings.find((f) => f.control_id === 's3.bucket_acl_not_public' && f.status === 'FAIL')
    assert.equal(loc.region.startLine, at.location.line)
  })
})

describe('Terraform plans', () => {
  test('evaluatePlan names resources by address and links them through references', () => {
    const report = hipaa.evaluatePlan(join(iac, 'terraform/instances/plan.json'))
    const versioning = (key) => report.findings.find((f) => f.control_id === 's3.versioning' && f.resource.id === `aws_s3_bucket.store["${key}"]`)
    assert.equal(versioning('claims').status, 'PASS')
    assert.equal(versioning('imaging').status, 'FAIL')
    assert.match(versioning('claims').location.file, /instances\/main\.tf$/)
  })

  test('a value unknown until apply is ERROR with its reason, never PASS', () => {
    const report = hipaa.evaluatePlan(join(iac, 'terraform/open-values/plan.json'))
    const office = report.findings.filter((f) => f.resource.id === 'aws_security_group.office' && f.control_id.startsWith('ec2.sg_'))
    assert.ok(office.length >= 4)
    for (const f of office) {
      assert.equal(f.status, 'ERROR')
      assert.equal(f.reason, 'unknown_until_apply')
    }
    assert.equal(report.complete, false)
    assert.equal(hipaa.gate(report, { failOn: 'critical' }).exitCode, 4)
  })

  test('the wrong kind of file, or a bad one, is an error with a stable code', () => {
    assert.throws(() => hipaa.evaluateTemplate(join(iac, 'terraform/module/plan.json')), (e) => e.code === 'HIPAA_BAD_INPUT' && /Terraform plan/.test(e.message))
    assert.throws(() => hipaa.evaluatePlan(join(iac, 'cloudformation/short-forms/template.yaml')), (e) => e.code === 'HIPAA_BAD_INPUT' && /CloudFormation template/.test(e.message))
    assert.throws(() => hipaa.evaluateTemplate(join(iac, 'nope.yaml')), (e) => e.code === 'HIPAA_BAD_INPUT' && /nope\.yaml/.test(e.message))
    assert.throws(() => hipaa.evaluateTemplate(join(iac, 'cloudformation/short-forms/template.yaml'), { parameter: {} }), (e) => e.code === 'HIPAA_CONFIG' && /unknown option `parameter`/.test(e.message))
    assert.throws(() => hipaa.evaluateTemplate(join(iac, 'cloudformation/short-forms/template.yaml'), { parameters: { A: 1 } }), (e) => e.code === 'HIPAA_CONFIG')
  })

  test('parameters resolve what would otherwise be unknown until apply', () => {
    const t = join(iac, 'cloudformation/short-forms/template.yaml')
    const open = hipaa.evaluateTemplate(t).findings.find((f) => f.control_id === 's3.default_encryption' && f.resource.id === 'AccessLogs')
    assert.equal(open.status, 'ERROR')
    const given = hipaa.evaluateTemplate(t, { parameters: { SharedKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/k' } })
    assert.equal(given.findings.find((f) => f.control_id === 's3.default_encryption' && f.resource.id === 'AccessLogs').status, 'PASS')
  })
})

describe('examples/deploy-gate.mjs before deploy', () => {
  const gateScript = join(repoRoot, 'examples/deploy-gate.mjs')
  const run = (args) => spawnSync(process.execPath, [gateScript, ...args], { encoding: 'utf8', timeout: 120_000 })

  test('--template closes the gate on the failures, with file and line', () => {
    const r = run(['--template', synthesized['phi-app'], '--fail-on', 'critical'])
    assert.equal(r.status, 3, r.stderr)
    assert.match(r.stdout, /s3\.bucket_acl_not_public/)
    assert.match(r.stdout, /at .*NonCompliant\.template\.json:\d+/)
    assert.match(r.stdout, /gate closed: fix or waive/)
  })

  test('--plan with values unknown until apply is incomplete (exit 4)', () => {
    const r = run(['--plan', join(iac, 'terraform/open-values/plan.json'), '--fail-on', 'critical'])
    assert.equal(r.status, 4, r.stdout + r.stderr)
    assert.match(r.stdout, /unknown until apply/)
  })

  test('bad options are usage errors', () => {
    assert.equal(run(['--template', 'a', '--plan', 'b']).status, 2)
    assert.equal(run(['--template', 'a', '--parameter', 'novalue']).status, 2)
  })
})
