//! OpenSearch Service in infrastructure code: `AWS::OpenSearchService::Domain` (and the older
//! `AWS::Elasticsearch::Domain`); Terraform's `aws_opensearch_domain`/`aws_elasticsearch_domain`
//! with `aws_opensearch_domain_policy`. What the code leaves unsaid is the API's default for a
//! new domain: no encryption at rest or between nodes, plain HTTP accepted with the TLS 1.0
//! policy, a public endpoint, no access policy, no audit logs, no fine-grained access control.

use super::evidence::{Domain, LogPublishing, OpenSearchRegion};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Res, Source};
use crate::iac::value::Val;
use crate::iac::{any_of, by_region};

const DOMAINS: &[&str] = &[
    "AWS::OpenSearchService::Domain",
    "AWS::Elasticsearch::Domain",
    "aws_opensearch_domain",
    "aws_elasticsearch_domain",
];
const POLICIES: &[&str] = &["aws_opensearch_domain_policy", "aws_elasticsearch_domain_policy"];

/// The OpenSearch section from every domain of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, DOMAINS) {
        return;
    }
    let section = by_region(
        sources,
        || OpenSearchRegion {
            domains: Fact::Known(Vec::new()),
        },
        |src, region| {
            let list: Vec<Domain> = src.of(DOMAINS).map(|r| domain(src, r, out)).collect();
            if let Fact::Known(l) = &mut region.domains {
                l.extend(list);
            }
        },
    );
    out.services.opensearch = Some(section);
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

fn flag(v: &Val, path: &str) -> Result<Option<bool>, Unknown> {
    Ok(Some(v.unless_computed().boolean(path)?.unwrap_or(false)))
}

fn audit_logs(src: &Source, r: &Res) -> Result<LogPublishing, Unknown> {
    let off = LogPublishing { enabled: false, log_group: None };
    if src.is_cfn() {
        let a = r.props.at(&["LogPublishingOptions", "AUDIT_LOGS"]);
        if a.is_null() {
            return Ok(off);
        }
        return Ok(LogPublishing {
            enabled: a.get("Enabled").boolean("LogPublishingOptions.AUDIT_LOGS.Enabled")?.unwrap_or(true),
            log_group: a.get("CloudWatchLogsLogGroupArn").name("LogPublishingOptions.AUDIT_LOGS.CloudWatchLogsLogGroupArn")?,
        });
    }
    for o in r.props.get("log_publishing_options").items("log_publishing_options")? {
        if o.get("log_type").text("log_publishing_options.log_type")?.as_deref() == Some("AUDIT_LOGS") {
            return Ok(LogPublishing {
                enabled: o.get("enabled").unless_computed().boolean("log_publishing_options.enabled")?.unwrap_or(true),
                log_group: o.get("cloudwatch_log_group_arn").name("log_publishing_options.cloudwatch_log_group_arn")?,
            });
        }
    }
    Ok(off)
}

fn policy(src: &Source, r: &Res) -> Result<Option<String>, Unknown> {
    let cfn = src.is_cfn();
    if !cfn {
        let name_of = |d: &Res| match d.props.get("domain_name") {
            Val::Str(s) => Some(s.clone()),
            _ => None,
        };
        if let Some(p) = src.attached(r, POLICIES, &["domain_name"], DOMAINS, name_of)?.last() {
            return p.props.get("access_policies").json_text("access_policies");
        }
    }
    let key = k(cfn, "AccessPolicies", "access_policies");
    r.props.get(key).unless_computed().json_text(key)
}

fn domain(src: &Source, r: &Res, out: &mut Converted) -> Domain {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cfn = src.is_cfn();
    let p = &r.props;
    let rest = block(p.get(k(cfn, "EncryptionAtRestOptions", "encrypt_at_rest")));
    let at_rest = flag(rest.get(k(cfn, "Enabled", "enabled")), "EncryptionAtRestOptions.Enabled");
    let encryption_at_rest = out.or_open(r, &arn, &["opensearch.encryption_at_rest"], at_rest, Some(false));
    let key = rest.get(k(cfn, "KmsKeyId", "kms_key_id")).unless_computed().name("EncryptionAtRestOptions.KmsKeyId");
    let kms_key_id = out.or_open(r, &arn, &["opensearch.encryption_at_rest"], key, None);
    let n2n = block(p.get(k(cfn, "NodeToNodeEncryptionOptions", "node_to_node_encryption")));
    let n2n = flag(n2n.get(k(cfn, "Enabled", "enabled")), "NodeToNodeEncryptionOptions.Enabled");
    let node_to_node_encryption = out.or_open(r, &arn, &["opensearch.node_to_node_encryption"], n2n, Some(false));
    let ep = block(p.get(k(cfn, "DomainEndpointOptions", "domain_endpoint_options")));
    let https = flag(ep.get(k(cfn, "EnforceHTTPS", "enforce_https")), "DomainEndpointOptions.EnforceHTTPS");
    let enforce_https = out.or_open(r, &arn, &["opensearch.https_enforced"], https, Some(false));
    let tls = ep.get(k(cfn, "TLSSecurityPolicy", "tls_security_policy")).unless_computed().text("DomainEndpointOptions.TLSSecurityPolicy");
    let tls_policy = out.or_open(
        r,
        &arn,
        &["opensearch.https_enforced"],
        tls.map(|t| Some(t.unwrap_or_else(|| "Policy-Min-TLS-1-0-2019-07".into()))),
        None,
    );
    let vpc = block(p.get(k(cfn, "VPCOptions", "vpc_options")));
    let subnets = (|| -> Result<Vec<String>, Unknown> {
        let mut out = Vec::new();
        for s in vpc.get(k(cfn, "SubnetIds", "subnet_ids")).items("VPCOptions.SubnetIds")? {
            out.push(s.name("VPCOptions.SubnetIds")?.unwrap_or_default());
        }
        Ok(out)
    })();
    let vpc_subnets = out.or_open(r, &arn, &["opensearch.not_public"], subnets, Vec::new());
    let access_policy = out.or_open(r, &arn, &["opensearch.not_public"], policy(src, r), None);
    let audit = audit_logs(src, r);
    let audit_logs = out.or_open(r, &arn, &["opensearch.audit_logs"], audit, LogPublishing { enabled: false, log_group: None });
    let fga = block(p.get(k(cfn, "AdvancedSecurityOptions", "advanced_security_options")));
    let fga = flag(fga.get(k(cfn, "Enabled", "enabled")), "AdvancedSecurityOptions.Enabled");
    let fine_grained_access = out.or_open(r, &arn, &["opensearch.audit_logs", "opensearch.not_public"], fga, Some(false));
    Domain {
        name: r.id.clone(),
        engine_version: p.get(k(cfn, "EngineVersion", "engine_version")).text("EngineVersion").ok().flatten(),
        encryption_at_rest,
        kms_key_id,
        node_to_node_encryption,
        enforce_https,
        tls_policy,
        vpc_id: None,
        vpc_subnets,
        access_policy,
        audit_logs,
        fine_grained_access,
        tags: r.tags("Tags").into(),
        arn,
    }
}
