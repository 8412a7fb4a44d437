//! API Gateway HTTP and WebSocket APIs in infrastructure code: `AWS::ApiGatewayV2::Api`,
//! `::Stage` and `::DomainName`; Terraform's `aws_apigatewayv2_api`, `aws_apigatewayv2_stage`
//! and `aws_apigatewayv2_domain_name`. A stage without access-log settings logs nothing.

use super::evidence::{Api, Apigwv2Region, DomainName, Stage};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Res, Source};
use crate::iac::value::{open, Val};
use crate::iac::{any_of, by_region};

const APIS: &[&str] = &["AWS::ApiGatewayV2::Api", "aws_apigatewayv2_api"];
const STAGES: &[&str] = &["AWS::ApiGatewayV2::Stage", "aws_apigatewayv2_stage"];
const DOMAINS: &[&str] = &["AWS::ApiGatewayV2::DomainName", "aws_apigatewayv2_domain_name"];

/// The API Gateway v2 section from every API and custom domain of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, APIS) && !any_of(sources, DOMAINS) {
        return;
    }
    let section = by_region(
        sources,
        || Apigwv2Region {
            apis: Fact::Known(Vec::new()),
            domain_names: Fact::Known(Vec::new()),
        },
        |src, region| {
            let apis: Vec<Api> = src.of(APIS).map(|r| api(src, r, out)).collect();
            let domains: Vec<DomainName> = src.of(DOMAINS).map(|r| domain(src, r, out)).collect();
            if let Fact::Known(l) = &mut region.apis {
                l.extend(apis);
            }
            if let Fact::Known(l) = &mut region.domain_names {
                l.extend(domains);
            }
        },
    );
    out.services.apigwv2 = Some(section);
}

fn k(cfn: bool, c: &'static str, t: &'static str) -> &'static str {
    if cfn {
        c
    } else {
        t
    }
}

fn block(v: &Val) -> Val {
    match v {
        Val::List(items) => items.first().cloned().unwrap_or(Val::Null),
        other => other.clone(),
    }
}

fn stage(src: &Source, api_arn: &str, s: &Res, out: &mut Converted) -> Result<Stage, Unknown> {
    let cfn = src.is_cfn();
    let p = &s.props;
    let name = p.get(k(cfn, "StageName", "name")).text("StageName")?.unwrap_or_else(|| s.id.clone());
    out.add(s, &format!("{api_arn}/stages/{name}"));
    let logs = block(p.get(k(cfn, "AccessLogSettings", "access_log_settings")));
    Ok(Stage {
        name,
        tags: s.tags("Tags")?,
        access_log_destination: logs.get(k(cfn, "DestinationArn", "destination_arn")).name("AccessLogSettings.DestinationArn")?,
    })
}

fn api(src: &Source, r: &Res, out: &mut Converted) -> Api {
    let cfn = src.is_cfn();
    let arn = format!("arn:{}:apigateway:{}::/apis/{}", src.partition, src.region, r.id);
    out.add(r, &arn);
    let stages = src
        .attached(r, STAGES, &[k(cfn, "ApiId", "api_id")], APIS, |_| None)
        .and_then(|list| list.into_iter().map(|s| stage(src, &arn, s, out)).collect::<Result<Vec<_>, _>>());
    Api {
        id: r.id.clone(),
        name: r.props.get(k(cfn, "Name", "name")).text("Name").ok().flatten().unwrap_or_else(|| r.id.clone()),
        protocol: r.props.get(k(cfn, "ProtocolType", "protocol_type")).text("ProtocolType").ok().flatten().unwrap_or_else(|| "HTTP".into()),
        tags: out.or_open(r, &arn, &["*"], r.tags("Tags"), Default::default()),
        stages: stages.into(),
    }
}

fn domain(src: &Source, r: &Res, out: &mut Converted) -> DomainName {
    let cfn = src.is_cfn();
    let name = match r.props.get(k(cfn, "DomainName", "domain_name")) {
        Val::Str(n) => n.clone(),
        _ => r.id.clone(),
    };
    let arn = format!("arn:{}:apigateway:{}::/domainnames/{name}", src.partition, src.region);
    out.add(r, &arn);
    let policies = (|| -> Result<Vec<Option<String>>, Unknown> {
        let mut out = Vec::new();
        for c in r.props.get(k(cfn, "DomainNameConfigurations", "domain_name_configuration")).items("DomainNameConfigurations")? {
            let p = c.get(k(cfn, "SecurityPolicy", "security_policy")).text("SecurityPolicy")?;
            out.push(Some(p.ok_or_else(|| open("SecurityPolicy", "not set: API Gateway chooses the security policy at deploy"))?));
        }
        Ok(out)
    })();
    DomainName {
        name,
        security_policies: out.or_open(r, &arn, &["apigwv2.domain_tls12"], policies, Vec::new()),
        tags: out.or_open(r, &arn, &["*"], r.tags("Tags"), Default::default()),
    }
}
