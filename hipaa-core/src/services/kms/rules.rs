//! KMS rules: rotation, usable state and key-policy exposure of customer-managed keys.

use super::evidence::{KeyManager, KeyMetadata, KmsKey};
use crate::aws::arn;
use crate::aws::policy::{PolicyDocument, KMS_USE_ACTIONS};
use crate::evidence::{Unknown, UnknownReason};
use crate::rules::{none_found, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
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
        RuleFn {
            id: "kms.no_unconditioned_cross_account",
            f: no_unconditioned_cross_account,
        },
    ]
}

fn key_resource(ctx: &Context<'_>, k: &KmsKey) -> (Resource, PhiMark) {
    let phi = PhiMark::of(&ctx.scope.phi, &k.tags);
    let res = Resource {
        arn: k.arn.clone(),
        id: k.id.clone(),
        kind: "AwsKmsKey".into(),
        account: arn::account(&k.arn).map_or_else(|| ctx.account_id(), str::to_string),
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
    let regions = section!(ctx.regions(&ctx.snapshot.services.kms, "KMS", "KMS"));
    let mut out = Vec::new();
    let mut seen_any = false;
    for region in &regions {
        // A requested region with no KMS evidence (not enabled, or never collected) hides its
        // keys; a failed listing too.
        let keys = match &region.data {
            Err(u) => {
                out.push(Outcome::error(
                    ctx.region_resource(region.name),
                    PhiMark::Account,
                    u.clone(),
                ));
                continue;
            }
            Ok(r) => match r.keys.get() {
                Ok(k) => k,
                Err(u) => {
                    let mut res = ctx.account_resource();
                    res.region = Some(region.name.to_string());
                    out.push(Outcome::error(res, PhiMark::Account, u));
                    continue;
                }
            },
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
        let account = arn::account(&k.arn).map_or_else(|| ctx.account_id(), str::to_string);
        let grantees = doc.kms_wildcard_grantees(&account);
        Ok(if grantees.is_empty() {
            Verdict::pass("kms:* is granted to the account root only")
        } else {
            Verdict::fail(format!("kms:* is granted to {}", grantees.join(", ")))
        })
    })
}

fn no_unconditioned_cross_account(ctx: &Context<'_>) -> Vec<Outcome> {
    each_customer_key(ctx, |k, _| {
        let doc = parse_key_policy(k)?;
        let account = arn::account(&k.arn).map_or_else(|| ctx.account_id(), str::to_string);
        let grants = doc.cross_account_grants(&account, &KMS_USE_ACTIONS);
        Ok(if grants.is_empty() {
            Verdict::pass("no statement lets another account use the key without a restricting condition")
        } else {
            let what: Vec<String> = grants
                .iter()
                .map(|g| {
                    let who: Vec<String> = g
                        .accounts
                        .iter()
                        .map(|a| if a == "*" { "any account".to_string() } else { format!("`{a}`") })
                        .collect();
                    format!("{} to {}", g.statement, who.join(", "))
                })
                .collect();
            Verdict::fail(format!(
                "the key policy lets other accounts use the key with no condition restricting the caller: {}",
                what.join("; ")
            ))
        })
    })
}

/// The scanned KMS key an ARN (key or alias) names, or why it cannot be judged; `op` names the
/// read that gave the reference, for a reference that is not a key ARN.
/// How messages name a key: its alias when the scan listed it, else the key as given.
pub(crate) fn key_label(ctx: &Context<'_>, key: &str) -> String {
    find_key(ctx, key, "kms:DescribeKey").map_or_else(|_| key.to_string(), |k| k.display_name())
}

pub(crate) fn find_key<'a>(ctx: &Context<'a>, key: &str, op: &str) -> Result<&'a KmsKey, Unknown> {
    let not_scanned =
        |why: String| Unknown::new(UnknownReason::NotCollected, "kms:DescribeKey", why);
    let (Some(region), Some(res)) = (arn::region(key), arn::resource(key)) else {
        return Err(Unknown::new(
            UnknownReason::ParseError,
            op,
            format!("`{key}` is not a KMS key ARN"),
        ));
    };
    let Some(kms) = ctx
        .snapshot
        .services
        .kms
        .as_ref()
        .and_then(|k| k.get(region))
    else {
        return Err(not_scanned(format!(
            "KMS keys in {region} were not scanned, so key `{key}` cannot be checked"
        )));
    };
    let keys = kms.keys.get()?;
    let account = arn::account(key);
    let found = keys.iter().find(|k| {
        k.arn == key
            || (account.is_some()
                && account == arn::account(&k.arn)
                && (res.strip_prefix("key/") == Some(k.id.as_str())
                    || (res.starts_with("alias/")
                        && k.aliases
                            .known()
                            .is_some_and(|a| a.iter().any(|x| x == res)))))
    });
    match found {
        Some(k) => Ok(k),
        None => Err(not_scanned(match account {
            Some(a) if a != ctx.account_id() => {
                format!("key `{key}` belongs to account {a}, which this scan did not read")
            }
            _ => format!("key `{key}` is not among the scanned KMS keys of {region}"),
        })),
    }
}
