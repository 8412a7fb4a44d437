//! WAFv2 in infrastructure code: `AWS::WAFv2::WebACL` with `AWS::WAFv2::LoggingConfiguration`;
//! Terraform's `aws_wafv2_web_acl` with `aws_wafv2_web_acl_logging_configuration`. A web ACL of
//! `CLOUDFRONT` scope goes to the global list, one of `REGIONAL` scope to its region. A web ACL
//! the code gives no logging configuration does not log.

use super::evidence::{AclDefinition, WebAcl, Wafv2Evidence, Wafv2Region};
use crate::evidence::{Fact, Regional, Unknown};
use crate::iac::source::{Converted, Res, Source};
use crate::iac::value::Val;
use crate::iac::{any_of, by_region};

pub(crate) const ACLS: &[&str] = &["AWS::WAFv2::WebACL", "aws_wafv2_web_acl"];
const LOGGING: &[&str] = &["AWS::WAFv2::LoggingConfiguration", "aws_wafv2_web_acl_logging_configuration"];

/// The WAFv2 section from every web ACL of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, ACLS) {
        return;
    }
    let mut global = Vec::new();
    let regional: Regional<Wafv2Region> = by_region(
        sources,
        || Wafv2Region {
            web_acls: Fact::Known(Vec::new()),
        },
        |src, region| {
            for r in src.of(ACLS) {
                let cfn = src.is_cfn();
                let scope = r.props.get(if cfn { "Scope" } else { "scope" }).text("Scope");
                let acl = web_acl(src, r, out);
                match scope {
                    Ok(Some(s)) if s == "CLOUDFRONT" => global.push(acl),
                    Ok(_) => {
                        if let Fact::Known(l) = &mut region.web_acls {
                            l.push(acl);
                        }
                    }
                    Err(u) => {
                        out.open(r, &acl.arn, &["*"], u);
                        if let Fact::Known(l) = &mut region.web_acls {
                            l.push(acl);
                        }
                    }
                }
            }
        },
    );
    out.services.wafv2 = Some(Wafv2Evidence {
        regional,
        cloudfront: Fact::Known(global),
    });
}

fn definition(src: &Source, r: &Res) -> Result<AclDefinition, Unknown> {
    let cfn = src.is_cfn();
    let p = &r.props;
    let mut rules = Vec::new();
    for rule in p.get(if cfn { "Rules" } else { "rule" }).items("Rules")? {
        if let Some(n) = rule.get(if cfn { "Name" } else { "name" }).text("Rules.Name")? {
            rules.push(n);
        }
    }
    let d = p.get(if cfn { "DefaultAction" } else { "default_action" });
    let d = match d {
        Val::List(items) => items.first().cloned().unwrap_or(Val::Null),
        other => other.clone(),
    };
    let has = |k: &str| match d.get(k) {
        Val::Null => false,
        Val::List(items) => !items.is_empty(),
        _ => true,
    };
    let default_action = if has(if cfn { "Block" } else { "block" }) { "block" } else { "allow" };
    Ok(AclDefinition {
        rules,
        default_action: default_action.into(),
    })
}

fn logging(src: &Source, r: &Res) -> Result<Option<String>, Unknown> {
    let cfn = src.is_cfn();
    let found = src.attached(r, LOGGING, &[if cfn { "ResourceArn" } else { "resource_arn" }], ACLS, |_| None)?;
    let Some(l) = found.last() else { return Ok(None) };
    let path = if cfn { "LogDestinationConfigs" } else { "log_destination_configs" };
    match l.props.get(path).items(path)?.first() {
        Some(d) => d.name(path),
        None => Ok(None),
    }
}

fn web_acl(src: &Source, r: &Res, out: &mut Converted) -> WebAcl {
    let arn = src.arn(r);
    out.add(r, &arn);
    WebAcl {
        name: r.id.clone(),
        id: r.id.clone(),
        tags: r.tags("Tags").into(),
        definition: definition(src, r).into(),
        logging: logging(src, r).into(),
        arn,
    }
}
