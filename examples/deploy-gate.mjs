#!/usr/bin/env node
// A deployment gate: scan the AWS account — or, before anything is deployed, the CloudFormation
// template, CDK output or Terraform plan about to be deployed — print the failures that block the
// deploy, and exit with the gate's code — 0 go ahead, 3 failures at or above --fail-on, 4
// incomplete (some reads failed, or some values are unknown until apply) — the same codes as
// `hipaa scan --fail-on` and `hipaa iac --fail-on`.
//
//   node examples/deploy-gate.mjs --scope scope.toml --fail-on high
//   node examples/deploy-gate.mjs --endpoint-url http://127.0.0.1:5000 --region us-east-1,us-west-2
//   npx cdk synth --quiet && node examples/deploy-gate.mjs --template cdk.out && npx cdk deploy --all
//   terraform show -json plan.tfplan > plan.json && node examples/deploy-gate.mjs --plan plan.json
//
// Options (each also read from the environment variable shown):
//   --profile NAME          AWS profile (AWS_PROFILE; default: the SDK's credential chain)
//   --region LIST           comma-separated regions (HIPAA_REGIONS; default: the scope's, else every enabled region)
//   --endpoint-url URL      local emulator such as moto or LocalStack (HIPAA_ENDPOINT_URL)
//   --scope PATH            TOML scope file (HIPAA_SCOPE)
//   --fail-on SEVERITY      critical | high | medium | low | informational (HIPAA_FAIL_ON; default high)
//   --max-attempts N        attempts per AWS call (HIPAA_MAX_ATTEMPTS; default 5)
//   --allow-incomplete      let an incomplete scan pass when nothing fails
//   --template PATH         judge a CloudFormation template (YAML or JSON) or a `cdk.out` directory instead of the account
//   --plan PATH             judge a Terraform plan (`terraform show -json PLANFILE`) instead of the account
//   --parameter NAME=VALUE  a CloudFormation parameter value, repeatable (with --template)
//
// In your own project, install the package and import from 'hipaa-aws' instead.
import { parseArgs } from 'node:util'
import { evaluatePlan, evaluateTemplate, gate, scan } from '../bindings-node/index.mjs'

const USAGE = 'usage: deploy-gate.mjs [--profile NAME] [--region LIST] [--endpoint-url URL] [--scope PATH] [--fail-on SEVERITY] [--max-attempts N] [--allow-incomplete]\n       deploy-gate.mjs (--template PATH | --plan PATH) [--parameter NAME=VALUE]... [--scope PATH] [--fail-on SEVERITY] [--allow-incomplete]'

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
      template: { type: 'string' },
      plan: { type: 'string' },
      parameter: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  if (values.template && values.plan) throw new Error('give --template or --plan, not both')
  for (const p of values.parameter) {
    if (!/^[^=]+=/.test(p)) throw new Error(`--parameter needs NAME=VALUE, got \`${p}\``)
  }
  return values
}

/** The report of the code about to be deployed (no AWS call), or of the account. */
async function judge(args, showProgress) {
  if (args.template) {
    const parameters = Object.fromEntries(args.parameter.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]))
    return evaluateTemplate(args.template, { scope: args.scope, parameters })
  }
  if (args.plan) return evaluatePlan(args.plan, { scope: args.scope })
  const report = await scan({
    profile: args.profile,
    regions: args.region ? args.region.split(',').map((r) => r.trim()).filter(Boolean) : undefined,
    endpointUrl: args['endpoint-url'],
    scope: args.scope,
    maxAttempts: args['max-attempts'] === undefined ? undefined : Number(args['max-attempts']),
    onProgress: showProgress ? (done, total, stage) => process.stderr.write(`\rscanning: ${done}/${total} ${stage}\x1b[K`) : undefined,
  })
  if (showProgress) process.stderr.write('\r\x1b[K')
  return report
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
  const report = await judge(args, showProgress)
  const code = Boolean(args.template || args.plan)

  const failOn = args['fail-on']
  const result = gate(report, { failOn, allowIncomplete: args['allow-incomplete'] })
  const where = code ? report.snapshot.source : `account ${report.account ?? 'unknown'}, ${report.snapshot.regions.join(', ')}`
  // Findings about code say where the resource is written: `stack.template.json:42`.
  const at = (f) => (f.location ? `${f.location.file}:${f.location.line}` : (f.resource.name ?? f.resource.id))

  if (result.failures.length > 0) {
    console.log(`${result.failures.length} failing finding(s) at or above ${failOn} (${where}):\n`)
    console.log(`${cell('SEVERITY', 10)} ${cell('CONTROL', 34)} ${cell('RESOURCE', 28)} MESSAGE`)
    for (const f of result.failures) {
      const resource = code ? f.resource.id : (f.resource.name ?? f.resource.id)
      console.log(`${cell(f.severity, 10)} ${cell(f.control_id, 34)} ${cell(resource, 28)} ${clip(f.message, 70)}`)
      if (code && f.location) console.log(`${' '.repeat(46)}at ${at(f)}`)
    }
    const controls = [...new Set(result.failures.map((f) => f.control_id))]
    console.log(`\nfailing controls: ${controls.join(', ')}`)
  }
  if (!result.complete && code) {
    const open = report.findings.filter((f) => f.status === 'ERROR')
    console.log(`\n${open.length} finding(s) depend on values unknown until apply (give them with --parameter, or deploy and scan):`)
    for (const f of open.slice(0, 5)) {
      console.log(`  ${f.control_id} ${f.resource.id} (${at(f)}): ${clip(f.message, 90)}`)
    }
  } else if (!result.complete) {
    const c = report.completeness
    console.log(`\nthe scan is incomplete: ${c.reads_failed} of ${c.reads_attempted} reads failed, ${c.error_findings} finding(s) are ERROR`)
    for (const r of c.failed_reads.slice(0, 5)) {
      console.log(`  ${[r.operation, r.resource].filter(Boolean).join(' ')} (${r.reason}): ${clip(r.detail, 90)}`)
    }
  }
  const verdict = {
    0: 'open: deploy may proceed',
    3: 'closed: fix or waive the failures above',
    4: code ? 'closed: some values are unknown until apply' : 'closed: the account could not be fully checked',
  }
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
