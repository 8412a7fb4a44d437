//! Amazon API Gateway REST API rules: stages log requests, caches are encrypted, custom domains
//! require TLS 1.2 (the policy names are data, `tls.toml` beside this file), stages present a
//! client certificate to their backends, and no method is open without authorization, an API
//! key or a restricting resource policy.

use super::evidence::{ApigwRegion, DomainName, RestApi, Stage};
use crate::aws::policy::PolicyDocument;
use crate::evidence::{Unknown, UnknownReason};
use crate::rules::{each_listed, none_found, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use serde::Deserialize;
use std::sync::OnceLock;

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "apigw.stage_logging",
            f: stage_logging,
        },
        RuleFn {
            id: "apigw.cache_encrypted",
            f: cache_encrypted,
        },
        RuleFn {
            id: "apigw.domain_tls12",
            f: domain_tls12,
        },
        RuleFn {
            id: "apigw.client_certificate",
            f: client_certificate,
        },
        RuleFn {
            id: "apigw.methods_authorized",
            f: methods_authorized,
        },
    ]
}

/// `tls.toml`: the custom-domain security policies that allow only TLS 1.2 or newer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TlsData {
    reviewed: String,
    allowed_policies: Vec<String>,
}

fn tls_data() -> Result<&'static TlsData, Unknown> {
    static DATA: OnceLock<Result<TlsData, String>> = OnceLock::new();
    let bad = |e: String| {
        Unknown::new(
            UnknownReason::ParseError,
            "services/apigw/tls.toml",
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

/// The verdict on a custom domain's security policy, shared with the HTTP API rule.
pub(crate) fn domain_policy(policy: Option<&str>, op: &str) -> Result<Verdict, Unknown> {
    let data = tls_data()?;
    let Some(p) = policy else {
        return Err(Unknown::new(
            UnknownReason::ParseError,
            op,
            "the answer did not give the domain's security policy",
        ));
    };
    Ok(if data.allowed_policies.iter().any(|a| a == p) {
        Verdict::pass(format!("the security policy `{p}` allows only TLS 1.2 or newer"))
    } else if p == "TLS_1_0" {
        Verdict::fail("the security policy `TLS_1_0` lets clients connect with TLS 1.0 and 1.1")
    } else {
        Verdict::fail(format!(
            "the security policy `{p}` is not among the policies that allow only TLS 1.2 or newer (services/apigw/tls.toml, reviewed {})",
            data.reviewed
        ))
    })
}

fn regions<'a>(
    ctx: &Context<'a>,
) -> Result<Vec<crate::evidence::RegionEvidence<'a, ApigwRegion>>, Vec<Outcome>> {
    ctx.regions(&ctx.snapshot.services.apigw, "API Gateway", "API Gateway")
}

fn api_arn(ctx: &Context<'_>, region: &str, api: &RestApi) -> String {
    format!("arn:{}:apigateway:{region}::/restapis/{}", ctx.snapshot.partition, api.id)
}

/// Judge every stage of every REST API: an API whose stages could not be read is one ERROR.
fn each_stage(
    ctx: &Context<'_>,
    judge: impl Fn(&Stage) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    let mut out = Vec::new();
    for region in &regions {
        let apis = match region.get(|r| &r.rest_apis) {
            Ok(a) => a,
            Err(u) => {
                out.push(Outcome::error(ctx.region_resource(region.name), PhiMark::Account, u));
                continue;
            }
        };
        for api in apis {
            let stages = match api.stages.get() {
                Ok(s) => s,
                Err(u) => {
                    let phi = PhiMark::of_known(&ctx.scope.phi, &api.tags);
                    let mut res = Resource::regional(ctx, &api_arn(ctx, region.name, api), &api.id, "AwsApiGatewayRestApi", region.name, &phi);
                    res.name = Some(api.name.clone());
                    out.push(Outcome::error(res, phi, u));
                    continue;
                }
            };
            for stage in stages {
                let phi = if ctx.scope.phi.matches(&api.tags) || ctx.scope.phi.matches(&stage.tags) {
                    PhiMark::Tagged
                } else {
                    PhiMark::NotTagged
                };
                let arn = format!("{}/stages/{}", api_arn(ctx, region.name, api), stage.name);
                let mut res = Resource::regional(
                    ctx,
                    &arn,
                    &format!("{}/{}", api.id, stage.name),
                    "AwsApiGatewayStage",
                    region.name,
                    &phi,
                );
                res.name = Some(format!("{} {}", api.name, stage.name));
                out.push(Outcome::from_result(res, phi, judge(stage)));
            }
        }
    }
    if out.is_empty() {
        return none_found(ctx, "REST API stages");
    }
    out
}

fn stage_logging(ctx: &Context<'_>) -> Vec<Outcome> {
    each_stage(ctx, |s| {
        if let Some(d) = &s.access_log_destination {
            return Ok(Verdict::pass(format!("access logs go to `{d}`")));
        }
        let level = s
            .method_settings
            .get("*/*")
            .and_then(|m| m.logging_level.as_deref());
        Ok(match level {
            Some(l @ ("INFO" | "ERROR")) => Verdict::pass(format!(
                "execution logging at level `{l}` for every method (no access log)"
            )),
            _ => Verdict::fail(
                "neither access logging nor execution logging is on: requests to the API leave no record",
            ),
        })
    })
}

fn cache_encrypted(ctx: &Context<'_>) -> Vec<Outcome> {
    each_stage(ctx, |s| {
        if !s.cache_cluster_enabled {
            return Ok(Verdict::not_applicable("the stage has no cache"));
        }
        let caching: Vec<(&String, bool)> = s
            .method_settings
            .iter()
            .filter(|(_, m)| m.caching_enabled == Some(true))
            .map(|(k, m)| (k, m.cache_data_encrypted == Some(true)))
            .collect();
        let clear: Vec<&str> = caching.iter().filter(|(_, enc)| !enc).map(|(k, _)| k.as_str()).collect();
        Ok(if caching.is_empty() {
            Verdict::pass("the cache cluster is on but no method caches responses")
        } else if clear.is_empty() {
            Verdict::pass("every method that caches responses encrypts the cache")
        } else {
            Verdict::fail(format!(
                "responses are cached unencrypted for {}: cached ePHI sits in clear on the cache cluster",
                clear.join(", ")
            ))
        })
    })
}

fn client_certificate(ctx: &Context<'_>) -> Vec<Outcome> {
    each_stage(ctx, |s| {
        Ok(match &s.client_certificate_id {
            Some(c) => Verdict::pass(format!("the stage presents the client certificate `{c}` to its backends")),
            None => Verdict::fail(
                "no client certificate: HTTP backends cannot tell requests from API Gateway from anyone else's",
            ),
        })
    })
}

fn domain_tls12(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    each_listed(
        ctx,
        regions,
        "API Gateway custom domain names",
        |r| &r.domain_names,
        |region, d: &DomainName| {
            let phi = PhiMark::of_known(&ctx.scope.phi, &d.tags);
            let arn = format!("arn:{}:apigateway:{region}::/domainnames/{}", ctx.snapshot.partition, d.name);
            let res = Resource::regional(ctx, &arn, &d.name, "AwsApiGatewayDomainName", region, &phi);
            Outcome::from_result(
                res,
                phi,
                domain_policy(d.security_policy.as_deref(), "apigateway:GetDomainNames"),
            )
        },
    )
}

/// A resource policy as API Gateway returns it: JSON, sometimes with its quotes escaped.
fn parse_policy(text: &str) -> Result<PolicyDocument, Unknown> {
    PolicyDocument::parse(text)
        .or_else(|_| PolicyDocument::parse(&text.replace("\\\"", "\"").replace("\\\\", "\\")))
        .map_err(|e| {
            Unknown::new(
                UnknownReason::ParseError,
                "apigateway:GetRestApis",
                format!("the resource policy does not parse: {}", e.message),
            )
        })
}

fn methods_authorized(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    each_listed(
        ctx,
        regions,
        "REST APIs",
        |r| &r.rest_apis,
        |region, api: &RestApi| {
            let phi = PhiMark::of_known(&ctx.scope.phi, &api.tags);
            let mut res = Resource::regional(ctx, &api_arn(ctx, region, api), &api.id, "AwsApiGatewayRestApi", region, &phi);
            res.name = Some(api.name.clone());
            let verdict = api.methods.get().and_then(|methods| {
                // CORS preflight (OPTIONS) carries no data and cannot be authorized.
                let open: Vec<String> = methods
                    .iter()
                    .filter(|m| m.authorization_type == "NONE" && !m.api_key_required && m.http_method != "OPTIONS")
                    .map(|m| format!("{} {}", m.http_method, m.path))
                    .collect();
                if open.is_empty() {
                    return Ok(Verdict::pass("every method needs authorization or an API key"));
                }
                let listed = if open.len() > 5 {
                    format!("{} and {} more", open[..5].join(", "), open.len() - 5)
                } else {
                    open.join(", ")
                };
                match &api.policy {
                    None => Ok(Verdict::fail(format!(
                        "anyone who can reach the API may call {listed}: no authorizer, no API key and no resource policy"
                    ))),
                    Some(text) => {
                        let doc = parse_policy(text)?;
                        let public = doc.public_statements();
                        Ok(if public.is_empty() {
                            Verdict::pass(format!(
                                "methods without authorization ({listed}) are reachable only by the callers the resource policy names"
                            ))
                        } else {
                            let labels: Vec<&str> = public.iter().map(|g| g.statement.as_str()).collect();
                            Verdict::fail(format!(
                                "anyone may call {listed}: no authorizer or API key, and the resource policy lets everyone in (statement {})",
                                labels.join(", ")
                            ))
                        })
                    }
                }
            });
            Outcome::from_result(res, phi, verdict)
        },
    )
}
