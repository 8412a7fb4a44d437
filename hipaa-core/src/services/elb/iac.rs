//! Classic Load Balancers in infrastructure code: `AWS::ElasticLoadBalancing::LoadBalancer`
//! (its `Listeners`, `Policies` and `AccessLoggingPolicy`); Terraform's `aws_elb` with
//! `aws_load_balancer_policy` and `aws_load_balancer_listener_policy`. A listener given no SSL
//! negotiation policy has none attached; a load balancer without an access-log setting logs
//! nothing.

use super::evidence::{ClassicListener, ClassicLoadBalancer, ElbRegion, LbPolicy};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Res, Source};
use crate::iac::value::Val;
use crate::iac::{any_of, by_region};
use std::collections::BTreeMap;

const LOAD_BALANCERS: &[&str] = &["AWS::ElasticLoadBalancing::LoadBalancer", "aws_elb"];

/// The Classic Load Balancing section from every Classic Load Balancer of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, LOAD_BALANCERS) {
        return;
    }
    let section = by_region(
        sources,
        || ElbRegion {
            load_balancers: Fact::Known(Vec::new()),
        },
        |src, region| {
            let list: Vec<ClassicLoadBalancer> = src.of(LOAD_BALANCERS).map(|r| load_balancer(src, r, out)).collect();
            if let Fact::Known(l) = &mut region.load_balancers {
                l.extend(list);
            }
        },
    );
    out.services.elb = Some(section);
}

fn name_of(r: &Res) -> Option<String> {
    match r.props.get("name") {
        Val::Str(s) => Some(s.clone()),
        _ => None,
    }
}

fn port(v: &Val, path: &str) -> Result<Option<i32>, Unknown> {
    Ok(v.int(path)?.and_then(|p| i32::try_from(p).ok()))
}

fn texts(v: &Val, path: &str) -> Result<Vec<String>, Unknown> {
    let mut out = Vec::new();
    for x in v.items(path)? {
        if let Some(t) = x.name(path)? {
            out.push(t);
        }
    }
    Ok(out)
}

fn policy(name: String, kind: String, attrs: &Val, cfn: bool) -> Result<LbPolicy, Unknown> {
    let mut attributes = BTreeMap::new();
    for a in attrs.items("Attributes")? {
        let k = a.get(if cfn { "Name" } else { "name" }).text("Attributes.Name")?.unwrap_or_default();
        let v = a.get(if cfn { "Value" } else { "value" }).text("Attributes.Value")?.unwrap_or_default();
        attributes.insert(k, v);
    }
    Ok(LbPolicy { name, kind, attributes })
}

/// Listeners and policies, as CloudFormation writes them on the load balancer or Terraform in
/// separate resources.
fn listeners_and_policies(src: &Source, r: &Res) -> Result<(Vec<ClassicListener>, Vec<LbPolicy>), Unknown> {
    let p = &r.props;
    let mut listeners = Vec::new();
    let mut policies = Vec::new();
    if src.is_cfn() {
        for l in p.get("Listeners").items("Listeners")? {
            listeners.push(ClassicListener {
                protocol: l.get("Protocol").text("Listeners.Protocol")?.unwrap_or_default().to_ascii_uppercase(),
                port: port(l.get("LoadBalancerPort"), "Listeners.LoadBalancerPort")?.unwrap_or_default(),
                instance_protocol: l.get("InstanceProtocol").text("Listeners.InstanceProtocol")?,
                instance_port: port(l.get("InstancePort"), "Listeners.InstancePort")?,
                policy_names: texts(l.get("PolicyNames"), "Listeners.PolicyNames")?,
            });
        }
        for x in p.get("Policies").items("Policies")? {
            let name = x.get("PolicyName").text("Policies.PolicyName")?.unwrap_or_default();
            let kind = x.get("PolicyType").text("Policies.PolicyType")?.unwrap_or_default();
            policies.push(policy(name, kind, x.get("Attributes"), true)?);
        }
        return Ok((listeners, policies));
    }
    let mut by_port: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    for lp in src.attached(r, &["aws_load_balancer_listener_policy"], &["load_balancer_name"], LOAD_BALANCERS, name_of)? {
        if let Some(port) = port(lp.props.get("load_balancer_port"), "load_balancer_port")? {
            by_port.entry(port).or_default().extend(texts(lp.props.get("policy_names"), "policy_names")?);
        }
    }
    for l in p.get("listener").items("listener")? {
        let lb_port = port(l.get("lb_port"), "listener.lb_port")?.unwrap_or_default();
        listeners.push(ClassicListener {
            protocol: l.get("lb_protocol").text("listener.lb_protocol")?.unwrap_or_default().to_ascii_uppercase(),
            port: lb_port,
            instance_protocol: l.get("instance_protocol").text("listener.instance_protocol")?,
            instance_port: port(l.get("instance_port"), "listener.instance_port")?,
            policy_names: by_port.get(&lb_port).cloned().unwrap_or_default(),
        });
    }
    for x in src.attached(r, &["aws_load_balancer_policy"], &["load_balancer_name"], LOAD_BALANCERS, name_of)? {
        let name = x.props.get("policy_name").name("policy_name")?.unwrap_or_else(|| x.id.clone());
        let kind = x.props.get("policy_type_name").text("policy_type_name")?.unwrap_or_default();
        policies.push(policy(name, kind, x.props.get("policy_attribute"), false)?);
    }
    // A listener names a policy by the name Terraform gives it, which may be a reference.
    for l in &mut listeners {
        for n in &mut l.policy_names {
            if let Some(p) = src.of(&["aws_load_balancer_policy"]).find(|p| n.ends_with(&p.id) || *n == p.id) {
                if let Some(real) = name_of_policy(p) {
                    *n = real;
                }
            }
        }
    }
    Ok((listeners, policies))
}

fn name_of_policy(p: &Res) -> Option<String> {
    match p.props.get("policy_name") {
        Val::Str(s) => Some(s.clone()),
        _ => Some(p.id.clone()),
    }
}

fn load_balancer(src: &Source, r: &Res, out: &mut Converted) -> ClassicLoadBalancer {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cfn = src.is_cfn();
    let p = &r.props;
    let scheme = if cfn {
        p.get("Scheme").text("Scheme").map(|s| s.unwrap_or_else(|| "internet-facing".into()))
    } else {
        p.get("internal").boolean("internal").map(|i| if i == Some(true) { "internal".into() } else { "internet-facing".into() })
    };
    let scheme = out.or_open(r, &arn, &["*"], scheme.map(Some), None);
    let (listeners, policies) = match listeners_and_policies(src, r) {
        Ok((l, p)) => (l, Fact::Known(p)),
        Err(u) => {
            out.open(r, &arn, &["elb.https_listeners", "elb.tls_policy"], u.clone());
            (Vec::new(), Fact::Unknown(u))
        }
    };
    let access_log = (|| -> Result<Option<String>, Unknown> {
        if cfn {
            let a = p.get("AccessLoggingPolicy");
            return Ok(match a.get("Enabled").boolean("AccessLoggingPolicy.Enabled")? {
                Some(true) => Some(a.get("S3BucketName").name("AccessLoggingPolicy.S3BucketName")?.unwrap_or_default()),
                _ => None,
            });
        }
        let Some(a) = p.get("access_logs").items("access_logs")?.first().copied() else {
            return Ok(None);
        };
        Ok(match a.get("enabled").boolean("access_logs.enabled")?.unwrap_or(true) {
            true => a.get("bucket").name("access_logs.bucket")?,
            false => None,
        })
    })();
    ClassicLoadBalancer {
        name: r.id.clone(),
        scheme,
        vpc_id: None,
        tags: r.tags("Tags").into(),
        listeners,
        policies,
        access_log: access_log.into(),
    }
}
