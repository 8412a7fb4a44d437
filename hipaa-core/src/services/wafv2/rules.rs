//! AWS WAF (WAFv2) rules: every web ACL has rules (an empty ACL filters nothing) and sends its
//! logs somewhere. REGIONAL web ACLs are judged region by region, CLOUDFRONT ones once.

use super::evidence::WebAcl;
use crate::evidence::Unknown;
use crate::rules::{none_found, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "wafv2.web_acl_has_rules",
            f: web_acl_has_rules,
        },
        RuleFn {
            id: "wafv2.logging",
            f: logging,
        },
    ]
}

/// Judge every web ACL: REGIONAL ones per scanned region (a region whose listing failed is one
/// ERROR), then the CLOUDFRONT ones (one account-level ERROR when they could not be listed).
fn each_acl(
    ctx: &Context<'_>,
    judge: impl Fn(&WebAcl) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let waf = section!(ctx.global(&ctx.snapshot.services.wafv2, "WAF"));
    let outcome = |acl: &WebAcl, region: Option<&str>| {
        let phi = PhiMark::of(&ctx.scope.phi, &acl.tags);
        let mut res = Resource::regional(ctx, &acl.arn, &acl.name, "AwsWafv2WebAcl", region.unwrap_or(""), &phi);
        res.region = region.map(str::to_string);
        Outcome::from_result(res, phi, judge(acl))
    };
    let mut out = Vec::new();
    for region in ctx.snapshot.walk(&waf.regional, "WAF") {
        match region.get(|r| &r.web_acls) {
            Ok(list) => out.extend(list.iter().map(|acl| outcome(acl, Some(region.name)))),
            Err(u) => out.push(Outcome::error(ctx.region_resource(region.name), PhiMark::Account, u)),
        }
    }
    match waf.cloudfront.get() {
        Ok(list) => out.extend(list.iter().map(|acl| outcome(acl, None))),
        Err(u) => out.push(Outcome::error(ctx.account_resource(), PhiMark::Account, u)),
    }
    if out.is_empty() {
        return none_found(ctx, "WAF web ACLs");
    }
    out
}

fn web_acl_has_rules(ctx: &Context<'_>) -> Vec<Outcome> {
    each_acl(ctx, |acl| {
        let d = acl.definition.get()?;
        Ok(if d.rules.is_empty() {
            Verdict::fail(format!(
                "the web ACL has no rules: every request gets its default action ({})",
                d.default_action
            ))
        } else {
            let shown: Vec<String> = d.rules.iter().take(5).map(|r| format!("`{r}`")).collect();
            Verdict::pass(format!(
                "{} rule(s): {}{}",
                d.rules.len(),
                shown.join(", "),
                if d.rules.len() > 5 { ", …" } else { "" }
            ))
        })
    })
}

fn logging(ctx: &Context<'_>) -> Vec<Outcome> {
    each_acl(ctx, |acl| {
        Ok(match acl.logging.get()? {
            Some(dest) => Verdict::pass(format!("its logs go to `{dest}`")),
            None => Verdict::fail(
                "logging is off: blocked and allowed requests leave no record to investigate with",
            ),
        })
    })
}
