// Compiled (never run) by `tsc --noEmit --strict -p test/tsconfig.json`: the declarations in
// index.d.ts must type a realistic deploy script with no `any` leaking out.
import {
  citations,
  controls,
  demo,
  diff,
  evaluate,
  evaluatePlan,
  evaluateTemplate,
  gate,
  loadReport,
  loadSnapshot,
  merge,
  riskRegister,
  risksCsv,
  scan,
  scanOrganization,
  snapshot,
  trend,
  verifyBundle,
  writeBundle,
  type BundleManifest,
  type BundleOptions,
  type BundleVerification,
  type CodeOptions,
  type Location,
  type UnknownReason,
  type Change,
  type CitationEntry,
  type Control,
  type ErrorCode,
  type AccountSummary,
  type Finding,
  type GateResult,
  type OrganizationScanOptions,
  type Report,
  type ReportData,
  type Risk,
  type RiskRegister,
  type ScanOptions,
  type ScopeFile,
  type Severity,
  type Snapshot,
  type Status,
  type TrendPoint,
} from '../index.js'

/** Fails to compile when `T` is `any`. */
type NotAny<T> = 0 extends 1 & T ? never : T
function notAny<T>(value: NotAny<T>): T {
  return value as T
}

const scope: ScopeFile = {
  regions: ['us-east-1'],
  mode: 'phi-only',
  accounts: [{ id: '123456789012', baa: 'signed', baa_reference: 'legal/baa.pdf' }],
  phi: { tag_key: 'DataClass', tag_values: ['PHI'] },
  thresholds: { access_key_max_age_days: 30 },
  controls: { disable: ['s3.object_lock'], severity: { 's3.replication': 'high' } },
  waivers: [{ control: 's3.access_logging', resource: 'arn:aws:s3:::logs', justification: 'loops', owner: 'sec@example.com', expires: '2027-06-30' }],
}

const options: ScanOptions = {
  profile: 'phi-prod',
  regions: ['us-east-1', 'us-west-2'],
  endpointUrl: 'http://127.0.0.1:5000',
  scope,
  maxAttempts: 3,
  concurrency: 8,
  onProgress: (done: number, total: number, stage: string): void => {
    void [done, total, stage]
  },
}

async function deployGate(failOn: Severity): Promise<number> {
  const report: Report = await scan(options)
  const result: GateResult = gate(report, { failOn, allowIncomplete: false })
  for (const f of result.failures) {
    const line: string = `${f.severity} ${f.control_id} ${f.resource.name ?? f.resource.id} ${f.message}`
    void line
  }
  const code: number = notAny(result.exitCode)
  const ok: boolean = result.ok
  return ok ? 0 : code
}

async function offline(): Promise<void> {
  const snap: Snapshot = await snapshot({ scope: 'scope.toml' })
  const account: string | null = snap.account
  const saved: Record<string, unknown> = snap.toJSON()
  void [account, saved]
  const r = evaluate(loadSnapshot('evidence.json'), 'scope.toml')
  const data: ReportData = r.toJSON()
  const status: Status = notAny(data.findings[0]?.status ?? 'PASS')
  const byCitation: Status | null = data.summary.by_citation[0]?.status ?? null
  const ratio: number = r.completeness.read_success_ratio
  const md: string = r.format('markdown')
  const json: string = loadReport('report.json').format('json')
  const failures: Finding[] = r.failures('critical')
  void [status, byCitation, ratio, md, json, failures, data.summary.by_severity['high']?.FAIL]
}

function catalog(): void {
  const list: Control[] = controls()
  const specs: CitationEntry[] = citations()
  const proposed: CitationEntry[] = citations({ framework: 'hipaa-nprm-2025' })
  const readiness: 'final' | 'proposed' = demo({ framework: 'hipaa-nprm-2025' }).framework.status
  void [proposed.length, readiness]
  const first: Control | undefined = list[0]
  if (first !== undefined) {
    const check: 'automated' | 'manual' | 'inherited' | 'organization' = first.check
    void check
  }
  const owners = specs.map((s) => notAny(s.owner))
  void [owners, demo().findings.length]
}

function audit(): void {
  const before: Report = loadReport('last-week.json')
  const now: Report = evaluate(loadSnapshot('evidence.json'), scope)
  const changes = diff(before, now)
  const added: Change[] = changes.new_failures
  const was: Status | null = notAny(changes.fixed[0]?.before ?? null)
  const since: string = changes.old_generated_at
  const expiring: string[] = changes.waivers_expiring.map((w) => w.expires)
  const points: TrendPoint[] = trend([before, now])
  const rate: number | null | undefined = points[0]?.pass_rate['technical']
  const fails: number = notAny(points[0]?.failures ?? 0)
  const reg: RiskRegister = riskRegister(now, { remediation_days: { critical: 3 } })
  const top: Risk | undefined = reg.risks[0]
  const severity: Severity | undefined = top?.severity
  const due: string | undefined = top?.due
  const impact: number | undefined = reg.assets[0]?.impact
  const csv: string = risksCsv(now, 'scope.toml')
  const options: BundleOptions = { scope: 'scope.toml', attestationsFile: 'attestations.toml' }
  const manifest: BundleManifest = writeBundle('evidence.zip', loadSnapshot('evidence.json'), options)
  const digests: string[] = manifest.files.map((f) => notAny(f.sha256))
  const v: BundleVerification = verifyBundle('evidence.zip')
  const tampered: string[] = v.ok ? [] : [...v.changed, ...v.missing, ...v.unexpected]
  void [added, was, since, expiring, rate, fails, severity, due, impact, csv, digests, tampered, v.manifest_intact, manifest.created_at]
}

/** Before `cdk deploy`: judge the synthesized templates, point at the template lines. */
function beforeDeploy(dir: string): number {
  const options: CodeOptions = { scope: { regions: ['us-east-1'] }, parameters: { KeyArn: 'arn:aws:kms:us-east-1:111122223333:key/k' } }
  const report = evaluateTemplate(dir, options)
  const plan = evaluatePlan('plan.json', { region: 'us-east-1' })
  const open: UnknownReason[] = report.findings.flatMap((f: Finding) => (f.reason ? [f.reason] : []))
  const lines: string[] = report.findings.flatMap((f) => {
    const at: Location | undefined = f.location
    return at ? [`${at.file}:${at.line}:${at.column} ${f.control_id}`] : []
  })
  void [open.includes('unknown_until_apply'), lines, plan.complete]
  return gate(report, { failOn: 'high' }).exitCode
}

function onError(e: unknown): ErrorCode | undefined {
  const code = (e as { code?: unknown }).code
  return code === 'HIPAA_CONFIG' || code === 'HIPAA_AWS_ACCESS' || code === 'HIPAA_BAD_INPUT' ? code : undefined
}

// Mistakes the declarations must catch.
// @ts-expect-error: not a severity
gate(demo(), { failOn: 'severe' })
// @ts-expect-error: options are camelCase
gate(demo(), { fail_on: 'high' })
// @ts-expect-error: not a format
demo().format('pdf')
// @ts-expect-error: scope mode is 'all' or 'phi-only'
evaluate(loadSnapshot('s.json'), { mode: 'sometimes' })
// @ts-expect-error: a report is not a snapshot
evaluate(demo())
// @ts-expect-error: progress arguments are numbers and a string
void scan({ onProgress: (done: string) => done })

// @ts-expect-error: bundle options are camelCase
writeBundle('b.zip', loadSnapshot('s.json'), { attestations_file: 'a.toml' })
// @ts-expect-error: a snapshot is not a report
diff(demo(), loadSnapshot('s.json'))
// @ts-expect-error: trend takes an array of reports
trend(demo())
// @ts-expect-error: parameter values are strings
evaluateTemplate('cdk.out', { parameters: { Count: 3 } })

async function organization(): Promise<number> {
  const options: OrganizationScanOptions = {
    profile: 'management',
    accountConcurrency: 8,
    retryMode: 'adaptive',
    shard: '0/4',
    onAccount: (account: string, state: 'started' | 'scanned' | 'unreachable', done: number, total: number): void => {
      void [account, state, done, total]
    },
  }
  const part: Report = await scanOrganization(options)
  const whole: Report = merge([part, loadReport('shard-1.json')], 'scope.toml')
  const accounts: AccountSummary[] = whole.summary.by_account ?? []
  const unreachable: string[] = accounts.filter((a) => a.state === 'unreachable').map((a) => a.account)
  const from: string | undefined = whole.findings[0]?.account
  const section: Record<string, unknown> | null = whole.organization
  void [unreachable, from, section]
  return gate(whole).exitCode
}

// @ts-expect-error: the retry mode is 'standard' or 'adaptive'
void scanOrganization({ retryMode: 'eager' })
// @ts-expect-error: merge prefers 'newest' or 'oldest'
merge([demo()], undefined, 'largest')

void [deployGate, offline, catalog, audit, onError, beforeDeploy, organization]
