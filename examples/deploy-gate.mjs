#!/usr/bin/env node
// A deployment gate: scan the AWS account, print the failures that block the deploy, and exit with
// the gate's code — 0 go ahead, 3 failures at or above --fail-on, 4 scan incomplete (some reads
// failed: the account could not be fully checked) — the same codes as `hipaa scan --fail-on`.
//
//   node examples/deploy-gate.mjs --scope scope.toml --fail-on high
//   node examples/deploy-gate.mjs --endpoint-url http://127.0.0.1:5000 --region us-east-1,us-west-2
//
// Options (each also read from the environment variable shown):
//   --profile NAME          AWS profile (AWS_PROFILE; default: the SDK's credential chain)
//   --region LIST           comma-separated regions (HIPAA_REGIONS; default: the scope's, else every enabled region)
//   --endpoint-url URL      local emulator such as moto or LocalStack (HIPAA_ENDPOINT_URL)
//   --scope PATH            TOML scope file (HIPAA_SCOPE)
//   --fail-on SEVERITY      critical | high | medium | low | informational (HIPAA_FAIL_ON; default high)
//   --max-attempts N        attempts per AWS call (HIPAA_MAX_ATTEMPTS; default 5)
//   --allow-incomplete      let an incomplete scan pass when nothing fails
//
// In your own project, install the package and import from 'hipaa-aws' instead.
import { parseArgs } from 'node:util'
import { gate, scan } from '../bindings-node/index.mjs'

const USAGE = 'usage: deploy-gate.mjs [--profile NAME] [--region LIST] [--endpoint-url URL] [--scope PATH] [--fail-on SEVERITY] [--max-attempts N] [--allow-incomplete]'

function options() {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string', default: process.env.AWS_PROFILE },
      region: { type: 'string', default: process.env.HIPAA_REGIONS },
      'endpoint-url': { type: 'string', default: process.env.HIPAA_ENDPOINT_URL },
      scope: { type: 'string', default: process.env.HIPAA_SCOPE },
      'fail-on': { type: 'string', default: process.env.HIPAA_FAIL_ON ?? 'high' },
      'max-attempts': { type: 'string', default: process.env.HIPAA_MAX_ATTEMPTS },
      'allow-incomplete': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  return values
}

/** Cut text to at most `width` characters. */
function clip(text, width) {
  const s = String(text)
  return s.length > width ? `${s.slice(0, width - 1)}…` : s
}

/** Fit text into a column. */
function cell(text, width) {
  return clip(text, width).padEnd(width)
}

async function main() {
  let args
  try {
    args = options()
  } catch (e) {
    console.error(`deploy-gate: ${e.message}\n${USAGE}`)
    return 2
  }
  const showProgress = process.stderr.isTTY
  const report = await scan({
    profile: args.profile,
    regions: args.region ? args.region.split(',').map((r) => r.trim()).filter(Boolean) : undefined,
    endpointUrl: args['endpoint-url'],
    scope: args.scope,
    maxAttempts: args['max-attempts'] === undefined ? undefined : Number(args['max-attempts']),
    onProgress: showProgress ? (done, total, stage) => process.stderr.write(`\rscanning: ${done}/${total} ${stage}\x1b[K`) : undefined,
  })
  if (showProgress) process.stderr.write('\r\x1b[K')

  const failOn = args['fail-on']
  const result = gate(report, { failOn, allowIncomplete: args['allow-incomplete'] })
  const where = `account ${report.account ?? 'unknown'}, ${report.snapshot.regions.join(', ')}`

  if (result.failures.length > 0) {
    console.log(`${result.failures.length} failing finding(s) at or above ${failOn} (${where}):\n`)
    console.log(`${cell('SEVERITY', 10)} ${cell('CONTROL', 34)} ${cell('RESOURCE', 28)} MESSAGE`)
    for (const f of result.failures) {
      const resource = f.resource.name ?? f.resource.id
      console.log(`${cell(f.severity, 10)} ${cell(f.control_id, 34)} ${cell(resource, 28)} ${clip(f.message, 70)}`)
    }
    const controls = [...new Set(result.failures.map((f) => f.control_id))]
    console.log(`\nfailing controls: ${controls.join(', ')}`)
  }
  if (!result.complete) {
    const c = report.completeness
    console.log(`\nthe scan is incomplete: ${c.reads_failed} of ${c.reads_attempted} reads failed, ${c.error_findings} finding(s) are ERROR`)
    for (const r of c.failed_reads.slice(0, 5)) {
      console.log(`  ${[r.operation, r.resource].filter(Boolean).join(' ')} (${r.reason}): ${clip(r.detail, 90)}`)
    }
  }
  const verdict = { 0: 'open: deploy may proceed', 3: 'closed: fix or waive the failures above', 4: 'closed: the account could not be fully checked' }
  console.log(`\ngate ${verdict[result.exitCode] ?? 'closed'} (exit ${result.exitCode}; ${where})`)
  return result.exitCode
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (e) => {
    // HIPAA_CONFIG: a bad option (usage error, 2); anything else stops the gate as an error (1).
    console.error(`deploy-gate: ${e.code ?? 'error'}: ${e.message}`)
    process.exitCode = e.code === 'HIPAA_CONFIG' ? 2 : 1
  },
)
