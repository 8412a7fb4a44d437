//! Amazon EKS rules: the Kubernetes API is not open to the whole internet, Kubernetes secrets
//! are envelope-encrypted with KMS, the control plane logs API calls, audit events and
//! authentication, and the Kubernetes version is in standard support (`versions.toml`).

use super::evidence::{Cluster, ClusterDetail};
use crate::evidence::{Unknown, UnknownReason};
use crate::rules::{each_listed, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use chrono::NaiveDate;
use serde::Deserialize;
use std::sync::OnceLock;

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "eks.private_endpoint",
            f: private_endpoint,
        },
        RuleFn {
            id: "eks.secrets_encryption",
            f: secrets_encryption,
        },
        RuleFn {
            id: "eks.control_plane_logging",
            f: control_plane_logging,
        },
        RuleFn {
            id: "eks.supported_version",
            f: supported_version,
        },
    ]
}

fn each_cluster(
    ctx: &Context<'_>,
    judge: impl Fn(&ClusterDetail) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.eks, "EKS", "EKS"));
    each_listed(
        ctx,
        regions,
        "EKS clusters",
        |r| &r.clusters,
        |region, c: &Cluster| {
            let phi = PhiMark::of(&ctx.scope.phi, &c.tags);
            let res = Resource::regional(ctx, &c.arn, &c.name, "AwsEksCluster", region, &phi);
            Outcome::from_result(res, phi, c.detail.get().and_then(&judge))
        },
    )
}

/// CIDR blocks that admit the whole internet.
fn is_everyone(cidr: &str) -> bool {
    matches!(cidr.trim(), "0.0.0.0/0" | "::/0")
}

fn private_endpoint(ctx: &Context<'_>) -> Vec<Outcome> {
    each_cluster(ctx, |d| {
        if !d.endpoint_public_access {
            return Ok(Verdict::pass(
                "the public API endpoint is off: the Kubernetes API is reachable only from the VPC",
            ));
        }
        if d.public_access_cidrs.is_empty() {
            return Err(Unknown::new(
                UnknownReason::ParseError,
                "eks:DescribeCluster",
                "the public endpoint is on but the description lists no allowed CIDR blocks",
            ));
        }
        let open: Vec<&str> = d
            .public_access_cidrs
            .iter()
            .map(String::as_str)
            .filter(|c| is_everyone(c))
            .collect();
        Ok(if open.is_empty() {
            Verdict::pass(format!(
                "the public API endpoint admits only {}",
                d.public_access_cidrs.join(", ")
            ))
        } else {
            Verdict::fail(format!(
                "the public API endpoint admits {}: anyone on the internet can reach the Kubernetes API",
                open.join(" and ")
            ))
        })
    })
}

fn secrets_encryption(ctx: &Context<'_>) -> Vec<Outcome> {
    each_cluster(ctx, |d| {
        if let Some(k) = &d.secrets_key_arn {
            return Ok(Verdict::pass(format!(
                "Kubernetes secrets are envelope-encrypted with the KMS key `{k}`"
            )));
        }
        // From 1.28 EKS envelope-encrypts all Kubernetes API data by default, under a key AWS
        // owns; before that, secrets without a configured key are not envelope-encrypted.
        let default_encryption = minor(&d.version).is_some_and(|v| v >= (1, 28));
        Ok(Verdict::fail(if default_encryption {
            "no customer-managed KMS key is configured: Kubernetes secrets are envelope-encrypted only under EKS's default AWS owned key, which no key policy of yours governs"
        } else {
            "Kubernetes secrets are not envelope-encrypted with KMS: whoever can read etcd or its backups reads them"
        }))
    })
}

/// The control-plane logs every cluster must send to CloudWatch Logs.
const REQUIRED_LOGS: [&str; 3] = ["api", "audit", "authenticator"];

fn control_plane_logging(ctx: &Context<'_>) -> Vec<Outcome> {
    each_cluster(ctx, |d| {
        let missing: Vec<&str> = REQUIRED_LOGS
            .into_iter()
            .filter(|t| !d.enabled_log_types.iter().any(|e| e == t))
            .collect();
        Ok(if missing.is_empty() {
            Verdict::pass(format!(
                "control-plane logs on: {}",
                d.enabled_log_types.join(", ")
            ))
        } else {
            Verdict::fail(format!(
                "control-plane logging is off for {}",
                missing.join(", ")
            ))
        })
    })
}

/// `versions.toml`: the EKS support calendar.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Calendar {
    reviewed: NaiveDate,
    version: Vec<VersionEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionEntry {
    version: String,
    end_of_standard_support: NaiveDate,
    end_of_extended_support: Option<NaiveDate>,
}

const CALENDAR: &str = "services/eks/versions.toml";

fn calendar() -> Result<&'static Calendar, Unknown> {
    static DATA: OnceLock<Result<Calendar, String>> = OnceLock::new();
    DATA.get_or_init(|| {
        let c: Calendar =
            toml::from_str(include_str!("versions.toml")).map_err(|e| e.to_string())?;
        for v in &c.version {
            minor(&v.version).ok_or_else(|| format!("`{}` is not a version", v.version))?;
        }
        if c.version.is_empty() {
            return Err("no version is listed".into());
        }
        Ok(c)
    })
    .as_ref()
    .map_err(|e| {
        Unknown::new(
            UnknownReason::ParseError,
            CALENDAR,
            format!("the bundled EKS calendar does not parse: {e}"),
        )
    })
}

/// `1.33` as (1, 33); anything else is not a Kubernetes minor version.
fn minor(v: &str) -> Option<(u32, u32)> {
    let (major, minor) = v.trim().split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

fn supported_version(ctx: &Context<'_>) -> Vec<Outcome> {
    let today = ctx.now.date_naive();
    each_cluster(ctx, |d| {
        let cal = calendar()?;
        let Some(version) = minor(&d.version) else {
            return Err(Unknown::new(
                UnknownReason::ParseError,
                "eks:DescribeCluster",
                format!("the cluster's version `{}` is not a Kubernetes version", d.version),
            ));
        };
        let mut listed: Vec<(&VersionEntry, (u32, u32))> = cal
            .version
            .iter()
            .filter_map(|e| Some((e, minor(&e.version)?)))
            .collect();
        listed.sort_by_key(|(_, v)| *v);
        let (Some((oldest, oldest_v)), Some((newest, newest_v))) =
            (listed.first().copied(), listed.last().copied())
        else {
            return Err(Unknown::new(
                UnknownReason::ParseError,
                CALENDAR,
                "no version is listed",
            ));
        };
        if let Some((entry, _)) = listed.iter().find(|(_, v)| *v == version) {
            let end = entry.end_of_standard_support;
            return Ok(if today < end {
                Verdict::pass(format!(
                    "Kubernetes {} is in standard support until {end}",
                    d.version
                ))
            } else {
                let extended = match entry.end_of_extended_support {
                    Some(x) if today < x => {
                        format!("; it runs on paid extended support until {x}")
                    }
                    _ => String::new(),
                };
                Verdict::fail(format!(
                    "standard support for Kubernetes {} ended on {end}{extended}",
                    d.version
                ))
            });
        }
        if version < oldest_v {
            return Ok(Verdict::fail(format!(
                "Kubernetes {} is older than {}, the oldest version in the bundled EKS calendar, whose support ended on {}",
                d.version, oldest.version, oldest.end_of_standard_support
            )));
        }
        if version > newest_v && today < newest.end_of_standard_support {
            return Ok(Verdict::pass(format!(
                "Kubernetes {} is newer than {}, which is itself in standard support until {}",
                d.version, newest.version, newest.end_of_standard_support
            )));
        }
        Err(Unknown::new(
            UnknownReason::NotCollected,
            CALENDAR,
            format!(
                "Kubernetes {} is not in the bundled EKS calendar (reviewed {}): refresh it from AWS's release calendar",
                d.version, cal.reviewed
            ),
        ))
    })
}
