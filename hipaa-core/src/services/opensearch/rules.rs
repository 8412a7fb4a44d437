//! Amazon OpenSearch Service rules: each domain encrypts at rest and between nodes, refuses
//! plain HTTP and old TLS, is not open to the internet and publishes audit logs.

use super::evidence::Domain;
use crate::aws::policy::PolicyDocument;
use crate::evidence::{Unknown, UnknownReason};
use crate::services::kms::rules::key_label;
use crate::rules::{each_listed, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "opensearch.encryption_at_rest",
            f: encryption_at_rest,
        },
        RuleFn {
            id: "opensearch.node_to_node_encryption",
            f: node_to_node_encryption,
        },
        RuleFn {
            id: "opensearch.https_enforced",
            f: https_enforced,
        },
        RuleFn {
            id: "opensearch.not_public",
            f: not_public,
        },
        RuleFn {
            id: "opensearch.audit_logs",
            f: audit_logs,
        },
    ]
}

const DOMAINS: &str = "es:DescribeDomains";

fn each_domain(
    ctx: &Context<'_>,
    judge: impl Fn(&Domain) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(
        &ctx.snapshot.services.opensearch,
        "OpenSearch Service",
        "OpenSearch Service"
    ));
    each_listed(
        ctx,
        regions,
        "OpenSearch Service domains",
        |r| &r.domains,
        |region, d| {
            let phi = PhiMark::of(&ctx.scope.phi, &d.tags);
            let res = Resource::regional(ctx, &d.arn, &d.name, "AwsOpenSearchServiceDomain", region, &phi);
            Outcome::from_result(res, phi, judge(d))
        },
    )
}

/// A setting the description left out: ERROR naming it.
fn given<T: Copy>(v: Option<T>, what: &str) -> Result<T, Unknown> {
    v.ok_or_else(|| {
        Unknown::new(
            UnknownReason::NotCollected,
            DOMAINS,
            format!("the description does not give {what}"),
        )
    })
}

fn encryption_at_rest(ctx: &Context<'_>) -> Vec<Outcome> {
    each_domain(ctx, |d| {
        Ok(if given(d.encryption_at_rest, "encryption at rest")? {
            match &d.kms_key_id {
                Some(k) => Verdict::pass(format!(
                    "encrypted at rest with the KMS key `{}`",
                    key_label(ctx, k)
                )),
                None => Verdict::pass("encrypted at rest"),
            }
        } else {
            Verdict::fail(
                "not encrypted at rest: indices, logs, swap files and automated snapshots are stored in clear",
            )
        })
    })
}

fn node_to_node_encryption(ctx: &Context<'_>) -> Vec<Outcome> {
    each_domain(ctx, |d| {
        Ok(if given(d.node_to_node_encryption, "node-to-node encryption")? {
            Verdict::pass("nodes talk to each other over TLS")
        } else {
            Verdict::fail(
                "node-to-node encryption is off: documents cross the cluster's network in clear",
            )
        })
    })
}

/// The minimum TLS version a policy name states (`Policy-Min-TLS-1-2-2019-07` → (1, 2)).
fn min_tls(policy: &str) -> Option<(u32, u32)> {
    let rest = policy.strip_prefix("Policy-Min-TLS-")?;
    let mut parts = rest.split('-');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

fn https_enforced(ctx: &Context<'_>) -> Vec<Outcome> {
    each_domain(ctx, |d| {
        if !given(d.enforce_https, "whether HTTPS is enforced")? {
            return Ok(Verdict::fail(
                "HTTPS is not enforced: clients may send queries, documents and credentials over plain HTTP",
            ));
        }
        let policy = d.tls_policy.as_deref().ok_or_else(|| {
            Unknown::new(
                UnknownReason::NotCollected,
                DOMAINS,
                "the description does not give the TLS security policy",
            )
        })?;
        match min_tls(policy) {
            Some(v) if v >= (1, 2) => Ok(Verdict::pass(format!(
                "HTTPS is enforced with the TLS policy `{policy}`"
            ))),
            Some((major, minor)) => Ok(Verdict::fail(format!(
                "HTTPS is enforced but the TLS policy `{policy}` still accepts TLS {major}.{minor}, which is deprecated"
            ))),
            None => Err(Unknown::new(
                UnknownReason::ParseError,
                DOMAINS,
                format!("cannot tell the minimum TLS version of the policy `{policy}`"),
            )),
        }
    })
}

fn not_public(ctx: &Context<'_>) -> Vec<Outcome> {
    each_domain(ctx, |d| {
        if d.in_vpc() {
            return Ok(Verdict::pass(match &d.vpc_id {
                Some(v) => format!("its endpoint is inside the VPC `{v}`"),
                None => "its endpoint is inside a VPC".to_string(),
            }));
        }
        let Some(text) = d.access_policy.as_deref().filter(|t| !t.trim().is_empty()) else {
            return Ok(Verdict::pass(
                "a public endpoint without an access policy: only signed requests of IAM principals the account allows get in",
            ));
        };
        let doc = PolicyDocument::parse(text).map_err(|e| {
            Unknown::new(
                UnknownReason::ParseError,
                DOMAINS,
                format!("the access policy does not parse: {}", e.message),
            )
        })?;
        let public = doc.public_statements();
        Ok(if public.is_empty() {
            Verdict::pass("a public endpoint whose access policy grants nothing to everyone")
        } else {
            let labels: Vec<&str> = public.iter().map(|g| g.statement.as_str()).collect();
            let barrier = if d.fine_grained_access == Some(true) {
                "; fine-grained access control's sign-in is then the only barrier"
            } else {
                ""
            };
            Verdict::fail(format!(
                "a public endpoint whose access policy lets anyone on the internet call it (statement {}){barrier}",
                labels.join(", ")
            ))
        })
    })
}

fn audit_logs(ctx: &Context<'_>) -> Vec<Outcome> {
    each_domain(ctx, |d| {
        if !d.audit_logs.enabled {
            return Ok(Verdict::fail(
                "audit logs are not published: who searched or changed which index is not recorded",
            ));
        }
        Ok(Verdict::pass(match &d.audit_logs.log_group {
            Some(g) => format!("audit logs go to `{g}`"),
            None => "audit logs are published to CloudWatch Logs".to_string(),
        }))
    })
}
