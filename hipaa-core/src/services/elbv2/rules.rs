//! Elastic Load Balancing v2 rules: Application Load Balancers serve only HTTPS (plain HTTP only
//! redirects), HTTPS and TLS listeners use a policy without TLS 1.0 or 1.1 (the policy names are
//! data, `tls.toml` beside this file), network load balancers that carry ePHI terminate TLS or
//! pass it through, invalid headers are dropped, access logs are kept, deletion protection is on
//! and internet-facing Application Load Balancers sit behind a WAF web ACL.

use super::evidence::{Action, Elbv2Region, Listener, LoadBalancer, TargetGroup};
use crate::evidence::{Fact, RegionEvidence, Unknown, UnknownReason};
use crate::rules::{none_found, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use crate::vocabulary::Status;
use serde::Deserialize;
use std::sync::OnceLock;

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "elbv2.https_only",
            f: https_only,
        },
        RuleFn {
            id: "elbv2.tls_policy",
            f: tls_policy,
        },
        RuleFn {
            id: "elbv2.nlb_tls",
            f: nlb_tls,
        },
        RuleFn {
            id: "elbv2.drop_invalid_headers",
            f: drop_invalid_headers,
        },
        RuleFn {
            id: "elbv2.access_logs",
            f: access_logs,
        },
        RuleFn {
            id: "elbv2.deletion_protection",
            f: deletion_protection,
        },
        RuleFn {
            id: "elbv2.waf_attached",
            f: waf_attached,
        },
    ]
}

/// `tls.toml`: the security policies that allow only TLS 1.2 or newer, and the TLS ports.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TlsData {
    pub reviewed: String,
    pub allowed_policies: Vec<String>,
    pub passthrough_ports: Vec<i32>,
}

pub(crate) fn tls_data() -> Result<&'static TlsData, Unknown> {
    static DATA: OnceLock<Result<TlsData, String>> = OnceLock::new();
    let bad = |e: String| {
        Unknown::new(
            UnknownReason::ParseError,
            "services/elbv2/tls.toml",
            format!("the bundled TLS policy list {e}"),
        )
    };
    let data = DATA
        .get_or_init(|| toml::from_str(include_str!("tls.toml")).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| bad(format!("does not parse: {e}")))?;
    // An empty list would fail every listener, or pass every TCP listener: refuse it instead.
    if data.allowed_policies.is_empty() || data.passthrough_ports.is_empty() {
        return Err(bad("is empty".into()));
    }
    Ok(data)
}

const DESCRIBE_ATTRIBUTES: &str = "elasticloadbalancing:DescribeLoadBalancerAttributes";

fn regions<'a>(ctx: &Context<'a>) -> Result<Vec<RegionEvidence<'a, Elbv2Region>>, Vec<Outcome>> {
    ctx.regions(
        &ctx.snapshot.services.elbv2,
        "Elastic Load Balancing",
        "load balancer",
    )
}

fn lb_resource(ctx: &Context<'_>, region: &str, lb: &LoadBalancer, phi: &PhiMark) -> Resource {
    Resource::regional(ctx, &lb.arn, &lb.name, "AwsElbv2LoadBalancer", region, phi)
}

/// `application` load balancer, `network` load balancer, …, for messages.
fn kind_name(lb: &LoadBalancer) -> &str {
    match lb.kind.as_str() {
        "application" => "Application Load Balancer",
        "network" => "Network Load Balancer",
        "gateway" => "Gateway Load Balancer",
        other => other,
    }
}

/// Judge every load balancer of every scanned region that `wanted` selects; a region whose
/// listing failed is one ERROR, and none selected anywhere is NOT_APPLICABLE naming `what`.
fn each_lb(
    ctx: &Context<'_>,
    wanted: impl Fn(&LoadBalancer) -> bool,
    what: &str,
    judge: impl Fn(&Elbv2Region, &str, &LoadBalancer) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    let mut out = Vec::new();
    for region in &regions {
        let (data, list) = match region.data.as_ref().map_err(Clone::clone).and_then(|d| {
            d.load_balancers.get().map(|l| (d, l))
        }) {
            Ok(v) => v,
            Err(u) => {
                out.push(Outcome::error(ctx.region_resource(region.name), PhiMark::Account, u));
                continue;
            }
        };
        for lb in list.iter().filter(|lb| wanted(lb)) {
            let phi = PhiMark::of(&ctx.scope.phi, &lb.tags);
            out.push(Outcome::from_result(
                lb_resource(ctx, region.name, lb, &phi),
                phi,
                judge(data, region.name, lb),
            ));
        }
    }
    if out.is_empty() {
        return none_found(ctx, what);
    }
    out
}

/// One attribute of a load balancer; one the answer left out is a failed read, never a default.
fn attribute<'a>(lb: &'a LoadBalancer, key: &str) -> Result<&'a str, Unknown> {
    lb.attributes.get()?.get(key).map(String::as_str).ok_or_else(|| {
        Unknown::new(
            UnknownReason::ParseError,
            DESCRIBE_ATTRIBUTES,
            format!("the answer did not give the attribute `{key}`"),
        )
    })
}

/// A `true`/`false` attribute.
fn enabled(lb: &LoadBalancer, key: &str) -> Result<bool, Unknown> {
    match attribute(lb, key)? {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(Unknown::new(
            UnknownReason::ParseError,
            DESCRIBE_ATTRIBUTES,
            format!("the attribute `{key}` has the value `{other}`, neither true nor false"),
        )),
    }
}

fn port(l: &Listener) -> String {
    l.port.map_or_else(|| "?".to_string(), |p| p.to_string())
}

/// Whether an action lets a request through over the connection it arrived on (anything but a
/// redirect to HTTPS or a fixed response).
fn passes_request_on(a: &Action) -> bool {
    match a.kind.as_str() {
        "redirect" => a.redirect_protocol.as_deref() != Some("HTTPS"),
        "fixed-response" => false,
        _ => true,
    }
}

fn action_label(a: &Action) -> String {
    match (a.kind.as_str(), &a.redirect_protocol) {
        ("redirect", Some(p)) => format!("redirects to `{p}`"),
        ("forward", _) => "forwards to its targets".to_string(),
        (k, _) => format!("runs `{k}`"),
    }
}

/// Every ALB listener is HTTPS, or HTTP whose default action and rules only redirect to HTTPS
/// (or answer with a fixed response).
fn https_only(ctx: &Context<'_>) -> Vec<Outcome> {
    each_lb(
        ctx,
        |lb| lb.kind == "application",
        "Application Load Balancers",
        |_, _, lb| {
            let listeners = lb.listeners.get()?;
            if listeners.is_empty() {
                return Ok(Verdict::pass("it has no listener, so it accepts no connection"));
            }
            let mut plain = Vec::new();
            for l in listeners {
                match l.protocol.as_str() {
                    "HTTPS" => {}
                    "HTTP" => {
                        let mut how: Vec<String> = l
                            .default_actions
                            .iter()
                            .filter(|a| passes_request_on(a))
                            .map(|a| format!("its default action {}", action_label(a)))
                            .collect();
                        let rules = match &l.rule_actions {
                            Some(f) => f.get()?,
                            None => {
                                return Err(Unknown::new(
                                    UnknownReason::NotCollected,
                                    "elasticloadbalancing:DescribeRules",
                                    format!("the rules of the HTTP listener on port {} were not read", port(l)),
                                ))
                            }
                        };
                        how.extend(
                            rules
                                .iter()
                                .filter(|a| passes_request_on(a))
                                .map(|a| format!("a rule {}", action_label(a))),
                        );
                        how.dedup();
                        if !how.is_empty() {
                            plain.push(format!(
                                "the HTTP listener on port {}: {}",
                                port(l),
                                how.join(", ")
                            ));
                        }
                    }
                    other => plain.push(format!("the {other} listener on port {}", port(l))),
                }
            }
            Ok(if plain.is_empty() {
                Verdict::pass("every listener is HTTPS, or HTTP that only redirects to HTTPS")
            } else {
                Verdict::fail(format!(
                    "requests are served over plain HTTP by {}",
                    plain.join("; ")
                ))
            })
        },
    )
}

fn tls_listeners(lb: &LoadBalancer) -> Result<Vec<&Listener>, Unknown> {
    Ok(lb
        .listeners
        .get()?
        .iter()
        .filter(|l| matches!(l.protocol.as_str(), "HTTPS" | "TLS"))
        .collect())
}

/// HTTPS and TLS listeners use a security policy from the list of TLS 1.2+ policies.
fn tls_policy(ctx: &Context<'_>) -> Vec<Outcome> {
    let data = tls_data();
    each_lb(
        ctx,
        |lb| lb.kind != "gateway",
        "application or network load balancers",
        |_, _, lb| {
            let data = data.as_ref().map_err(Clone::clone)?;
            let listeners = tls_listeners(lb)?;
            if listeners.is_empty() {
                return Ok(Verdict::not_applicable("it has no HTTPS or TLS listener"));
            }
            let mut weak = Vec::new();
            let mut good = Vec::new();
            for l in listeners {
                let Some(policy) = &l.ssl_policy else {
                    return Err(Unknown::new(
                        UnknownReason::ParseError,
                        "elasticloadbalancing:DescribeListeners",
                        format!("the answer gave no security policy for the {} listener on port {}", l.protocol, port(l)),
                    ));
                };
                if data.allowed_policies.iter().any(|p| p == policy) {
                    good.push(format!("`{policy}`"));
                } else {
                    weak.push(format!("the {} listener on port {} uses `{policy}`", l.protocol, port(l)));
                }
            }
            good.dedup();
            Ok(if weak.is_empty() {
                Verdict::pass(format!(
                    "every HTTPS and TLS listener uses a policy that allows only TLS 1.2 or newer ({})",
                    good.join(", ")
                ))
            } else {
                Verdict::fail(format!(
                    "{}, which is not among the policies that allow only TLS 1.2 or newer (services/elbv2/tls.toml, reviewed {})",
                    weak.join("; "),
                    data.reviewed
                ))
            })
        },
    )
}

/// The target groups a load balancer forwards to: those naming it, and those its listeners name.
fn target_groups_of<'a>(region: &'a Elbv2Region, lb: &LoadBalancer) -> Result<Vec<&'a TargetGroup>, Unknown> {
    let named: Vec<&str> = lb
        .listeners
        .get()?
        .iter()
        .flat_map(|l| l.default_actions.iter())
        .flat_map(|a| a.target_groups.iter().map(String::as_str))
        .collect();
    Ok(region
        .target_groups
        .get()?
        .iter()
        .filter(|tg| tg.load_balancers.contains(&lb.arn) || named.contains(&tg.arn.as_str()))
        .collect())
}

/// Whether a network load balancer carries ePHI: its own PHI tag, a PHI-tagged target group, or a
/// PHI-tagged instance or load balancer behind it. Unknown when a read that could have said so
/// failed; `why` names what carries the tag.
fn nlb_phi(ctx: &Context<'_>, region_name: &str, region: &Elbv2Region, lb: &LoadBalancer) -> (PhiMark, String) {
    if let Fact::Known(t) = &lb.tags {
        if ctx.scope.phi.matches(t) {
            return (PhiMark::Tagged, "it is PHI-tagged".into());
        }
    }
    let mut unknown: Option<Unknown> = match &lb.tags {
        Fact::Unknown(u) => Some(u.clone()),
        Fact::Known(_) => None,
    };
    let mut note = |u: Unknown| {
        if unknown.is_none() {
            unknown = Some(u);
        }
    };
    let groups = match target_groups_of(region, lb) {
        Ok(g) => g,
        Err(u) => {
            note(u);
            Vec::new()
        }
    };
    let instances = ctx
        .snapshot
        .services
        .ec2
        .as_ref()
        .and_then(|e| e.get(region_name))
        .ok_or_else(|| ctx.snapshot.missing_region(region_name, "EC2"))
        .and_then(|e| e.instances.get());
    let load_balancers = region.load_balancers.known();
    for tg in groups {
        match &tg.tags {
            Fact::Known(t) if ctx.scope.phi.matches(t) => {
                return (PhiMark::Tagged, format!("its target group `{}` is PHI-tagged", tg.name))
            }
            Fact::Known(_) => {}
            Fact::Unknown(u) => note(u.clone()),
        }
        let targets = match &tg.targets {
            Some(Fact::Known(t)) => t,
            Some(Fact::Unknown(u)) => {
                note(u.clone());
                continue;
            }
            None => {
                note(Unknown::new(
                    UnknownReason::NotCollected,
                    "elasticloadbalancing:DescribeTargetHealth",
                    format!("the targets of `{}` were not read", tg.name),
                ));
                continue;
            }
        };
        for target in targets {
            if target.starts_with("i-") {
                match &instances {
                    Ok(list) => {
                        if let Some(i) = list.iter().find(|i| &i.id == target) {
                            if ctx.scope.phi.matches(&i.tags) {
                                return (PhiMark::Tagged, format!("its target `{target}` is a PHI-tagged instance"));
                            }
                        }
                    }
                    Err(u) => note(u.clone()),
                }
            } else if target.contains(":loadbalancer/") {
                match load_balancers.and_then(|l| l.iter().find(|b| &b.arn == target)).map(|b| &b.tags) {
                    Some(Fact::Known(t)) if ctx.scope.phi.matches(t) => {
                        return (PhiMark::Tagged, "it forwards to a PHI-tagged load balancer".into())
                    }
                    Some(Fact::Unknown(u)) => note(u.clone()),
                    _ => {}
                }
            }
        }
    }
    match unknown {
        Some(u) => (PhiMark::Unknown(u), String::new()),
        None => (PhiMark::NotTagged, String::new()),
    }
}

/// How one NLB listener carries traffic: `Ok` with how it is encrypted, `Err` with why it is not.
fn nlb_listener(data: &TlsData, region: &Elbv2Region, l: &Listener) -> Result<Result<String, String>, Unknown> {
    let p = port(l);
    match l.protocol.as_str() {
        "TLS" => {
            let to: Vec<&TargetGroup> = forwarded_to(region, l)?;
            let reencrypts = !to.is_empty() && to.iter().all(|tg| tg.protocol.as_deref() == Some("TLS"));
            Ok(Ok(if reencrypts {
                format!("the TLS listener on port {p} terminates TLS at the load balancer and re-encrypts to its targets")
            } else {
                format!("the TLS listener on port {p} terminates TLS at the load balancer (plain TCP from there to its targets inside the VPC)")
            }))
        }
        "TCP" | "TCP_UDP" => {
            let to = forwarded_to(region, l)?;
            let tls_port = |port: Option<i32>| port.is_some_and(|x| data.passthrough_ports.contains(&x));
            let target_ports: Vec<String> = to
                .iter()
                .map(|tg| tg.port.map_or_else(|| "?".into(), |x| x.to_string()))
                .collect();
            if tls_port(l.port) && !to.is_empty() && to.iter().all(|tg| tls_port(tg.port)) {
                Ok(Ok(format!(
                    "the {} listener on port {p} passes TLS through to its targets on port {} (judged from the ports: the load balancer does not see inside the stream)",
                    l.protocol,
                    target_ports.join(", ")
                )))
            } else {
                Ok(Err(format!(
                    "the {} listener on port {p} neither terminates TLS nor forwards between TLS ports{}",
                    l.protocol,
                    if target_ports.is_empty() {
                        String::new()
                    } else {
                        format!(" (targets on port {})", target_ports.join(", "))
                    }
                )))
            }
        }
        other => Ok(Err(format!("the {other} listener on port {p} carries traffic without TLS"))),
    }
}

/// The target groups a listener's default actions forward to.
fn forwarded_to<'a>(region: &'a Elbv2Region, l: &Listener) -> Result<Vec<&'a TargetGroup>, Unknown> {
    let arns: Vec<&String> = l.default_actions.iter().flat_map(|a| a.target_groups.iter()).collect();
    if arns.is_empty() {
        return Ok(Vec::new());
    }
    let groups = region.target_groups.get()?;
    Ok(groups.iter().filter(|tg| arns.contains(&&tg.arn)).collect())
}

/// Network load balancers that carry ePHI terminate TLS, or pass TLS through to their targets.
fn nlb_tls(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    let data = tls_data();
    let mut out = Vec::new();
    for region in &regions {
        let (r, list) = match region.data.as_ref().map_err(Clone::clone).and_then(|d| {
            d.load_balancers.get().map(|l| (d, l))
        }) {
            Ok(v) => v,
            Err(u) => {
                out.push(Outcome::error(ctx.region_resource(region.name), PhiMark::Account, u));
                continue;
            }
        };
        for lb in list.iter().filter(|lb| lb.kind == "network") {
            let (phi, why) = nlb_phi(ctx, region.name, r, lb);
            // Only load balancers that carry ePHI are judged.
            if matches!(phi, PhiMark::NotTagged) {
                continue;
            }
            let verdict = data.as_ref().map_err(Clone::clone).and_then(|data| {
                let listeners = lb.listeners.get()?;
                let mut good = Vec::new();
                let mut bad = Vec::new();
                for l in listeners {
                    match nlb_listener(data, r, l)? {
                        Ok(m) => good.push(m),
                        Err(m) => bad.push(m),
                    }
                }
                Ok(if listeners.is_empty() {
                    Verdict::pass("it has no listener, so it carries nothing")
                } else if bad.is_empty() {
                    Verdict::pass(good.join("; "))
                } else {
                    Verdict::fail(bad.join("; "))
                })
            });
            let verdict = verdict.and_then(|v| match &phi {
                // Whether it carries ePHI is unknown: a failure is not known to apply.
                PhiMark::Unknown(u) if v.status == Status::Fail => Err(u.clone()),
                _ => Ok(v),
            });
            let verdict = verdict.map(|mut v| {
                if !why.is_empty() {
                    v.message = format!("{} ({why})", v.message);
                }
                v
            });
            out.push(Outcome::from_result(lb_resource(ctx, region.name, lb, &phi), phi, verdict));
        }
    }
    if out.is_empty() {
        return none_found(ctx, "network load balancers that carry ePHI");
    }
    out
}

fn drop_invalid_headers(ctx: &Context<'_>) -> Vec<Outcome> {
    each_lb(
        ctx,
        |lb| lb.kind == "application",
        "Application Load Balancers",
        |_, _, lb| {
            Ok(if enabled(lb, "routing.http.drop_invalid_header_fields.enabled")? {
                Verdict::pass("requests with invalid HTTP header fields are dropped before they reach the targets")
            } else {
                Verdict::fail("invalid HTTP header fields are passed on to the targets, where they can be used for request smuggling")
            })
        },
    )
}

fn access_logs(ctx: &Context<'_>) -> Vec<Outcome> {
    each_lb(
        ctx,
        |lb| matches!(lb.kind.as_str(), "application" | "network"),
        "application or network load balancers",
        |_, _, lb| {
            Ok(if enabled(lb, "access_logs.s3.enabled")? {
                let bucket = lb
                    .attributes
                    .known()
                    .and_then(|a| a.get("access_logs.s3.bucket"))
                    .filter(|b| !b.is_empty());
                Verdict::pass(match bucket {
                    Some(b) => format!("access logs are delivered to the bucket `{b}`"),
                    None => "access logs are on".to_string(),
                })
            } else {
                Verdict::fail(format!(
                    "access logs are off: no record of who connected to the {} and what they asked for",
                    kind_name(lb)
                ))
            })
        },
    )
}

fn deletion_protection(ctx: &Context<'_>) -> Vec<Outcome> {
    each_lb(ctx, |_| true, "load balancers", |_, _, lb| {
        Ok(if enabled(lb, "deletion_protection.enabled")? {
            Verdict::pass("deletion protection is on")
        } else {
            Verdict::fail(format!(
                "deletion protection is off: one call can delete the {} and cut off the service behind it",
                kind_name(lb)
            ))
        })
    })
}

fn waf_attached(ctx: &Context<'_>) -> Vec<Outcome> {
    each_lb(
        ctx,
        |lb| lb.kind == "application" && lb.scheme == "internet-facing",
        "internet-facing Application Load Balancers",
        |_, _, lb| {
            let acl = match &lb.web_acl {
                Some(f) => f.get()?,
                None => {
                    return Err(Unknown::new(
                        UnknownReason::NotCollected,
                        "wafv2:GetWebACLForResource",
                        "the load balancer's web ACL was not read",
                    ))
                }
            };
            Ok(match acl {
                Some(arn) => Verdict::pass(format!("the WAF web ACL `{}` filters its requests", short_acl(arn))),
                None => Verdict::fail(
                    "no WAF web ACL is attached: requests from the internet reach the targets unfiltered",
                ),
            })
        },
    )
}

/// `name` of a web ACL ARN (`…:regional/webacl/NAME/ID`), or the ARN.
pub(crate) fn short_acl(arn: &str) -> &str {
    let mut parts = arn.rsplit('/');
    let _id = parts.next();
    match parts.next() {
        Some(name) if !name.is_empty() && arn.contains("/webacl/") => name,
        _ => arn,
    }
}
