//! API Gateway REST APIs in infrastructure code: `AWS::ApiGateway::RestApi`, `::Stage`,
//! `::Method`, `::Resource` and `::DomainName`; Terraform's `aws_api_gateway_rest_api` (with
//! `aws_api_gateway_rest_api_policy`), `aws_api_gateway_stage`, `aws_api_gateway_method_settings`,
//! `aws_api_gateway_method`, `aws_api_gateway_resource` and `aws_api_gateway_domain_name`. Methods
//! defined in an OpenAPI `Body` are not read here, so an API with a body has them open. A stage
//! created only by a deployment's `StageName` is not read either.

use super::evidence::{ApigwRegion, DomainName, Method, MethodSetting, RestApi, Stage};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Link, Res, Source};
use crate::iac::value::{open, Val};
use crate::iac::{any_of, by_region};
use std::collections::BTreeMap;

const APIS: &[&str] = &["AWS::ApiGateway::RestApi", "aws_api_gateway_rest_api"];
pub(crate) const STAGES: &[&str] = &["AWS::ApiGateway::Stage", "aws_api_gateway_stage"];
const METHODS: &[&str] = &["AWS::ApiGateway::Method", "aws_api_gateway_method"];
const RESOURCES: &[&str] = &["AWS::ApiGateway::Resource", "aws_api_gateway_resource"];
const DOMAINS: &[&str] = &["AWS::ApiGateway::DomainName", "aws_api_gateway_domain_name"];

/// The API Gateway section from every REST API and custom domain of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, APIS) && !any_of(sources, DOMAINS) {
        return;
    }
    let section = by_region(
        sources,
        || ApigwRegion {
            rest_apis: Fact::Known(Vec::new()),
            domain_names: Fact::Known(Vec::new()),
        },
        |src, region| {
            let apis: Vec<RestApi> = src.of(APIS).map(|r| rest_api(src, r, out)).collect();
            let domains: Vec<DomainName> = src.of(DOMAINS).map(|r| domain(src, r, out)).collect();
            if let Fact::Known(l) = &mut region.rest_apis {
                l.extend(apis);
            }
            if let Fact::Known(l) = &mut region.domain_names {
                l.extend(domains);
            }
        },
    );
    out.services.apigw = Some(section);
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

/// The endpoint types (`EDGE` when the code says none, as API Gateway creates an API).
pub(crate) fn endpoint_types(v: &Val, cfn: bool) -> Result<Vec<String>, Unknown> {
    let mut out = Vec::new();
    for t in block(v).get(k(cfn, "Types", "types")).items("EndpointConfiguration.Types")? {
        if let Some(t) = t.text("EndpointConfiguration.Types")? {
            out.push(t);
        }
    }
    if out.is_empty() {
        out.push("EDGE".into());
    }
    Ok(out)
}

fn api_arn(src: &Source, id: &str) -> String {
    format!("arn:{}:apigateway:{}::/restapis/{id}", src.partition, src.region)
}

fn setting(v: &Val, cfn: bool) -> Result<MethodSetting, Unknown> {
    Ok(MethodSetting {
        logging_level: v.get(k(cfn, "LoggingLevel", "logging_level")).unless_computed().text("MethodSettings.LoggingLevel")?,
        caching_enabled: v.get(k(cfn, "CachingEnabled", "caching_enabled")).unless_computed().boolean("MethodSettings.CachingEnabled")?,
        cache_data_encrypted: v.get(k(cfn, "CacheDataEncrypted", "cache_data_encrypted")).unless_computed().boolean("MethodSettings.CacheDataEncrypted")?,
    })
}

fn stage(src: &Source, api: &Res, s: &Res, out: &mut Converted) -> Result<Stage, Unknown> {
    let cfn = src.is_cfn();
    let p = &s.props;
    let name = p.get(k(cfn, "StageName", "stage_name")).text("StageName")?.unwrap_or_else(|| s.id.clone());
    out.add(s, &format!("{}/stages/{name}", api_arn(src, &api.id)));
    let logs = block(p.get(k(cfn, "AccessLogSetting", "access_log_settings")));
    let mut method_settings = BTreeMap::new();
    if cfn {
        for m in p.get("MethodSettings").items("MethodSettings")? {
            let path = m.get("ResourcePath").text("MethodSettings.ResourcePath")?.unwrap_or_else(|| "/*".into());
            let verb = m.get("HttpMethod").text("MethodSettings.HttpMethod")?.unwrap_or_else(|| "*".into());
            // `/*` with `*` is every method, which the API names `*/*`.
            let key = format!("{}/{verb}", path.trim_start_matches('/'));
            method_settings.insert(key, setting(m, true)?);
        }
    } else {
        for ms in src.attached(api, &["aws_api_gateway_method_settings"], &["rest_api_id"], APIS, |_| None)? {
            let same_stage = match src.link(ms, &["stage_name"], STAGES, |x| match x.props.get("stage_name") {
                Val::Str(n) => Some(n.clone()),
                _ => None,
            }) {
                Link::To(t) => t.id == s.id,
                Link::Outside(n) => n == name,
                Link::None => false,
                Link::Open(u) => return Err(u),
            };
            if same_stage {
                let path = ms.props.get("method_path").text("method_path")?.unwrap_or_else(|| "*/*".into());
                method_settings.insert(path, setting(&block(ms.props.get("settings")), false)?);
            }
        }
    }
    Ok(Stage {
        name,
        tags: s.tags("Tags")?,
        access_log_destination: logs.get(k(cfn, "DestinationArn", "destination_arn")).name("AccessLogSetting.DestinationArn")?,
        method_settings,
        cache_cluster_enabled: p.get(k(cfn, "CacheClusterEnabled", "cache_cluster_enabled")).boolean("CacheClusterEnabled")?.unwrap_or(false),
        client_certificate_id: p.get(k(cfn, "ClientCertificateId", "client_certificate_id")).name("ClientCertificateId")?,
    })
}

/// The path of an API resource of the code, from its chain of parents.
fn path_of(src: &Source, r: &Res, depth: usize) -> Result<String, Unknown> {
    let cfn = src.is_cfn();
    if depth > 32 {
        return Err(open("ParentId", "the resource chain is too deep"));
    }
    let part = r.props.get(k(cfn, "PathPart", "path_part")).text("PathPart")?.unwrap_or_default();
    let parent = match src.link(r, &[k(cfn, "ParentId", "parent_id")], RESOURCES, |_| None) {
        Link::To(p) => path_of(src, p, depth + 1)?,
        // The API's root resource (`RootResourceId`, `root_resource_id`).
        Link::Outside(_) | Link::None => String::new(),
        Link::Open(u) => return Err(u),
    };
    Ok(format!("{parent}/{part}"))
}

fn methods(src: &Source, api: &Res) -> Result<Vec<Method>, Unknown> {
    let cfn = src.is_cfn();
    let body = api.props.get(k(cfn, "Body", "body"));
    if !body.is_null() || !api.props.get("BodyS3Location").is_null() {
        return Err(open("Body", "the methods are defined in an OpenAPI body, which is not read from code"));
    }
    let mut out = Vec::new();
    for m in src.attached(api, METHODS, &[k(cfn, "RestApiId", "rest_api_id")], APIS, |_| None)? {
        let p = &m.props;
        let path = match src.link(m, &[k(cfn, "ResourceId", "resource_id")], RESOURCES, |_| None) {
            Link::To(r) => path_of(src, r, 0)?,
            Link::Open(u) => return Err(u),
            _ => "/".into(),
        };
        out.push(Method {
            path,
            http_method: p.get(k(cfn, "HttpMethod", "http_method")).text("HttpMethod")?.unwrap_or_default(),
            authorization_type: p.get(k(cfn, "AuthorizationType", "authorization")).text("AuthorizationType")?.unwrap_or_else(|| "NONE".into()),
            api_key_required: p.get(k(cfn, "ApiKeyRequired", "api_key_required")).boolean("ApiKeyRequired")?.unwrap_or(false),
        });
    }
    Ok(out)
}

fn policy(src: &Source, api: &Res) -> Result<Option<String>, Unknown> {
    let cfn = src.is_cfn();
    if let Some(p) = src.attached(api, &["aws_api_gateway_rest_api_policy"], &["rest_api_id"], APIS, |_| None)?.last() {
        return p.props.get("policy").json_text("policy");
    }
    api.props.get(k(cfn, "Policy", "policy")).json_text("Policy")
}

fn rest_api(src: &Source, r: &Res, out: &mut Converted) -> RestApi {
    let arn = api_arn(src, &r.id);
    out.add(r, &arn);
    let cfn = src.is_cfn();
    let policy = out.or_open(r, &arn, &["apigw.methods_authorized"], policy(src, r), None);
    let types = endpoint_types(r.props.get(k(cfn, "EndpointConfiguration", "endpoint_configuration")), cfn);
    let endpoint_types = out.or_open(r, &arn, &["*"], types, Vec::new());
    let tags = out.or_open(r, &arn, &["*"], r.tags("Tags"), Default::default());
    let stages = src
        .attached(r, STAGES, &[k(cfn, "RestApiId", "rest_api_id")], APIS, |_| None)
        .and_then(|list| list.into_iter().map(|s| stage(src, r, s, out)).collect::<Result<Vec<_>, _>>());
    RestApi {
        id: r.id.clone(),
        name: r.props.get(k(cfn, "Name", "name")).text("Name").ok().flatten().unwrap_or_else(|| r.id.clone()),
        tags,
        policy,
        endpoint_types,
        stages: stages.into(),
        methods: methods(src, r).into(),
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
    let policy = r.props.get(k(cfn, "SecurityPolicy", "security_policy")).text("SecurityPolicy").and_then(|p| {
        p.map(Some).ok_or_else(|| open("SecurityPolicy", "not set: API Gateway chooses the security policy at deploy"))
    });
    let security_policy = out.or_open(r, &arn, &["apigw.domain_tls12"], policy, None);
    let types = endpoint_types(r.props.get(k(cfn, "EndpointConfiguration", "endpoint_configuration")), cfn);
    DomainName {
        name,
        security_policy,
        endpoint_types: out.or_open(r, &arn, &["*"], types, Vec::new()),
        tags: out.or_open(r, &arn, &["*"], r.tags("Tags"), Default::default()),
    }
}
