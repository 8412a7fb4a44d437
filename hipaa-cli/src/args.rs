//! Command-line arguments.

use clap::{Args, Parser, Subcommand, ValueEnum};
use hipaa_core::report::Format;
use hipaa_core::Severity;
use std::path::PathBuf;

/// Check an AWS estate against the HIPAA Security Rule, with evidence.
///
/// Exit codes: 0 clean, 1 error (bad input, unreadable file), 2 usage error,
/// 3 failures at or above --fail-on, 4 scan incomplete (some reads failed; wins over 3).
#[derive(Debug, Parser)]
#[command(name = "hipaa", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan an AWS account (read-only) and report every control.
    Scan(ScanArgs),
    /// Collect the evidence only and save it as JSON, for offline evaluation.
    Snapshot(SnapshotArgs),
    /// Evaluate a saved snapshot offline.
    Evaluate(EvaluateArgs),
    /// Judge infrastructure code before it is deployed: CloudFormation templates (YAML or JSON),
    /// CDK output (`cdk.out`) and Terraform plans (`terraform show -json PLANFILE`), with the
    /// controls of a live scan.
    Iac(IacArgs),
    /// Convert a saved report (JSON) to another format.
    Report(ReportFileArgs),
    /// What changed between two saved reports: new failures, fixed, still failing, newly unknown.
    Diff(DiffArgs),
    /// Pass rate per safeguard across saved reports, oldest first.
    Trend(TrendArgs),
    /// The risk register of a saved report: risks with likelihood, impact and due dates, and the asset inventory.
    Risks(RisksArgs),
    /// Write an evidence bundle (zip with report, evidence, catalog, scope, attestations and a SHA-256 manifest).
    Bundle(BundleArgs),
    /// Check an evidence bundle and name any file that changed.
    Verify(VerifyArgs),
    /// Evaluate the bundled sample environment (no AWS account needed).
    Demo(DemoArgs),
    /// List the control catalog.
    Controls(ControlsArgs),
    /// List every requirement of a framework (default: the HIPAA Security Rule) with its owner and the controls that answer it.
    Citations(CitationsArgs),
    /// The network map of the VPCs that hold ePHI (subnets, routes, gateways, peering, endpoints) from a saved snapshot, as JSON.
    NetworkMap(NetworkMapArgs),
    /// Generate the AWS Organizations service control policy that denies every service outside the HIPAA-eligible list.
    Scp(ScpArgs),
    /// Merge organization reports of disjoint account sets (shards, separate runs) into one.
    Merge(MergeArgs),
}

/// How to reach AWS.
#[derive(Debug, Args)]
pub struct AwsArgs {
    /// Named profile from ~/.aws/config (default: the SDK's default chain: env, profile, SSO, instance role).
    #[arg(long, env = "AWS_PROFILE")]
    pub profile: Option<String>,
    /// Region to scan for regional services; repeat or comma-separate (default: the scope file's, else every region the account has enabled).
    #[arg(long = "region", value_delimiter = ',')]
    pub regions: Vec<String>,
    /// Endpoint override for a local emulator (moto, LocalStack), e.g. http://127.0.0.1:5000.
    #[arg(long, env = "HIPAA_ENDPOINT_URL")]
    pub endpoint_url: Option<String>,
    /// Attempts per API call under the SDK's standard retry mode.
    #[arg(long, default_value_t = 5)]
    pub max_attempts: u32,
    /// API calls in flight at once (in an organization scan: over every account together).
    #[arg(long, default_value_t = 32)]
    pub concurrency: usize,
    /// The SDK's retry mode: standard, or adaptive (slows down by itself after throttling).
    #[arg(long, default_value = "standard", value_parser = parse_retry_mode)]
    pub retry_mode: hipaa_aws::RetryMode,
    /// API calls in flight at once to one service of one account (default: none in an account scan; in an organization scan, concurrency ÷ account-concurrency, at least 2).
    #[arg(long)]
    pub service_concurrency: Option<usize>,
    /// Never draw a progress bar (none is drawn when stderr is not a terminal anyway).
    #[arg(long)]
    pub no_progress: bool,
}

/// Which framework groups the findings (shared by every command that writes a report).
#[derive(Debug, Args, Clone, Default)]
pub struct FrameworkArgs {
    /// Group findings by this framework: hipaa-2013 (the rule in force) or hipaa-nprm-2025 (the
    /// proposed 2025 rule: readiness only, never compliance). Default: hipaa-2013, except for
    /// `report` and `merge`, which keep the framework of the saved reports.
    #[arg(long, value_name = "ID")]
    pub framework: Option<String>,
    /// A framework file of your own (TOML, the format of hipaa-core/data/frameworks/*.toml).
    #[arg(long, value_name = "PATH")]
    pub framework_file: Option<PathBuf>,
}

impl FrameworkArgs {
    /// The core's view of the two options.
    pub fn choice(&self) -> hipaa_core::audit::FrameworkChoice {
        hipaa_core::audit::FrameworkChoice {
            id: self.framework.clone(),
            file: self.framework_file.clone(),
        }
    }
}

/// How to judge and present the result.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub framework: FrameworkArgs,
    /// Scope file (TOML): accounts and BAA, regions, PHI tag, exclusions, waivers, thresholds.
    #[arg(long)]
    pub scope: Option<PathBuf>,
    /// Extra control catalog file (TOML); repeatable.
    #[arg(long = "catalog")]
    pub catalogs: Vec<PathBuf>,
    /// Attestations file (TOML, `[[attestation]]` entries) for controls no API can show.
    #[arg(long)]
    pub attestations: Option<PathBuf>,
    /// Output format: table, json, markdown, html, csv, sarif, ocsf, asff or junit.
    #[arg(long, default_value = "table", value_parser = parse_format)]
    pub format: Format,
    /// Write the report here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Exit 3 when a failure of this severity or higher exists.
    #[arg(long, default_value = "informational", value_parser = parse_severity)]
    pub fail_on: Severity,
    /// In the table, list PASS, NOT_APPLICABLE and INHERITED findings too.
    #[arg(long)]
    pub all: bool,
}

fn parse_retry_mode(s: &str) -> Result<hipaa_aws::RetryMode, String> {
    s.parse().map_err(|e: hipaa_aws::Error| e.to_string())
}

fn parse_shard(s: &str) -> Result<hipaa_core::organization::Shard, String> {
    s.parse().map_err(|e: hipaa_core::Error| e.to_string())
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Plain text.
    Text,
    /// JSON.
    Json,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier report (JSON).
    pub old: PathBuf,
    /// The later report (JSON).
    pub new: PathBuf,
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Exit 3 when the later report has new failures.
    #[arg(long)]
    pub fail_on_new: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrendFormat {
    /// Aligned table.
    Table,
    /// JSON.
    Json,
    /// The newest report as HTML with a trend chart.
    Html,
}

#[derive(Debug, Args)]
pub struct TrendArgs {
    /// Saved reports (JSON), in any order.
    #[arg(required = true)]
    pub reports: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = TrendFormat::Table)]
    pub format: TrendFormat,
    /// Write here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RisksFormat {
    /// The remediation plan, one row per risk.
    Csv,
    /// The asset inventory ranked by impact.
    AssetsCsv,
    /// Both, as JSON.
    Json,
}

#[derive(Debug, Args)]
pub struct RisksArgs {
    /// A saved report (JSON).
    pub report: PathBuf,
    /// Scope file whose `[remediation_days]` sets the due dates.
    #[arg(long)]
    pub scope: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = RisksFormat::Csv)]
    pub format: RisksFormat,
    /// Write here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BundleArgs {
    /// A saved snapshot (from `hipaa snapshot` or `scan --save-snapshot`).
    pub snapshot: PathBuf,
    /// Scope file (included in the bundle).
    #[arg(long)]
    pub scope: Option<PathBuf>,
    /// Attestations file (included in the bundle).
    #[arg(long)]
    pub attestations: Option<PathBuf>,
    /// Extra control catalog file (TOML); repeatable.
    #[arg(long = "catalog")]
    pub catalogs: Vec<PathBuf>,
    /// Where to write the zip.
    #[arg(long, short)]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The bundle zip.
    pub bundle: PathBuf,
}

#[derive(Debug, Args)]
pub struct ReportFileArgs {
    /// A report written by `hipaa scan --format json` (or evaluate / demo).
    pub report: PathBuf,
    /// Regroup the saved findings by another framework (default: keep the report's own).
    #[command(flatten)]
    pub framework: FrameworkArgs,
    /// Output format: table, json, markdown, html, csv, sarif, ocsf, asff or junit.
    #[arg(long, default_value = "table", value_parser = parse_format)]
    pub format: Format,
    /// Write here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// In the table, list PASS, NOT_APPLICABLE and INHERITED findings too.
    #[arg(long)]
    pub all: bool,
}

/// Which accounts an organization scan reads (`--organization` or `--accounts`).
#[derive(Debug, Args)]
pub struct OrgArgs {
    /// Scan every ACTIVE account of the organization (credentials of the management account or a delegated administrator; members through the scope's `[organization] role_name`).
    #[arg(long, conflicts_with = "accounts")]
    pub organization: bool,
    /// Scan these accounts (comma-separated ids) without AWS Organizations, through the same role.
    #[arg(long, value_delimiter = ',', num_args = 1..)]
    pub accounts: Option<Vec<String>>,
    /// Only accounts under this OU (or root) and its children; repeatable.
    #[arg(long = "ou", value_name = "OU_ID", requires = "organization")]
    pub ous: Vec<String>,
    /// Accounts scanned at once.
    #[arg(long, default_value_t = hipaa_aws::DEFAULT_ACCOUNT_CONCURRENCY)]
    pub account_concurrency: usize,
    /// Scan only shard I of N (0-based, e.g. $AWS_BATCH_JOB_ARRAY_INDEX/4); an account always lands in the same shard; join the reports with `hipaa merge`.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<hipaa_core::organization::Shard>,
}

impl OrgArgs {
    /// Whether this is an organization scan.
    pub fn enabled(&self) -> bool {
        self.organization || self.accounts.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Prefer {
    /// The account's most recent scan wins.
    Newest,
    /// The account's earliest scan wins.
    Oldest,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Group the merged findings by this framework (default: the one the reports were grouped by).
    #[command(flatten)]
    pub framework: FrameworkArgs,
    /// Organization reports (JSON) from `hipaa scan --organization` (`--shard`) or `--accounts`.
    #[arg(required = true)]
    pub reports: Vec<PathBuf>,
    /// When two reports hold the same account, which wins (default: refuse to merge).
    #[arg(long, value_enum, conflicts_with = "prefer_report")]
    pub prefer: Option<Prefer>,
    /// When two reports hold the same account, this one (one of REPORTS) wins.
    #[arg(long, value_name = "FILE")]
    pub prefer_report: Option<PathBuf>,
    /// Scope file the organization controls are judged under (waivers, attestations): the one the scans used.
    #[arg(long)]
    pub scope: Option<PathBuf>,
    /// Extra control catalog file (TOML); repeatable.
    #[arg(long = "catalog")]
    pub catalogs: Vec<PathBuf>,
    /// Output format: json (default), table, markdown, html, csv, sarif, ocsf, asff or junit.
    #[arg(long, default_value = "json", value_parser = parse_format)]
    pub format: Format,
    /// Write the merged report here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Exit 3 when a failure of this severity or higher exists (4 when the merged report is incomplete).
    #[arg(long, default_value = "informational", value_parser = parse_severity)]
    pub fail_on: Severity,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    #[command(flatten)]
    pub org: OrgArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Also save the collected evidence to this file.
    #[arg(long)]
    pub save_snapshot: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Scope file (only its regions are used here).
    #[arg(long)]
    pub scope: Option<PathBuf>,
    /// Where to write the snapshot JSON.
    #[arg(long, short)]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// A snapshot written by `hipaa snapshot` or `hipaa scan --save-snapshot`.
    pub snapshot: PathBuf,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args)]
pub struct IacArgs {
    /// Templates, `cdk.out` directories or plan JSON files; the format of each is detected.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub code: CodeArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Also save the evidence converted from the code to this file (for `hipaa evaluate`).
    #[arg(long)]
    pub save_snapshot: Option<PathBuf>,
}

/// What infrastructure code alone does not say.
#[derive(Debug, Args)]
pub struct CodeArgs {
    /// A CloudFormation parameter value, NAME=VALUE; repeatable (a parameter without a default
    /// and without a value here is unknown until apply).
    #[arg(long = "parameter", value_name = "NAME=VALUE", value_parser = parse_parameter)]
    pub parameters: Vec<(String, String)>,
    /// The region the code deploys to, where the code does not say.
    #[arg(long = "deploy-region", value_name = "REGION")]
    pub region: Option<String>,
    /// The account the code deploys to, where the code does not say.
    #[arg(long = "deploy-account", value_name = "ACCOUNT_ID")]
    pub account: Option<String>,
}

impl CodeArgs {
    /// The converter options these arguments give.
    pub fn options(&self) -> hipaa_core::iac::Options {
        hipaa_core::iac::Options {
            parameters: self.parameters.iter().cloned().collect(),
            region: self.region.clone(),
            account: self.account.clone(),
            ..hipaa_core::iac::Options::default()
        }
    }
}

fn parse_parameter(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("expected NAME=VALUE, got `{s}`")),
    }
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub framework: FrameworkArgs,
    /// Output format: table, json, markdown, html, csv, sarif, ocsf, asff or junit.
    #[arg(long, default_value = "table", value_parser = parse_format)]
    pub format: Format,
    /// Write the report here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Exit 3 on failures at or above this severity (by default the demo always exits 0).
    #[arg(long, value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// In the table, list PASS, NOT_APPLICABLE and INHERITED findings too.
    #[arg(long)]
    pub all: bool,
    /// Print the sample scope file instead of the report.
    #[arg(long)]
    pub show_scope: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned table.
    Table,
    /// JSON array.
    Json,
}

#[derive(Debug, Args)]
pub struct ControlsArgs {
    /// Only this category (e.g. encryption-at-rest).
    #[arg(long)]
    pub category: Option<String>,
    /// Only controls of this severity or higher.
    #[arg(long, value_parser = parse_severity)]
    pub severity: Option<Severity>,
    /// Only controls citing this spec (e.g. "164.312(a)(2)(iv)").
    #[arg(long)]
    pub citation: Option<String>,
    /// Only controls whose id starts with this (e.g. s3, iam.root).
    #[arg(long)]
    pub id: Option<String>,
    /// Extra control catalog file (TOML); repeatable.
    #[arg(long = "catalog")]
    pub catalogs: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct CitationsArgs {
    #[command(flatten)]
    pub framework: FrameworkArgs,
    /// Only this safeguard (administrative, physical, technical, organizational, documentation).
    #[arg(long)]
    pub safeguard: Option<String>,
    /// Only this owner (aws, customer, shared).
    #[arg(long)]
    pub owner: Option<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

/// Options of `hipaa network-map`.
#[derive(Debug, Args)]
pub struct NetworkMapArgs {
    /// A snapshot written by `hipaa snapshot` or `hipaa scan --save-snapshot`.
    pub snapshot: PathBuf,
    /// Scope file (its PHI tag decides which VPCs hold ePHI).
    #[arg(long)]
    pub scope: Option<PathBuf>,
    /// Write the JSON here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Options of `hipaa scp`.
#[derive(Debug, Args)]
pub struct ScpArgs {
    /// Write the policy to this file (FILE, FILE-2, … when the list has to be split); default: standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Principal ARN pattern exempt from the deny, e.g. a break-glass role; repeatable.
    #[arg(long = "exempt-principal", value_name = "ARN")]
    pub exempt_principals: Vec<String>,
    /// Print the eligible-services list the policy is built from instead of the policy.
    #[arg(long)]
    pub list: bool,
}
