//! Preventive mode: CloudFormation templates, CDK output (`cdk.out`) and Terraform plans turned
//! into a [`Snapshot`], so the very rules that judge a live account judge the code before it
//! is deployed, with the same control ids, citations and statuses.
//!
//! Each format has a converter here (pure: files in, evidence out); each service's own
//! `services/<service>/iac.rs` maps its resource types to its evidence. What the code leaves
//! open until apply (a parameter without a default, an imported value, a condition that cannot
//! be decided, a value Terraform computes at apply) is an unknown fact with the reason
//! `unknown_until_apply`, so the findings that need it are ERROR, never PASS.
//!
//! ```
//! use hipaa_core::{iac, Engine, Scope, Status};
//! let template = "Resources:\n  Records:\n    Type: AWS::S3::Bucket\n";
//! let snapshot = iac::from_text(template, "template.yaml", &iac::Options::default())?;
//! let report = Engine::bundled()?.evaluate(&snapshot, &Scope::default())?;
//! let versioning = report.findings.iter().find(|f| f.control_id == "s3.versioning").unwrap();
//! assert_eq!(versioning.status, Status::Fail);
//! assert_eq!(versioning.resource.id, "Records");
//! assert_eq!(versioning.location.as_ref().map(|l| l.line), Some(2));
//! # Ok::<(), hipaa_core::Error>(())
//! ```

pub mod cdk;
pub mod cloudformation;
mod intrinsics;
pub mod names;
pub mod node;
pub mod source;
pub mod terraform;
pub mod value;

use crate::error::{Error, Result};
use crate::evidence::{Fact, Provenance, ReadLog, Regional, Snapshot, SNAPSHOT_SCHEMA_VERSION};
use chrono::{DateTime, Utc};
use source::{Converted, Source};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a template alone cannot say, given by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// CloudFormation parameter values (name → value), as `--parameter-overrides` would give.
    pub parameters: BTreeMap<String, String>,
    /// The region the code deploys to, when the code does not say.
    pub region: Option<String>,
    /// The account the code deploys to, when the code does not say.
    pub account: Option<String>,
    /// The partition (`aws`).
    pub partition: String,
    /// The time the snapshot carries (default: now).
    pub taken_at: Option<DateTime<Utc>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            parameters: BTreeMap::new(),
            region: None,
            account: None,
            partition: "aws".into(),
            taken_at: None,
        }
    }
}

/// The kinds of infrastructure code this module reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A CloudFormation template, YAML or JSON.
    CloudFormation,
    /// A CDK cloud assembly directory (`cdk.out`) with its manifest and nested stacks.
    Cdk,
    /// A Terraform plan as JSON (`terraform show -json PLANFILE`).
    TerraformPlan,
}

impl Format {
    /// The name the snapshot's provenance carries.
    pub fn name(self) -> &'static str {
        match self {
            Format::CloudFormation => "cloudformation",
            Format::Cdk => "cdk",
            Format::TerraformPlan => "terraform-plan",
        }
    }
}

/// One input after reading: its format and resources.
struct Input {
    format: Format,
    path: String,
    sources: Vec<Source>,
}

/// The converters, one per service that has resource types a template can describe. Adding a
/// service's template mapping is one file, `services/<service>/iac.rs`, and one line here. KMS
/// comes last: it lists the AWS-managed keys the others found in use.
const CONVERTERS: &[fn(&[Source], &mut Converted)] = &[
    crate::services::s3::iac::convert,
    crate::services::cloudtrail::iac::convert,
    crate::services::cloudwatch::iac::convert,
    crate::services::rds::iac::convert,
    crate::services::dynamodb::iac::convert,
    crate::services::efs::iac::convert,
    crate::services::ec2::iac::convert,
    crate::services::secretsmanager::iac::convert,
    crate::services::sqs::iac::convert,
    crate::services::sns::iac::convert,
    crate::services::kinesis::iac::convert,
    crate::services::firehose::iac::convert,
    crate::services::lambda::iac::convert,
    crate::services::ecr::iac::convert,
    crate::services::ecs::iac::convert,
    crate::services::eks::iac::convert,
    crate::services::elbv2::iac::convert,
    crate::services::elb::iac::convert,
    crate::services::wafv2::iac::convert,
    crate::services::cloudfront::iac::convert,
    crate::services::apigw::iac::convert,
    crate::services::apigwv2::iac::convert,
    crate::services::redshift::iac::convert,
    crate::services::elasticache::iac::convert,
    crate::services::opensearch::iac::convert,
    crate::services::backup::iac::convert,
    crate::services::scope::iac::convert,
    crate::services::kms::iac::convert,
];

/// Read one or more files or `cdk.out` directories, each in the format it is written in, into
/// one snapshot.
pub fn load(paths: &[PathBuf], options: &Options) -> Result<Snapshot> {
    // With several inputs, a logical id names its stack too (`Prod.Bucket`).
    let several = paths.len() > 1;
    let inputs = paths
        .iter()
        .map(|p| read(p, None, options, several))
        .collect::<Result<Vec<_>>>()?;
    Ok(build(inputs, options))
}

/// Read a CloudFormation template (YAML or JSON) or a `cdk.out` directory; a Terraform plan
/// is refused.
pub fn load_template(path: &Path, options: &Options) -> Result<Snapshot> {
    let input = read(
        path,
        Some(&[Format::CloudFormation, Format::Cdk]),
        options,
        false,
    )?;
    Ok(build(vec![input], options))
}

/// Read a Terraform plan (`terraform show -json PLANFILE`); anything else is refused.
pub fn load_plan(path: &Path, options: &Options) -> Result<Snapshot> {
    let input = read(path, Some(&[Format::TerraformPlan]), options, false)?;
    Ok(build(vec![input], options))
}

/// Convert a template or plan given as text; `path` names it in findings and errors.
pub fn from_text(text: &str, path: &str, options: &Options) -> Result<Snapshot> {
    let input = from_file_text(text, path, None, options, false)?;
    Ok(build(vec![input], options))
}

fn read(
    path: &Path,
    allowed: Option<&[Format]>,
    options: &Options,
    several: bool,
) -> Result<Input> {
    let shown = path.display().to_string();
    let refuse = |found: Format| Error::Template {
        path: shown.clone(),
        message: match found {
            Format::TerraformPlan => "this is a Terraform plan; evaluate it as a plan".into(),
            _ => {
                "this is a CloudFormation template or CDK output; evaluate it as a template".into()
            }
        },
    };
    if path.is_dir() {
        if allowed.is_some_and(|a| !a.contains(&Format::Cdk)) {
            return Err(refuse(Format::Cdk));
        }
        return Ok(Input {
            format: Format::Cdk,
            path: shown,
            sources: cdk::sources(path, options, several)?,
        });
    }
    let text = match crate::audit::read_text(path) {
        Ok(t) => t,
        Err(e) => {
            let zip = std::fs::read(path).is_ok_and(|b| b.starts_with(b"PK\x03\x04"));
            if zip {
                return Err(Error::Template {
                    path: shown,
                    message: "this is a binary Terraform plan file; give its JSON form: `terraform show -json PLANFILE > plan.json`".into(),
                });
            }
            return Err(e);
        }
    };
    if path.file_name().is_some_and(|n| n == "manifest.json") {
        if let Some(dir) = path.parent() {
            let doc = node::parse_json(text.trim_start()).ok();
            if doc.as_ref().is_some_and(|d| d.get("artifacts").is_some()) {
                return read(
                    if dir.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        dir
                    },
                    allowed,
                    options,
                    several,
                );
            }
        }
    }
    from_file_text(&text, &shown, allowed, options, several)
}

fn from_file_text(
    text: &str,
    path: &str,
    allowed: Option<&[Format]>,
    options: &Options,
    several: bool,
) -> Result<Input> {
    let doc = cloudformation::parse(text, path)?;
    let format = if terraform::is_plan(&doc) {
        Format::TerraformPlan
    } else if cloudformation::is_template(&doc) {
        Format::CloudFormation
    } else if doc.get("format_version").is_some() || doc.get("terraform_version").is_some() {
        // A Terraform JSON document that is not a plan (a state file, `show -json` of state).
        return Err(Error::Template {
            path: path.to_string(),
            message: "a Terraform document without `resource_changes` or `planned_values`: give a plan (`terraform show -json PLANFILE`), not a state".into(),
        });
    } else {
        return Err(Error::Template {
            path: path.to_string(),
            message: format!(
                "{}: neither a CloudFormation template (no `Resources` section) nor a Terraform plan (JSON from `terraform show -json PLANFILE`)",
                doc.pos
            ),
        });
    };
    if let Some(a) = allowed {
        if !a.contains(&format) {
            return Err(Error::Template {
                path: path.to_string(),
                message: match format {
                    Format::TerraformPlan => {
                        "this is a Terraform plan; evaluate it as a plan".into()
                    }
                    _ => "this is a CloudFormation template; evaluate it as a template".into(),
                },
            });
        }
    }
    let sources = match format {
        Format::TerraformPlan => vec![terraform::source(&doc, path, options)?],
        _ => {
            let stem = Path::new(path)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("stack")
                .split('.')
                .next()
                .unwrap_or("stack")
                .to_string();
            let deploy = cloudformation::Deploy {
                stack: stem,
                account: options
                    .account
                    .clone()
                    .unwrap_or_else(|| names::ACCOUNT_AT_DEPLOY.into()),
                region: options
                    .region
                    .clone()
                    .unwrap_or_else(|| names::REGION_AT_DEPLOY.into()),
                params: BTreeMap::new(),
                options,
                qualify: several,
            };
            vec![cloudformation::source(&doc, path, &deploy)?]
        }
    };
    Ok(Input {
        format,
        path: path.to_string(),
        sources,
    })
}

/// Turn every service's resources into evidence.
pub fn convert(sources: &[Source], now: DateTime<Utc>) -> Converted {
    let mut out = Converted::new(now);
    for c in CONVERTERS {
        c(sources, &mut out);
    }
    out
}

fn build(inputs: Vec<Input>, options: &Options) -> Snapshot {
    let mut formats: Vec<&str> = Vec::new();
    for i in &inputs {
        if !formats.contains(&i.format.name()) {
            formats.push(i.format.name());
        }
    }
    let paths: Vec<&str> = inputs.iter().map(|i| i.path.as_str()).collect();
    let sources: Vec<Source> = inputs
        .iter()
        .flat_map(|i| i.sources.iter().cloned())
        .collect();
    let taken_at = options.taken_at.unwrap_or_else(Utc::now);
    let converted = convert(&sources, taken_at);
    let mut regions: Vec<String> = Vec::new();
    let mut accounts: Vec<String> = Vec::new();
    for s in &sources {
        if !regions.contains(&s.region) {
            regions.push(s.region.clone());
        }
        if !accounts.contains(&s.account) {
            accounts.push(s.account.clone());
        }
    }
    let account = match accounts.as_slice() {
        [one] => one.clone(),
        _ => options
            .account
            .clone()
            .unwrap_or_else(|| names::ACCOUNT_AT_DEPLOY.into()),
    };
    Snapshot {
        schema_version: SNAPSHOT_SCHEMA_VERSION,
        taken_at,
        provenance: Provenance::Template {
            format: formats.join("+"),
            path: paths.join(", "),
            resources: converted.resources,
        },
        partition: options.partition.clone(),
        account: Fact::Known(account),
        // Which regions the account has enabled is the live account's to say.
        account_regions: Fact::Unknown(value::open(
            "account regions",
            "the account's enabled regions are judged on the live account",
        )),
        regions,
        services: converted.services,
        reads: ReadLog::default(),
    }
}

/// A regional section with an entry for every source's region (so no region reads as "not
/// collected"), each filled by `fill` from the sources of that region.
pub(crate) fn by_region<T>(
    sources: &[Source],
    empty: impl Fn() -> T,
    mut fill: impl FnMut(&Source, &mut T),
) -> Regional<T> {
    let mut out: Regional<T> = Regional::default();
    for s in sources {
        if out.get(&s.region).is_none() {
            out.insert(s.region.clone(), empty());
        }
        if let Some(t) = out.get_mut(&s.region) {
            fill(s, t);
        }
    }
    out
}

/// Whether any source has a resource of one of these types.
pub(crate) fn any_of(sources: &[Source], kinds: &[&str]) -> bool {
    sources.iter().any(|s| s.of(kinds).next().is_some())
}
