//! Elastic Load Balancing v2 in infrastructure code: `AWS::ElasticLoadBalancingV2::LoadBalancer`
//! (with `LoadBalancerAttributes`), `::Listener`, `::ListenerRule` and `::TargetGroup`;
//! Terraform's `aws_lb`/`aws_alb`, `aws_lb_listener`, `aws_lb_listener_rule`, `aws_lb_target_group`
//! and `aws_lb_target_group_attachment`; the web ACL from `AWS::WAFv2::WebACLAssociation` or
//! `aws_wafv2_web_acl_association`. What the code leaves unsaid is ELB's default for a new load
//! balancer: an internet-facing Application Load Balancer, invalid headers passed on, no access
//! logs, no deletion protection, no web ACL. An HTTPS or TLS listener given no security policy
//! gets the one ELB picks at deploy, which the code cannot say.

use super::evidence::{Action, Elbv2Region, Listener, LoadBalancer, TargetGroup};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Link, Res, Source};
use crate::iac::value::{open, Val};
use crate::iac::{any_of, by_region};
use std::collections::BTreeMap;

pub(crate) const LOAD_BALANCERS: &[&str] = &["AWS::ElasticLoadBalancingV2::LoadBalancer", "aws_lb", "aws_alb"];
const LISTENERS: &[&str] = &["AWS::ElasticLoadBalancingV2::Listener", "aws_lb_listener", "aws_alb_listener"];
const RULES: &[&str] = &["AWS::ElasticLoadBalancingV2::ListenerRule", "aws_lb_listener_rule", "aws_alb_listener_rule"];
const TARGET_GROUPS: &[&str] = &["AWS::ElasticLoadBalancingV2::TargetGroup", "aws_lb_target_group", "aws_alb_target_group"];
const ATTACHMENTS: &[&str] = &["aws_lb_target_group_attachment", "aws_alb_target_group_attachment"];
/// The attributes the controls read, with ELB's default for each.
const ATTRIBUTES: &[(&str, &str)] = &[
    ("routing.http.drop_invalid_header_fields.enabled", "false"),
    ("access_logs.s3.enabled", "false"),
    ("deletion_protection.enabled", "false"),
];

/// The ELBv2 section from every load balancer of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, LOAD_BALANCERS) {
        return;
    }
    let section = by_region(
        sources,
        || Elbv2Region {
            load_balancers: Fact::Known(Vec::new()),
            target_groups: Fact::Known(Vec::new()),
        },
        |src, region| {
            let lbs: Vec<LoadBalancer> = src.of(LOAD_BALANCERS).map(|r| load_balancer(src, r, out)).collect();
            let groups: Vec<TargetGroup> = src.of(TARGET_GROUPS).map(|r| target_group(src, r, &lbs)).collect();
            if let Fact::Known(l) = &mut region.load_balancers {
                l.extend(lbs);
            }
            if let Fact::Known(l) = &mut region.target_groups {
                l.extend(groups);
            }
        },
    );
    out.services.elbv2 = Some(section);
}

fn k(cfn: bool, c: &'static str, t: &'static str) -> &'static str {
    if cfn {
        c
    } else {
        t
    }
}

/// The ARN a property names among resources of `kinds`: the stand-in of one of the code, else
/// the name written.
fn arn_of(src: &Source, r: &Res, path: &[&str], kinds: &[&str]) -> Result<Option<String>, Unknown> {
    Ok(match src.link(r, path, kinds, |_| None) {
        Link::None => None,
        Link::To(t) => Some(src.arn(t)),
        Link::Outside(_) => r.props.at(path).name(&path.join("."))?,
        Link::Open(u) => return Err(u),
    })
}

/// One action, in CloudFormation's or Terraform's spelling.
fn action(src: &Source, a: &Val, cfn: bool) -> Result<Action, Unknown> {
    let kind = a.get(k(cfn, "Type", "type")).text("Actions.Type")?.unwrap_or_default();
    let block = |v: &Val| -> Val {
        match v {
            Val::List(items) => items.first().cloned().unwrap_or(Val::Null),
            other => other.clone(),
        }
    };
    let redirect = block(a.get(k(cfn, "RedirectConfig", "redirect")));
    let redirect_protocol = redirect
        .get(k(cfn, "Protocol", "protocol"))
        .text("RedirectConfig.Protocol")?
        .or_else(|| (kind == "redirect").then(|| "#{protocol}".to_string()));
    let mut target_groups = Vec::new();
    let mut push = |v: &Val| -> Result<(), Unknown> {
        let name = v.name("TargetGroupArn")?;
        if let Some(n) = name {
            // A target group of the code is known by its stand-in ARN.
            let id = n.rsplit([':', '/']).next().unwrap_or(&n).to_string();
            let arn = src
                .of(TARGET_GROUPS)
                .find(|t| t.id == id || matches!(v, Val::Ref { target, .. } if *target == t.id))
                .map_or(n, |t| src.arn(t));
            target_groups.push(arn);
        }
        Ok(())
    };
    push(a.get(k(cfn, "TargetGroupArn", "target_group_arn")))?;
    let forward = block(a.get(k(cfn, "ForwardConfig", "forward")));
    for tg in forward.get(k(cfn, "TargetGroups", "target_group")).items("ForwardConfig.TargetGroups")? {
        push(tg.get(k(cfn, "TargetGroupArn", "arn")))?;
    }
    target_groups.dedup();
    Ok(Action {
        kind: kind.to_ascii_lowercase(),
        redirect_protocol: if kind.eq_ignore_ascii_case("redirect") { redirect_protocol } else { None },
        target_groups,
    })
}

fn actions(src: &Source, v: &Val, cfn: bool, path: &str) -> Result<Vec<Action>, Unknown> {
    v.items(path)?.into_iter().map(|a| action(src, a, cfn)).collect()
}

/// One listener; a security policy ELB picks at deploy is noted in `open`.
fn listener(src: &Source, l: &Res, application: bool, open_policy: &mut Vec<Unknown>) -> Result<Listener, Unknown> {
    let cfn = src.is_cfn();
    let p = &l.props;
    let protocol = p.get(k(cfn, "Protocol", "protocol")).text("Protocol")?.unwrap_or_else(|| if application { "HTTP".into() } else { "TCP".into() });
    let port = p.get(k(cfn, "Port", "port")).int("Port")?.and_then(|x| i32::try_from(x).ok());
    let ssl_policy = p.get(k(cfn, "SslPolicy", "ssl_policy")).text("SslPolicy")?;
    if ssl_policy.is_none() && matches!(protocol.as_str(), "HTTPS" | "TLS") {
        open_policy.push(open(&format!("{}.SslPolicy", l.id), "not set: ELB applies its default security policy of the day at deploy"));
    }
    let default_actions = actions(src, p.get(k(cfn, "DefaultActions", "default_action")), cfn, "DefaultActions")?;
    let rule_actions = if application && protocol == "HTTP" {
        let path = k(cfn, "ListenerArn", "listener_arn");
        let mut all = Vec::new();
        for rule in src.attached(l, RULES, &[path], LISTENERS, |_| None)? {
            all.extend(actions(src, rule.props.get(k(cfn, "Actions", "action")), cfn, "Actions")?);
        }
        Some(Fact::Known(all))
    } else {
        None
    };
    Ok(Listener {
        arn: src.arn(l),
        port,
        protocol,
        ssl_policy,
        default_actions,
        rule_actions,
    })
}

fn attributes(src: &Source, r: &Res) -> Result<BTreeMap<String, String>, Unknown> {
    let mut map: BTreeMap<String, String> = ATTRIBUTES.iter().map(|(a, d)| (a.to_string(), d.to_string())).collect();
    let p = &r.props;
    if src.is_cfn() {
        for a in p.get("LoadBalancerAttributes").items("LoadBalancerAttributes")? {
            if let (Some(key), value) = (a.get("Key").text("LoadBalancerAttributes.Key")?, a.get("Value")) {
                let v = value.text(&format!("LoadBalancerAttributes.{key}"))?.unwrap_or_default();
                map.insert(key, v.to_ascii_lowercase());
            }
        }
        return Ok(map);
    }
    let flag = |name: &str| -> Result<Option<String>, Unknown> { Ok(p.get(name).boolean(name)?.map(|b| b.to_string())) };
    if let Some(v) = flag("drop_invalid_header_fields")? {
        map.insert("routing.http.drop_invalid_header_fields.enabled".into(), v);
    }
    if let Some(v) = flag("enable_deletion_protection")? {
        map.insert("deletion_protection.enabled".into(), v);
    }
    if let Some(logs) = p.get("access_logs").items("access_logs")?.first() {
        let on = logs.get("enabled").boolean("access_logs.enabled")?.unwrap_or(false);
        map.insert("access_logs.s3.enabled".into(), on.to_string());
    }
    Ok(map)
}

/// The web ACL associated with a load balancer, `None` when none is.
pub(crate) fn web_acl(src: &Source, r: &Res) -> Result<Option<String>, Unknown> {
    const ASSOCIATIONS: &[&str] = &["AWS::WAFv2::WebACLAssociation", "aws_wafv2_web_acl_association"];
    const ACLS: &[&str] = &["AWS::WAFv2::WebACL", "aws_wafv2_web_acl"];
    let cfn = src.is_cfn();
    let found = src.attached(r, ASSOCIATIONS, &[k(cfn, "ResourceArn", "resource_arn")], LOAD_BALANCERS, |_| None)?;
    match found.last() {
        Some(a) => arn_of(src, a, &[k(cfn, "WebACLArn", "web_acl_arn")], ACLS),
        None => Ok(None),
    }
}

fn load_balancer(src: &Source, r: &Res, out: &mut Converted) -> LoadBalancer {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cfn = src.is_cfn();
    let p = &r.props;
    let kind = p.get(k(cfn, "Type", "load_balancer_type")).text("Type");
    let kind = out.or_open(r, &arn, &["*"], kind.map(|t| t.unwrap_or_else(|| "application".into())), "application".into());
    let scheme = if cfn {
        p.get("Scheme").text("Scheme").map(|s| s.unwrap_or_else(|| "internet-facing".into()))
    } else {
        p.get("internal").boolean("internal").map(|i| if i == Some(true) { "internal".into() } else { "internet-facing".into() })
    };
    let scheme = out.or_open(r, &arn, &["*"], scheme, "internet-facing".into());
    let application = kind == "application";
    let path = k(cfn, "LoadBalancerArn", "load_balancer_arn");
    let mut open_policy = Vec::new();
    let listeners = src
        .attached(r, LISTENERS, &[path], LOAD_BALANCERS, |_| None)
        .and_then(|ls| ls.into_iter().map(|l| listener(src, l, application, &mut open_policy)).collect::<Result<Vec<_>, _>>());
    for u in open_policy {
        out.open(r, &arn, &["elbv2.tls_policy"], u);
    }
    let web_acl = (application && scheme == "internet-facing").then(|| web_acl(src, r).into());
    LoadBalancer {
        name: r.id.clone(),
        kind,
        scheme,
        vpc_id: None,
        tags: r.tags("Tags").into(),
        attributes: attributes(src, r).into(),
        listeners: listeners.into(),
        web_acl,
        arn,
    }
}

fn target_group(src: &Source, r: &Res, lbs: &[LoadBalancer]) -> TargetGroup {
    let arn = src.arn(r);
    let cfn = src.is_cfn();
    let p = &r.props;
    let text = |c: &'static str, t: &'static str| p.get(k(cfn, c, t)).text(c).ok().flatten();
    let load_balancers = lbs
        .iter()
        .filter(|lb| {
            lb.listeners.known().is_some_and(|ls| {
                ls.iter().any(|l| l.default_actions.iter().any(|a| a.target_groups.contains(&arn)))
            })
        })
        .map(|lb| lb.arn.clone())
        .collect();
    // Targets the code registers are judged on the live account: their tags decide whether a
    // load balancer carries ePHI, and the code names them by ids known only after deploy.
    let registered = if cfn {
        !p.get("Targets").is_null()
    } else {
        src.of(ATTACHMENTS).any(|a| matches!(src.link(a, &["target_group_arn"], TARGET_GROUPS, |_| None), Link::To(t) if t.id == r.id) || matches!(src.link(a, &["target_group_arn"], TARGET_GROUPS, |_| None), Link::Open(_)))
    };
    let targets = if registered {
        Fact::Unknown(open("Targets", "the targets registered by the code are known by id only after deploy"))
    } else {
        Fact::Known(Vec::new())
    };
    TargetGroup {
        name: r.id.clone(),
        protocol: text("Protocol", "protocol"),
        port: p.get(k(cfn, "Port", "port")).int("Port").ok().flatten().and_then(|x| i32::try_from(x).ok()),
        target_type: text("TargetType", "target_type"),
        load_balancers,
        tags: r.tags("Tags").into(),
        targets: Some(targets),
        arn,
    }
}
