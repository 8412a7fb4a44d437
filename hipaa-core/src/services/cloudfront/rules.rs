//! Amazon CloudFront rules, judged once per account: viewers never reach a distribution over
//! plain HTTP and negotiate TLS 1.2 or newer (the accepted minimums are data, `tls.toml` beside
//! this file), origins are reached over HTTPS without SSLv3, TLS 1.0 or 1.1, standard logs are
//! kept and a web ACL filters requests.

use super::evidence::{CacheBehavior, Distribution, OriginKind};
use crate::evidence::{Unknown, UnknownReason};
use crate::rules::{none_found, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use serde::Deserialize;
use std::sync::OnceLock;

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "cloudfront.viewer_https",
            f: viewer_https,
        },
        RuleFn {
            id: "cloudfront.viewer_tls12",
            f: viewer_tls12,
        },
        RuleFn {
            id: "cloudfront.origin_https",
            f: origin_https,
        },
        RuleFn {
            id: "cloudfront.origin_tls12",
            f: origin_tls12,
        },
        RuleFn {
            id: "cloudfront.logging",
            f: logging,
        },
        RuleFn {
            id: "cloudfront.waf",
            f: waf,
        },
    ]
}

/// `tls.toml`: the viewer minimum protocols that count as TLS 1.2 or newer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TlsData {
    reviewed: String,
    viewer_minimum_protocols: Vec<String>,
}

fn tls_data() -> Result<&'static TlsData, Unknown> {
    static DATA: OnceLock<Result<TlsData, String>> = OnceLock::new();
    let bad = |e: String| {
        Unknown::new(
            UnknownReason::ParseError,
            "services/cloudfront/tls.toml",
            format!("the bundled protocol list {e}"),
        )
    };
    let data = DATA
        .get_or_init(|| toml::from_str(include_str!("tls.toml")).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| bad(format!("does not parse: {e}")))?;
    if data.viewer_minimum_protocols.is_empty() {
        return Err(bad("is empty".into()));
    }
    Ok(data)
}

/// Origin protocols older than TLS 1.2.
const OLD_ORIGIN_PROTOCOLS: [&str; 3] = ["SSLv3", "TLSv1", "TLSv1.1"];

/// Judge every distribution of the account: one ERROR when they could not be listed.
fn each_distribution(
    ctx: &Context<'_>,
    judge: impl Fn(&Distribution) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let cf = section!(ctx.global(&ctx.snapshot.services.cloudfront, "CloudFront"));
    let list = match cf.distributions.get() {
        Ok(l) => l,
        Err(u) => return vec![Outcome::error(ctx.account_resource(), PhiMark::Account, u)],
    };
    if list.is_empty() {
        return none_found(ctx, "CloudFront distributions");
    }
    list.iter()
        .map(|d| {
            let phi = PhiMark::of(&ctx.scope.phi, &d.tags);
            let res = Resource {
                arn: d.arn.clone(),
                id: d.id.clone(),
                kind: "AwsCloudFrontDistribution".into(),
                account: crate::aws::arn::account(&d.arn)
                    .map_or_else(|| ctx.account_id(), str::to_string),
                region: None,
                name: Some(d.aliases.first().unwrap_or(&d.domain_name).clone()),
                phi: phi.flag(),
            };
            Outcome::from_result(res, phi, judge(d))
        })
        .collect()
}

fn label(b: &CacheBehavior) -> String {
    match &b.path {
        Some(p) => format!("`{p}`"),
        None => "the default behaviour".to_string(),
    }
}

fn viewer_https(ctx: &Context<'_>) -> Vec<Outcome> {
    each_distribution(ctx, |d| {
        let open: Vec<String> = d
            .behaviors
            .iter()
            .filter(|b| b.viewer_protocol_policy == "allow-all")
            .map(label)
            .collect();
        Ok(if open.is_empty() {
            Verdict::pass("every cache behaviour redirects HTTP to HTTPS or accepts HTTPS only")
        } else {
            Verdict::fail(format!(
                "viewers may use plain HTTP for {} (viewer protocol policy allow-all)",
                open.join(", ")
            ))
        })
    })
}

fn viewer_tls12(ctx: &Context<'_>) -> Vec<Outcome> {
    let data = tls_data();
    each_distribution(ctx, |d| {
        let data = data.as_ref().map_err(Clone::clone)?;
        let cert = &d.viewer_certificate;
        if cert.custom_certificate.is_none() {
            return Ok(Verdict::not_applicable(
                "it uses the *.cloudfront.net certificate, whose minimum protocol cannot be set",
            ));
        }
        let Some(min) = &cert.minimum_protocol else {
            return Err(Unknown::new(
                UnknownReason::ParseError,
                "cloudfront:ListDistributions",
                "the answer did not give the viewer certificate's minimum protocol",
            ));
        };
        Ok(if data.viewer_minimum_protocols.iter().any(|p| p == min) {
            Verdict::pass(format!("viewers must use at least `{min}`"))
        } else {
            Verdict::fail(format!(
                "the minimum viewer protocol is `{min}`, not one of {} (services/cloudfront/tls.toml, reviewed {})",
                data.viewer_minimum_protocols.join(", "),
                data.reviewed
            ))
        })
    })
}

fn origin_https(ctx: &Context<'_>) -> Vec<Outcome> {
    each_distribution(ctx, |d| {
        let mut bad = Vec::new();
        for o in &d.origins {
            // Behaviours that name the origin; none (it sits in an origin group): all of them.
            let direct: Vec<&CacheBehavior> = d.behaviors.iter().filter(|b| b.target_origin == o.id).collect();
            let relevant = if direct.is_empty() { d.behaviors.iter().collect() } else { direct };
            let plain_viewers: Vec<String> = relevant
                .iter()
                .filter(|b| b.viewer_protocol_policy == "allow-all")
                .map(|b| label(b))
                .collect();
            match &o.kind {
                OriginKind::Custom { protocol_policy, .. } if protocol_policy == "https-only" => {}
                OriginKind::Custom { protocol_policy, .. } if protocol_policy == "http-only" => {
                    bad.push(format!("the origin `{}` is reached over plain HTTP (http-only)", o.domain_name))
                }
                OriginKind::Custom { .. } | OriginKind::S3 => {
                    if !plain_viewers.is_empty() {
                        bad.push(format!(
                            "the origin `{}` gets the viewer's protocol, and plain HTTP is allowed for {}",
                            o.domain_name,
                            plain_viewers.join(", ")
                        ));
                    }
                }
                OriginKind::Vpc => {
                    return Err(Unknown::new(
                        UnknownReason::NotCollected,
                        "cloudfront:GetVpcOrigin",
                        format!("the protocol to the VPC origin `{}` is set on the VPC origin, which this scan does not read", o.id),
                    ))
                }
            }
        }
        Ok(if bad.is_empty() {
            Verdict::pass("every origin is reached over HTTPS")
        } else {
            Verdict::fail(bad.join("; "))
        })
    })
}

fn origin_tls12(ctx: &Context<'_>) -> Vec<Outcome> {
    each_distribution(ctx, |d| {
        let mut judged = 0;
        let mut bad = Vec::new();
        for o in &d.origins {
            let OriginKind::Custom { protocol_policy, ssl_protocols } = &o.kind else {
                continue;
            };
            if protocol_policy == "http-only" {
                continue;
            }
            if ssl_protocols.is_empty() {
                return Err(Unknown::new(
                    UnknownReason::ParseError,
                    "cloudfront:ListDistributions",
                    format!("the answer gave no origin SSL protocols for `{}`", o.domain_name),
                ));
            }
            judged += 1;
            let old: Vec<&str> = ssl_protocols
                .iter()
                .map(String::as_str)
                .filter(|p| OLD_ORIGIN_PROTOCOLS.contains(p))
                .collect();
            if !old.is_empty() {
                bad.push(format!("`{}` may be reached with {}", o.domain_name, old.join(", ")));
            }
        }
        Ok(if judged == 0 {
            Verdict::not_applicable("no custom origin is reached over HTTPS")
        } else if bad.is_empty() {
            Verdict::pass("custom origins are reached with TLS 1.2 only")
        } else {
            Verdict::fail(bad.join("; "))
        })
    })
}

fn logging(ctx: &Context<'_>) -> Vec<Outcome> {
    each_distribution(ctx, |d| {
        Ok(match d.logging.get()? {
            Some(bucket) => Verdict::pass(format!("standard logs are delivered to `{bucket}`")),
            None => match d.behaviors.iter().find_map(|b| b.realtime_log_config.as_ref()) {
                Some(rt) => Verdict::pass(format!("real-time logs go to `{rt}`")),
                None => Verdict::fail(
                    "standard logging is off and no real-time log is configured: no record of who requested what",
                ),
            },
        })
    })
}

fn waf(ctx: &Context<'_>) -> Vec<Outcome> {
    each_distribution(ctx, |d| {
        Ok(match &d.web_acl {
            Some(acl) => Verdict::pass(format!(
                "the web ACL `{}` filters its requests",
                crate::services::elbv2::rules::short_acl(acl)
            )),
            None => Verdict::fail("no WAF web ACL is attached: requests reach the origins unfiltered"),
        })
    })
}
