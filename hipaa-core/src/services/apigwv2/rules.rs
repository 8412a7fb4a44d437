//! Amazon API Gateway HTTP and WebSocket API rules: every stage keeps access logs, and custom
//! domains require TLS 1.2 (the same policy list as REST APIs, `services/apigw/tls.toml`).

use super::evidence::{Apigwv2Region, DomainName};
use crate::evidence::{Unknown, UnknownReason};
use crate::rules::{each_listed, none_found, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use crate::vocabulary::Status;

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "apigwv2.stage_access_logging",
            f: stage_access_logging,
        },
        RuleFn {
            id: "apigwv2.domain_tls12",
            f: domain_tls12,
        },
    ]
}

fn regions<'a>(
    ctx: &Context<'a>,
) -> Result<Vec<crate::evidence::RegionEvidence<'a, Apigwv2Region>>, Vec<Outcome>> {
    ctx.regions(
        &ctx.snapshot.services.apigwv2,
        "API Gateway v2",
        "HTTP and WebSocket API",
    )
}

fn stage_access_logging(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    let mut out = Vec::new();
    for region in &regions {
        let apis = match region.get(|r| &r.apis) {
            Ok(a) => a,
            Err(u) => {
                out.push(Outcome::error(ctx.region_resource(region.name), PhiMark::Account, u));
                continue;
            }
        };
        for api in apis {
            let api_arn = format!("arn:{}:apigateway:{}::/apis/{}", ctx.snapshot.partition, region.name, api.id);
            let stages = match api.stages.get() {
                Ok(s) => s,
                Err(u) => {
                    let phi = PhiMark::of_known(&ctx.scope.phi, &api.tags);
                    let mut res = Resource::regional(ctx, &api_arn, &api.id, "AwsApiGatewayV2Stage", region.name, &phi);
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
                let mut res = Resource::regional(
                    ctx,
                    &format!("{api_arn}/stages/{}", stage.name),
                    &format!("{}/{}", api.id, stage.name),
                    "AwsApiGatewayV2Stage",
                    region.name,
                    &phi,
                );
                res.name = Some(format!("{} {}", api.name, stage.name));
                let verdict = match &stage.access_log_destination {
                    Some(d) => Verdict::pass(format!("access logs go to `{d}`")),
                    None => Verdict::fail(format!(
                        "access logging is off: calls to the {} API leave no record of who made them",
                        api.protocol
                    )),
                };
                out.push(Outcome::from_result(res, phi, Ok(verdict)));
            }
        }
    }
    if out.is_empty() {
        return none_found(ctx, "HTTP or WebSocket API stages");
    }
    out
}

fn domain_tls12(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(regions(ctx));
    each_listed(
        ctx,
        regions,
        "API Gateway v2 custom domain names",
        |r| &r.domain_names,
        |region, d: &DomainName| {
            let phi = PhiMark::of_known(&ctx.scope.phi, &d.tags);
            let arn = format!("arn:{}:apigateway:{region}::/domainnames/{}", ctx.snapshot.partition, d.name);
            let res = Resource::regional(ctx, &arn, &d.name, "AwsApiGatewayV2DomainName", region, &phi);
            Outcome::from_result(res, phi, judge_domain(d))
        },
    )
}

/// Every endpoint configuration must pass; the first failure (or failed read) decides.
fn judge_domain(d: &DomainName) -> Result<Verdict, Unknown> {
    if d.security_policies.is_empty() {
        return Err(Unknown::new(
            UnknownReason::ParseError,
            "apigateway:GetDomainNames",
            "the answer gave no endpoint configuration for the domain",
        ));
    }
    let mut last = None;
    for p in &d.security_policies {
        let v = crate::services::apigw::rules::domain_policy(p.as_deref(), "apigateway:GetDomainNames")?;
        if v.status == Status::Fail {
            return Ok(v);
        }
        last = Some(v);
    }
    last.ok_or_else(|| Unknown::new(UnknownReason::ParseError, "apigateway:GetDomainNames", "no configuration"))
}
