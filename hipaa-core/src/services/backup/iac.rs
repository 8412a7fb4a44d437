//! AWS Backup in infrastructure code: plans, selections and vaults (`AWS::Backup::*`,
//! `aws_backup_plan`, `aws_backup_selection`, `aws_backup_vault`,
//! `aws_backup_vault_lock_configuration`) and Terraform's `aws_backup_region_settings`.
//! Without region settings in the code, the resource types AWS Backup protects are those a new
//! account starts with.

use super::evidence::{BackupPlan, BackupRegion, BackupRule, BackupSelection, BackupVault, TagCondition, TagOp};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Link, Res, Source};
use crate::iac::value::Val;
use crate::iac::{any_of, by_region};
use std::collections::BTreeMap;

const PLANS: &[&str] = &["AWS::Backup::BackupPlan", "aws_backup_plan"];
const SELECTIONS: &[&str] = &["AWS::Backup::BackupSelection", "aws_backup_selection"];
const VAULTS: &[&str] = &["AWS::Backup::BackupVault", "aws_backup_vault"];

/// The resource types AWS Backup protects in a new account, and those it must be told to.
fn new_account_opt_in() -> BTreeMap<String, bool> {
    [
        ("Aurora", true),
        ("DocumentDB", true),
        ("DynamoDB", true),
        ("EBS", true),
        ("EC2", true),
        ("EFS", true),
        ("FSx", true),
        ("Neptune", true),
        ("RDS", true),
        ("Storage Gateway", true),
        ("VirtualMachine", true),
        ("S3", false),
        ("Redshift", false),
        ("Timestream", false),
        ("CloudFormation", false),
        ("SAP HANA on Amazon EC2", false),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The Backup section from every plan and vault of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, PLANS) && !any_of(sources, VAULTS) {
        return;
    }
    let section = by_region(
        sources,
        || BackupRegion {
            plans: Fact::Known(Vec::new()),
            vaults: Fact::Known(Vec::new()),
            opt_in: Fact::Known(new_account_opt_in()),
            // Restore jobs run in the account: the live scan answers restore testing.
            restore_testing: crate::services::backup::evidence::not_in_snapshot(),
        },
        |src, region| {
            if let Some(s) = src.of(&["aws_backup_region_settings"]).last() {
                region.opt_in = (|| {
                    let mut m = new_account_opt_in();
                    for (k, v) in s.props.get("resource_type_opt_in_preference").entries("resource_type_opt_in_preference")? {
                        m.insert(k.clone(), v.boolean("resource_type_opt_in_preference")?.unwrap_or(false));
                    }
                    Ok(m)
                })()
                .into();
            }
            let plans: Vec<BackupPlan> = src.of(PLANS).map(|r| plan(src, r, out)).collect();
            let vaults: Vec<BackupVault> = src.of(VAULTS).map(|r| vault(src, r, out)).collect();
            if let Fact::Known(l) = &mut region.plans {
                l.extend(plans);
            }
            if let Fact::Known(l) = &mut region.vaults {
                l.extend(vaults);
            }
        },
    );
    out.services.backup = Some(section);
}

fn vault_name(r: &Res) -> Option<String> {
    match r.props.get(if r.kind == "AWS::Backup::BackupVault" { "BackupVaultName" } else { "name" }) {
        Val::Str(s) => Some(s.clone()),
        _ => None,
    }
}

fn plan(src: &Source, r: &Res, out: &mut Converted) -> BackupPlan {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cfn = src.is_cfn();
    let rules = (|| -> Result<Vec<BackupRule>, Unknown> {
        let list = if cfn { r.props.at(&["BackupPlan", "BackupPlanRule"]) } else { r.props.get("rule") };
        let mut rules = Vec::new();
        for x in list.items("BackupPlanRule")? {
            let k = |c: &str, t: &str| if cfn { x.get(c) } else { x.get(t) };
            let vault = match k("TargetBackupVault", "target_vault_name") {
                Val::Ref { target, .. } => target.clone(),
                v => v.name("TargetBackupVault")?.map(|n| {
                    src.of(VAULTS).find(|v| vault_name(v).as_deref() == Some(n.as_str())).map_or(n, |v| v.id.clone())
                }).unwrap_or_default(),
            };
            let lifecycle = if cfn { k("Lifecycle", "").clone() } else { x.get("lifecycle").items("lifecycle")?.first().map_or(Val::Null, |v| (*v).clone()) };
            let mut copy_to = Vec::new();
            for c in k("CopyActions", "copy_action").items("CopyActions")? {
                if let Some(d) = c.get(if cfn { "DestinationBackupVaultArn" } else { "destination_vault_arn" }).name("CopyActions.DestinationBackupVaultArn")? {
                    copy_to.push(d);
                }
            }
            rules.push(BackupRule {
                name: k("RuleName", "rule_name").name("RuleName")?.unwrap_or_default(),
                schedule: k("ScheduleExpression", "schedule").text("ScheduleExpression")?,
                vault,
                delete_after_days: lifecycle.get(if cfn { "DeleteAfterDays" } else { "delete_after" }).int("Lifecycle.DeleteAfterDays")?,
                copy_to,
            });
        }
        Ok(rules)
    })();
    let mut selections = Vec::new();
    let mut unknown = None;
    for s in src.of(SELECTIONS) {
        match src.link(s, &[if cfn { "BackupPlanId" } else { "plan_id" }], PLANS, |_| None) {
            Link::To(p) if p.id == r.id => match selection(s, cfn) {
                Ok(sel) => selections.push(sel),
                Err(u) => unknown = Some(u),
            },
            Link::Open(u) => unknown = Some(u),
            _ => {}
        }
    }
    let name = if cfn { r.props.at(&["BackupPlan", "BackupPlanName"]) } else { r.props.get("name") };
    BackupPlan {
        id: r.id.clone(),
        arn,
        name: name.name("BackupPlanName").ok().flatten().unwrap_or_else(|| r.id.clone()),
        rules: rules.into(),
        selections: match unknown {
            Some(u) => Fact::Unknown(u),
            None => Fact::Known(selections),
        },
    }
}

fn names(v: &Val, path: &str) -> Result<Vec<String>, Unknown> {
    let mut out = Vec::new();
    for i in v.items(path)? {
        if let Some(n) = i.name(path)? {
            out.push(n);
        }
    }
    Ok(out)
}

fn selection(s: &Res, cfn: bool) -> Result<BackupSelection, Unknown> {
    let body = if cfn { s.props.get("BackupSelection") } else { &s.props };
    let key: fn(&'static str, &'static str) -> &'static str = if cfn { |c, _| c } else { |_, t| t };
    let mut tags = Vec::new();
    for t in body.get(key("ListOfTags", "selection_tag")).items("ListOfTags")? {
        let k = t.get(key("ConditionKey", "key")).text("ListOfTags.ConditionKey")?.unwrap_or_default();
        let v = t.get(key("ConditionValue", "value")).text("ListOfTags.ConditionValue")?.unwrap_or_default();
        tags.push((k, v));
    }
    let mut conditions = Vec::new();
    let cond = if cfn { body.get("Conditions").clone() } else { body.get("condition").items("condition")?.first().map_or(Val::Null, |v| (*v).clone()) };
    for (name, op) in [
        (key("StringEquals", "string_equals"), TagOp::Equals),
        (key("StringNotEquals", "string_not_equals"), TagOp::NotEquals),
        (key("StringLike", "string_like"), TagOp::Like),
        (key("StringNotLike", "string_not_like"), TagOp::NotLike),
    ] {
        for c in cond.get(name).items("Conditions")? {
            let k = c.get(key("ConditionKey", "key")).text("Conditions.ConditionKey")?.unwrap_or_default();
            conditions.push(TagCondition {
                op,
                key: k.strip_prefix("aws:ResourceTag/").unwrap_or(&k).to_string(),
                value: c.get(key("ConditionValue", "value")).text("Conditions.ConditionValue")?.unwrap_or_default(),
            });
        }
    }
    Ok(BackupSelection {
        id: s.id.clone(),
        name: body.get(key("SelectionName", "name")).name("SelectionName")?.unwrap_or_else(|| s.id.clone()),
        resources: names(body.get(key("Resources", "resources")), "Resources")?,
        not_resources: names(body.get(key("NotResources", "not_resources")), "NotResources")?,
        tags,
        conditions,
    })
}

fn vault(src: &Source, r: &Res, out: &mut Converted) -> BackupVault {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cfn = src.is_cfn();
    let kn = if cfn { "EncryptionKeyArn" } else { "kms_key_arn" };
    let key = match r.props.get(kn) {
        Val::Open(_) if !cfn && !r.configured.contains("kms_key_arn") => Ok(None),
        v => v.name(kn),
    };
    let encryption_key_arn = out.or_open(r, &arn, &["backup.vault_cmk"], key, None);
    let lock = (|| -> Result<(bool, Option<i64>), Unknown> {
        if cfn {
            let l = r.props.get("LockConfiguration");
            return Ok((!l.is_null(), l.get("MinRetentionDays").int("LockConfiguration.MinRetentionDays")?));
        }
        for l in src.of(&["aws_backup_vault_lock_configuration"]) {
            match src.link(l, &["backup_vault_name"], VAULTS, vault_name) {
                Link::To(v) if v.id == r.id => return Ok((true, l.props.get("min_retention_days").int("min_retention_days")?)),
                Link::Open(u) => return Err(u),
                _ => {}
            }
        }
        Ok((false, None))
    })();
    let (locked, min_retention_days) = out.or_open(r, &arn, &["backup.vault_lock"], lock, (false, None));
    BackupVault {
        name: r.id.clone(),
        arn,
        encryption_key_arn,
        locked,
        min_retention_days,
    }
}
