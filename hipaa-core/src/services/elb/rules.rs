//! Classic Load Balancer rules: every listener is HTTPS or SSL, their SSL negotiation policies
//! allow only TLS 1.2 (the predefined policy names are data, `tls.toml` beside this file), and
//! access logs are kept.

use super::evidence::{ClassicListener, ClassicLoadBalancer, ElbRegion, LbPolicy};
use crate::evidence::{Unknown, UnknownReason};
use crate::rules::{each_listed, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use serde::Deserialize;
use std::sync::OnceLock;

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "elb.https_listeners",
            f: https_listeners,
        },
        RuleFn {
            id: "elb.tls_policy",
            f: tls_policy,
        },
        RuleFn {
            id: "elb.access_logs",
            f: access_logs,
        },
    ]
}

/// `tls.toml`: the predefined policies that allow only TLS 1.2.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TlsData {
    pub reviewed: String,
    pub allowed_policies: Vec<String>,
}

pub(crate) fn tls_data() -> Result<&'static TlsData, Unknown> {
    static DATA: OnceLock<Result<TlsData, String>> = OnceLock::new();
    let bad = |e: String| {
        Unknown::new(
            UnknownReason::ParseError,
            "services/elb/tls.toml",
            format!("the bundled TLS policy list {e}"),
        )
    };
    let data = DATA
        .get_or_init(|| toml::from_str(include_str!("tls.toml")).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| bad(format!("does not parse: {e}")))?;
    if data.allowed_policies.is_empty() {
        return Err(bad("is empty".into()));
    }
    Ok(data)
}

/// The protocol attributes of an SSL negotiation policy older than TLS 1.2.
const OLD_PROTOCOLS: [&str; 4] = [
    "Protocol-SSLv2",
    "Protocol-SSLv3",
    "Protocol-TLSv1",
    "Protocol-TLSv1.1",
];

fn each_lb(
    ctx: &Context<'_>,
    judge: impl Fn(&ClassicLoadBalancer) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(
        &ctx.snapshot.services.elb,
        "Classic Load Balancer",
        "Classic Load Balancer"
    ));
    each_listed(
        ctx,
        regions,
        "Classic Load Balancers",
        |r: &ElbRegion| &r.load_balancers,
        |region, lb| {
            let phi = PhiMark::of(&ctx.scope.phi, &lb.tags);
            let arn = format!(
                "arn:{}:elasticloadbalancing:{region}:{}:loadbalancer/{}",
                ctx.snapshot.partition,
                ctx.account_id(),
                lb.name
            );
            let res = Resource::regional(ctx, &arn, &lb.name, "AwsElbLoadBalancer", region, &phi);
            Outcome::from_result(res, phi, judge(lb))
        },
    )
}

fn secure(l: &ClassicListener) -> bool {
    matches!(l.protocol.to_ascii_uppercase().as_str(), "HTTPS" | "SSL")
}

fn https_listeners(ctx: &Context<'_>) -> Vec<Outcome> {
    each_lb(ctx, |lb| {
        let plain: Vec<String> = lb
            .listeners
            .iter()
            .filter(|l| !secure(l))
            .map(|l| format!("{}:{}", l.protocol.to_ascii_uppercase(), l.port))
            .collect();
        Ok(if lb.listeners.is_empty() {
            Verdict::pass("it has no listener, so it accepts no connection")
        } else if plain.is_empty() {
            Verdict::pass("every listener is HTTPS or SSL")
        } else {
            Verdict::fail(format!(
                "the listener(s) {} accept unencrypted connections from clients",
                plain.join(", ")
            ))
        })
    })
}

/// What an SSL negotiation policy allows: `Ok` with why it is TLS 1.2 only, `Err` with what is
/// older.
fn judge_policy(data: &TlsData, p: &LbPolicy) -> Result<Result<String, String>, Unknown> {
    let listed: Vec<(&String, &String)> = p
        .attributes
        .iter()
        .filter(|(k, _)| k.starts_with("Protocol-"))
        .collect();
    if !listed.is_empty() {
        let old: Vec<&str> = OLD_PROTOCOLS
            .iter()
            .copied()
            .filter(|k| p.attributes.get(*k).is_some_and(|v| v == "true"))
            .map(|k| k.trim_start_matches("Protocol-"))
            .collect();
        let tls12 = p.attributes.get("Protocol-TLSv1.2").is_some_and(|v| v == "true");
        return Ok(match (old.is_empty(), tls12) {
            (true, true) => Ok(format!("`{}` allows TLS 1.2 only", p.name)),
            (true, false) => Err(format!("`{}` enables no TLS 1.2", p.name)),
            (false, _) => Err(format!("`{}` allows {}", p.name, old.join(", "))),
        });
    }
    match p.attributes.get("Reference-Security-Policy") {
        Some(r) if data.allowed_policies.iter().any(|a| a == r) => {
            Ok(Ok(format!("`{}` follows `{r}`, which allows TLS 1.2 only", p.name)))
        }
        Some(r) => Ok(Err(format!(
            "`{}` follows `{r}`, which is not among the predefined policies that allow only TLS 1.2 (services/elb/tls.toml, reviewed {})",
            p.name, data.reviewed
        ))),
        None => Err(Unknown::new(
            UnknownReason::ParseError,
            "elasticloadbalancing:DescribeLoadBalancerPolicies",
            format!("the policy `{}` gives neither its protocols nor a reference policy", p.name),
        )),
    }
}

fn tls_policy(ctx: &Context<'_>) -> Vec<Outcome> {
    let data = tls_data();
    each_lb(ctx, |lb| {
        let data = data.as_ref().map_err(Clone::clone)?;
        let listeners: Vec<&ClassicListener> = lb.listeners.iter().filter(|l| secure(l)).collect();
        if listeners.is_empty() {
            return Ok(Verdict::not_applicable("it has no HTTPS or SSL listener"));
        }
        let policies = lb.policies.get()?;
        let mut good = Vec::new();
        let mut bad = Vec::new();
        for l in listeners {
            let named: Vec<Option<&LbPolicy>> = l
                .policy_names
                .iter()
                .map(|n| policies.iter().find(|p| &p.name == n))
                .collect();
            let negotiation = named
                .iter()
                .flatten()
                .find(|p| p.kind == "SSLNegotiationPolicyType");
            match negotiation {
                Some(p) => match judge_policy(data, p)? {
                    Ok(m) => good.push(m),
                    Err(m) => bad.push(format!("{}:{}: {m}", l.protocol.to_ascii_uppercase(), l.port)),
                },
                None if named.iter().any(Option::is_none) => {
                    return Err(Unknown::new(
                        UnknownReason::ParseError,
                        "elasticloadbalancing:DescribeLoadBalancerPolicies",
                        format!(
                            "the listener {}:{} names a policy the load balancer's policy list does not hold",
                            l.protocol, l.port
                        ),
                    ))
                }
                None => bad.push(format!(
                    "{}:{}: no SSL negotiation policy is attached (the documented default, ELBSecurityPolicy-2016-08, allows TLS 1.0 and 1.1)",
                    l.protocol.to_ascii_uppercase(),
                    l.port
                )),
            }
        }
        good.dedup();
        Ok(if bad.is_empty() {
            Verdict::pass(good.join("; "))
        } else {
            Verdict::fail(bad.join("; "))
        })
    })
}

fn access_logs(ctx: &Context<'_>) -> Vec<Outcome> {
    each_lb(ctx, |lb| {
        Ok(match lb.access_log.get()? {
            Some(bucket) => Verdict::pass(format!("access logs are delivered to the bucket `{bucket}`")),
            None => Verdict::fail(
                "access logs are off: no record of who connected to the load balancer and what they asked for",
            ),
        })
    })
}
