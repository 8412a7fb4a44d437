//! CloudFront in infrastructure code: `AWS::CloudFront::Distribution` (`DistributionConfig`) and
//! Terraform's `aws_cloudfront_distribution`. A distribution is global: it lands in one list
//! whatever region its stack deploys to. A web ACL of the code is named by its stand-in ARN.

use super::evidence::{CacheBehavior, CloudFrontEvidence, Distribution, Origin, OriginKind, ViewerCertificate};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Link, Res, Source};
use crate::iac::value::{open, Val};
use crate::iac::any_of;

const DISTRIBUTIONS: &[&str] = &["AWS::CloudFront::Distribution", "aws_cloudfront_distribution"];

/// The CloudFront section from every distribution of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, DISTRIBUTIONS) {
        return;
    }
    let mut list = Vec::new();
    for src in sources {
        for r in src.of(DISTRIBUTIONS) {
            list.push(distribution(src, r, out));
        }
    }
    out.services.cloudfront = Some(CloudFrontEvidence {
        distributions: Fact::Known(list),
    });
}

fn k(cfn: bool, c: &'static str, t: &'static str) -> &'static str {
    if cfn {
        c
    } else {
        t
    }
}

/// A nested block: CloudFormation's mapping, or the first of Terraform's block list.
fn block(v: &Val) -> Val {
    match v {
        Val::List(items) => items.first().cloned().unwrap_or(Val::Null),
        other => other.clone(),
    }
}

fn texts(v: &Val, path: &str) -> Result<Vec<String>, Unknown> {
    let mut out = Vec::new();
    for x in v.items(path)? {
        if let Some(t) = x.text(path)? {
            out.push(t);
        }
    }
    Ok(out)
}

fn behavior(b: &Val, cfn: bool, default: bool) -> Result<CacheBehavior, Unknown> {
    let path = if default { None } else { b.get(k(cfn, "PathPattern", "path_pattern")).text("PathPattern")? };
    Ok(CacheBehavior {
        path,
        viewer_protocol_policy: b
            .get(k(cfn, "ViewerProtocolPolicy", "viewer_protocol_policy"))
            .text("ViewerProtocolPolicy")?
            .ok_or_else(|| open("ViewerProtocolPolicy", "a cache behaviour without a viewer protocol policy"))?,
        target_origin: b.get(k(cfn, "TargetOriginId", "target_origin_id")).text("TargetOriginId")?.unwrap_or_default(),
        realtime_log_config: b.get(k(cfn, "RealtimeLogConfigArn", "realtime_log_config_arn")).name("RealtimeLogConfigArn")?.filter(|s| !s.is_empty()),
    })
}

fn origin(o: &Val, cfn: bool) -> Result<Origin, Unknown> {
    let custom = block(o.get(k(cfn, "CustomOriginConfig", "custom_origin_config")));
    let vpc = block(o.get(k(cfn, "VpcOriginConfig", "vpc_origin_config")));
    let kind = if !custom.is_null() {
        let protocols = custom.get(k(cfn, "OriginSSLProtocols", "origin_ssl_protocols"));
        OriginKind::Custom {
            protocol_policy: custom
                .get(k(cfn, "OriginProtocolPolicy", "origin_protocol_policy"))
                .text("CustomOriginConfig.OriginProtocolPolicy")?
                .ok_or_else(|| open("CustomOriginConfig.OriginProtocolPolicy", "a custom origin without a protocol policy"))?,
            // CloudFront's default for a custom origin is TLSv1, TLSv1.1 and TLSv1.2.
            ssl_protocols: if protocols.is_null() {
                vec!["TLSv1".into(), "TLSv1.1".into(), "TLSv1.2".into()]
            } else {
                texts(protocols, "CustomOriginConfig.OriginSSLProtocols")?
            },
        }
    } else if !vpc.is_null() {
        OriginKind::Vpc
    } else {
        OriginKind::S3
    };
    Ok(Origin {
        id: o.get(k(cfn, "Id", "origin_id")).text("Origins.Id")?.unwrap_or_default(),
        domain_name: o.get(k(cfn, "DomainName", "domain_name")).name("Origins.DomainName")?.unwrap_or_default(),
        kind,
    })
}

fn distribution(src: &Source, r: &Res, out: &mut Converted) -> Distribution {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cfn = src.is_cfn();
    let c = if cfn { r.props.get("DistributionConfig").clone() } else { r.props.clone() };
    let mut behaviors = Vec::new();
    let first = behavior(&block(c.get(k(cfn, "DefaultCacheBehavior", "default_cache_behavior"))), cfn, true);
    let rest = c
        .get(k(cfn, "CacheBehaviors", "ordered_cache_behavior"))
        .items("CacheBehaviors")
        .and_then(|items| items.into_iter().map(|b| behavior(b, cfn, false)).collect::<Result<Vec<_>, _>>());
    match first.and_then(|f| Ok((f, rest?))) {
        Ok((f, rest)) => {
            behaviors.push(f);
            behaviors.extend(rest);
        }
        Err(u) => out.open(r, &arn, &["cloudfront.viewer_https", "cloudfront.logging"], u),
    }
    let cert = block(c.get(k(cfn, "ViewerCertificate", "viewer_certificate")));
    let custom = cert
        .get(k(cfn, "AcmCertificateArn", "acm_certificate_arn"))
        .name("ViewerCertificate.AcmCertificateArn")
        .and_then(|a| match a.filter(|s| !s.is_empty()) {
            Some(a) => Ok(Some(a)),
            None => cert.get(k(cfn, "IamCertificateId", "iam_certificate_id")).name("ViewerCertificate.IamCertificateId").map(|i| i.filter(|s| !s.is_empty())),
        });
    let custom_certificate = out.or_open(r, &arn, &["cloudfront.viewer_tls12"], custom, None);
    let min = cert.get(k(cfn, "MinimumProtocolVersion", "minimum_protocol_version")).text("ViewerCertificate.MinimumProtocolVersion");
    // With its own certificate and no minimum given, CloudFront applies TLSv1.
    let minimum_protocol = out.or_open(r, &arn, &["cloudfront.viewer_tls12"], min.map(|m| m.or_else(|| Some("TLSv1".into()))), None);
    let origins = c
        .get(k(cfn, "Origins", "origin"))
        .items("Origins")
        .and_then(|items| items.into_iter().map(|o| origin(o, cfn)).collect::<Result<Vec<_>, _>>());
    let origins = out.or_open(r, &arn, &["cloudfront.origin_https", "cloudfront.origin_tls12"], origins, Vec::new());
    let acl_path = k(cfn, "WebACLId", "web_acl_id");
    let web_acl = match src.link(&Res { props: c.clone(), ..r.clone() }, &[acl_path], crate::services::wafv2::iac::ACLS, |_| None) {
        Link::None => Ok(None),
        Link::To(a) => Ok(Some(src.arn(a))),
        Link::Outside(_) => c.get(acl_path).name(acl_path).map(|s| s.filter(|x| !x.is_empty())),
        Link::Open(u) => Err(u),
    };
    let web_acl = out.or_open(r, &arn, &["cloudfront.waf"], web_acl, None);
    let logging = block(c.get(k(cfn, "Logging", "logging_config")));
    let logging = logging.get(k(cfn, "Bucket", "bucket")).name("Logging.Bucket");
    let enabled = c.get(k(cfn, "Enabled", "enabled")).boolean("Enabled");
    let enabled = out.or_open(r, &arn, &["*"], enabled.map(|e| e.unwrap_or(true)), true);
    let aliases = texts(c.get(k(cfn, "Aliases", "aliases")), "Aliases").unwrap_or_default();
    Distribution {
        id: r.id.clone(),
        domain_name: format!("{}.cloudfront.net", r.id),
        aliases,
        enabled,
        tags: r.tags("Tags").into(),
        behaviors,
        viewer_certificate: ViewerCertificate {
            custom_certificate,
            minimum_protocol,
        },
        origins,
        web_acl,
        logging: logging.into(),
        arn,
    }
}
