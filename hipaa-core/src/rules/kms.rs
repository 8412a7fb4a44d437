//! KMS rules: rotation, usable state and key-policy exposure of customer-managed keys.

use super::{none_found, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};
use crate::evidence::governance::arn_account;
use crate::evidence::kms::{KeyManager, KeyMetadata, KmsKey};
use crate::evidence::{Fact, Unknown, UnknownReason};
use crate::policy::PolicyDocument;

pub(super) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "kms.key_rotation",
            f: key_rotation,
        },
        RuleFn {
            id: "kms.key_usable",
            f: key_usable,
        },
        RuleFn {
            id: "kms.key_policy_not_public",
            f: key_policy_not_public,
        },
        RuleFn {
            id: "kms.key_policy_no_wildcard_grant",
            f: key_policy_no_wildcard_grant,
        },
    ]
}

fn key_resource(ctx: &Context<'_>, k: &KmsKey) -> (Resource, PhiMark) {
    let phi = PhiMark::of(&ctx.scope.phi, &k.tags);
    let res = Resource {
        arn: k.arn.clone(),
        id: k.id.clone(),
        kind: "AwsKmsKey".into(),
        account: arn_account(&k.arn).map_or_else(|| ctx.account_id(), str::to_string),
        region: Some(k.region.clone()),
        name: Some(k.display_name()),
        phi: phi.flag(),
    };
    (res, phi)
}

/// Apply `judge` to every customer-managed key; AWS-managed keys are AWS's to run.
fn each_customer_key(
    ctx: &Context<'_>,
    judge: impl Fn(&KmsKey, &KeyMetadata) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let mut out = Vec::new();
    let mut seen_any = false;
    // A requested region with no KMS evidence (not enabled, or never collected) hides its keys.
    for name in &ctx.snapshot.regions {
        if !ctx.snapshot.kms.regions.iter().any(|r| &r.region == name) {
            let u = ctx.snapshot.missing_region(name, "KMS");
            out.push(Outcome::error(
                ctx.region_resource(name),
                PhiMark::Account,
                u,
            ));
        }
    }
    for region in &ctx.snapshot.kms.regions {
        let keys = match &region.keys {
            Fact::Known(k) => k,
            Fact::Unknown(u) => {
                let mut res = ctx.account_resource();
                res.region = Some(region.region.clone());
                out.push(Outcome::error(res, PhiMark::Account, u.clone()));
                continue;
            }
        };
        for k in keys {
            let (res, phi) = key_resource(ctx, k);
            let meta = match k.metadata.get() {
                Ok(m) => m,
                Err(u) => {
                    // Cannot even tell whether the key is customer-managed.
                    seen_any = true;
                    out.push(Outcome::error(res, phi, u));
                    continue;
                }
            };
            if meta.manager != KeyManager::Customer {
                continue;
            }
            seen_any = true;
            out.push(Outcome::from_result(res, phi, judge(k, meta)));
        }
    }
    if out.is_empty() && !seen_any {
        return none_found(ctx, "customer-managed KMS keys");
    }
    out
}

fn parse_key_policy(k: &KmsKey) -> Result<PolicyDocument, Unknown> {
    PolicyDocument::parse(k.policy.get()?)
        .map_err(|e| Unknown::new(UnknownReason::ParseError, "kms:GetKeyPolicy", e.to_string()))
}

fn key_rotation(ctx: &Context<'_>) -> Vec<Outcome> {
    each_customer_key(ctx, |k, meta| {
        if meta.state != "Enabled" {
            return Ok(Verdict::not_applicable(format!(
                "the key is {}; kms.key_usable reports its state",
                meta.state
            )));
        }
        if meta.spec != "SYMMETRIC_DEFAULT" || meta.origin != "AWS_KMS" {
            return Ok(Verdict::not_applicable(format!(
                "automatic rotation is not available for {} keys with origin {}",
                meta.spec, meta.origin
            )));
        }
        Ok(match k.rotation_enabled.get()? {
            Some(true) => Verdict::pass("automatic rotation is enabled"),
            Some(false) => Verdict::fail("automatic rotation is disabled"),
            None => Verdict::not_applicable("automatic rotation does not apply to this key"),
        })
    })
}

fn key_usable(ctx: &Context<'_>) -> Vec<Outcome> {
    each_customer_key(ctx, |_, meta| {
        Ok(match meta.state.as_str() {
            "Enabled" | "Creating" | "Updating" => {
                Verdict::pass(format!("the key is {}", meta.state))
            }
            "PendingDeletion" | "PendingReplicaDeletion" => {
                Verdict::fail(match meta.deletion_date {
                    Some(d) => format!(
                        "the key is scheduled for deletion on {}",
                        d.format("%Y-%m-%d")
                    ),
                    None => "the key is scheduled for deletion".into(),
                })
            }
            other => Verdict::fail(format!(
                "the key is {other}: data encrypted under it cannot be decrypted"
            )),
        })
    })
}

fn key_policy_not_public(ctx: &Context<'_>) -> Vec<Outcome> {
    each_customer_key(ctx, |k, _| {
        let doc = parse_key_policy(k)?;
        let public = doc.public_statements();
        Ok(if public.is_empty() {
            Verdict::pass("no key policy statement grants access to an unrestricted principal")
        } else {
            let what: Vec<String> = public
                .iter()
                .map(|g| format!("{} ({})", g.statement, g.actions.join(", ")))
                .collect();
            Verdict::fail(format!(
                "the key policy lets anyone use the key in statement {}",
                what.join("; ")
            ))
        })
    })
}

fn key_policy_no_wildcard_grant(ctx: &Context<'_>) -> Vec<Outcome> {
    each_customer_key(ctx, |k, _| {
        let doc = parse_key_policy(k)?;
        let account = arn_account(&k.arn).map_or_else(|| ctx.account_id(), str::to_string);
        let grantees = doc.kms_wildcard_grantees(&account);
        Ok(if grantees.is_empty() {
            Verdict::pass("kms:* is granted to the account root only")
        } else {
            Verdict::fail(format!("kms:* is granted to {}", grantees.join(", ")))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use crate::evidence::kms::KeyManager;
    use crate::evidence::Fact;
    use crate::vocabulary::Status::*;

    fn with_meta(
        f: impl FnOnce(&mut crate::evidence::kms::KeyMetadata),
    ) -> crate::evidence::kms::KmsKey {
        let mut k = key("k1");
        if let Fact::Known(m) = &mut k.metadata {
            f(m);
        }
        k
    }

    #[test]
    fn rotation() {
        let mut k = key("k1");
        assert_eq!(run_key("kms.key_rotation", &k), Pass);
        k.rotation_enabled = Fact::Known(Some(false));
        assert_eq!(run_key("kms.key_rotation", &k), Fail);
        k.rotation_enabled = denied("kms:GetKeyRotationStatus");
        assert_eq!(run_key("kms.key_rotation", &k), Error);
        let k = with_meta(|m| m.spec = "RSA_2048".into());
        assert_eq!(run_key("kms.key_rotation", &k), NotApplicable);
        let mut k = with_meta(|m| m.state = "Disabled".into());
        k.rotation_enabled = denied("kms:GetKeyRotationStatus");
        assert_eq!(run_key("kms.key_rotation", &k), NotApplicable);
    }

    #[test]
    fn usable() {
        assert_eq!(run_key("kms.key_usable", &key("k1")), Pass);
        assert_eq!(
            run_key(
                "kms.key_usable",
                &with_meta(|m| m.state = "PendingDeletion".into())
            ),
            Fail
        );
        assert_eq!(
            run_key(
                "kms.key_usable",
                &with_meta(|m| m.state = "Disabled".into())
            ),
            Fail
        );
        let mut k = key("k1");
        k.metadata = denied("kms:DescribeKey");
        assert_eq!(run_key("kms.key_usable", &k), Error);
    }

    #[test]
    fn aws_managed_keys_are_skipped() {
        let k = with_meta(|m| m.manager = KeyManager::Aws);
        let mut s = snapshot_with(vec![]);
        s.kms.regions[0].keys = Fact::Known(vec![k]);
        assert_eq!(statuses(&s, "kms.key_usable"), vec![NotApplicable]);
    }

    #[test]
    fn policy_not_public() {
        let mut k = key("k1");
        assert_eq!(run_key("kms.key_policy_not_public", &k), Pass);
        k.policy = Fact::Known(r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*"}]}"#.into());
        assert_eq!(run_key("kms.key_policy_not_public", &k), Fail);
        k.policy = Fact::Known("[]".into());
        assert_eq!(run_key("kms.key_policy_not_public", &k), Error);
        k.policy = denied("kms:GetKeyPolicy");
        assert_eq!(run_key("kms.key_policy_not_public", &k), Error);
    }

    #[test]
    fn policy_no_wildcard_grant() {
        let mut k = key("k1");
        assert_eq!(run_key("kms.key_policy_no_wildcard_grant", &k), Pass);
        k.policy = Fact::Known(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ops"},"Action":"kms:*","Resource":"*"}]}"#.into(),
        );
        assert_eq!(run_key("kms.key_policy_no_wildcard_grant", &k), Fail);
        k.policy = denied("kms:GetKeyPolicy");
        assert_eq!(run_key("kms.key_policy_no_wildcard_grant", &k), Error);
    }

    #[test]
    fn region_listing_failure_is_error() {
        let mut s = snapshot_with(vec![]);
        s.kms.regions[0].keys = denied("kms:ListKeys");
        assert_eq!(statuses(&s, "kms.key_rotation"), vec![Error]);
    }
}
