//! Secrets Manager in infrastructure code: `AWS::SecretsManager::Secret` with its
//! `RotationSchedule` and `ResourcePolicy`; Terraform's `aws_secretsmanager_secret` with
//! `aws_secretsmanager_secret_rotation` and `aws_secretsmanager_secret_policy`. A secret's value
//! is never read. A secret set to rotate is rotated when the rotation is set up (Secrets Manager
//! rotates at once unless told not to), so its last rotation stands at the snapshot's time.

use super::evidence::{Secret, SecretsManagerRegion};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Link, Res, Source};
use crate::iac::value::Val;
use crate::iac::{any_of, by_region};

const SECRETS: &[&str] = &["AWS::SecretsManager::Secret", "aws_secretsmanager_secret"];
const ROTATIONS: &[&str] = &["AWS::SecretsManager::RotationSchedule", "aws_secretsmanager_secret_rotation"];
const POLICIES: &[&str] = &["AWS::SecretsManager::ResourcePolicy", "aws_secretsmanager_secret_policy"];
/// Ties a secret to a database; its `Ref` is the secret's ARN, so rotation may name it instead.
const ATTACHMENT: &str = "AWS::SecretsManager::SecretTargetAttachment";

/// The Secrets Manager section from every secret of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, SECRETS) {
        return;
    }
    let section = by_region(
        sources,
        || SecretsManagerRegion {
            secrets: Fact::Known(Vec::new()),
        },
        |src, region| {
            let list: Vec<Secret> = src.of(SECRETS).map(|r| secret(src, r, out)).collect();
            if let Fact::Known(l) = &mut region.secrets {
                l.extend(list);
            }
        },
    );
    out.services.secretsmanager = Some(section);
}

/// The separate resource of `kinds` attached to `secret` through `path`.
fn attached<'a>(src: &'a Source, secret: &Res, kinds: &[&str], path: &str) -> Result<Option<&'a Res>, Unknown> {
    let mut open = None;
    let through = [SECRETS, &[ATTACHMENT]].concat();
    for r in src.of(kinds) {
        let target = match src.link(r, &[path], &through, |_| None) {
            Link::To(a) if a.kind == ATTACHMENT => src.link(a, &["SecretId"], SECRETS, |_| None),
            other => other,
        };
        match target {
            Link::To(s) if s.id == secret.id => return Ok(Some(r)),
            Link::Open(u) => open = Some(u),
            _ => {}
        }
    }
    open.map_or(Ok(None), Err)
}

/// Days from `rate(30 days)`; a cron schedule has no fixed interval.
fn rate_days(expr: &str) -> Option<i64> {
    let inner = expr.trim().strip_prefix("rate(")?.strip_suffix(')')?;
    let (n, unit) = inner.trim().split_once(' ')?;
    let n: i64 = n.parse().ok()?;
    match unit.trim() {
        "day" | "days" => Some(n),
        "hour" | "hours" => Some(n.div_euclid(24).max(1)),
        _ => None,
    }
}

fn secret(src: &Source, r: &Res, out: &mut Converted) -> Secret {
    let arn = src.arn(r);
    out.add(r, &arn);
    let cfn = src.is_cfn();
    let p = &r.props;
    let kn = if cfn { "KmsKeyId" } else { "kms_key_id" };
    let kms_key_id = out.or_open(r, &arn, &["secretsmanager.cmk_encryption"], p.get(kn).name(kn), None);
    let rotation = (|| -> Result<Option<(Option<i64>, bool)>, Unknown> {
        let Some(rot) = attached(src, r, ROTATIONS, if cfn { "SecretId" } else { "secret_id" })? else {
            return Ok(None);
        };
        let q = &rot.props;
        let rules = if cfn { q.get("RotationRules").clone() } else { q.get("rotation_rules").items("rotation_rules")?.first().map_or(Val::Null, |v| (*v).clone()) };
        let days = match rules.get(if cfn { "AutomaticallyAfterDays" } else { "automatically_after_days" }).int("RotationRules.AutomaticallyAfterDays")? {
            Some(d) => Some(d),
            None => rules
                .get(if cfn { "ScheduleExpression" } else { "schedule_expression" })
                .text("RotationRules.ScheduleExpression")?
                .and_then(|e| rate_days(&e)),
        };
        let now = q.get(if cfn { "RotateImmediatelyOnUpdate" } else { "rotate_immediately" }).boolean("RotateImmediatelyOnUpdate")?.unwrap_or(true);
        Ok(Some((days, now)))
    })();
    let (rotation_enabled, rotation_days, last_rotated) = match rotation {
        Ok(None) => (false, None, None),
        Ok(Some((days, now))) => (true, days, now.then_some(out.now)),
        Err(u) => {
            out.open(r, &arn, &["secretsmanager.rotation"], u);
            (false, None, None)
        }
    };
    let policy = match attached(src, r, POLICIES, if cfn { "SecretId" } else { "secret_arn" }) {
        Ok(Some(pol)) => {
            let k = if cfn { "ResourcePolicy" } else { "policy" };
            pol.props.get(k).json_text(k)
        }
        Ok(None) => Ok(None),
        Err(u) => Err(u),
    };
    let tags = out.or_open(r, &arn, &["*"], r.tags("Tags"), Default::default());
    Secret {
        arn,
        name: r.id.clone(),
        tags,
        kms_key_id,
        rotation_enabled,
        rotation_days,
        last_rotated,
        policy: policy.into(),
    }
}
