//! AWS Security Hub rules: the account is subscribed in every scanned region.

use crate::rules::{each_region, section, Context, Outcome, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![RuleFn {
        id: "securityhub.enabled",
        f: enabled,
    }]
}

fn enabled(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.securityhub, "Security Hub", "logging"));
    each_region(ctx, regions, |r| {
        Ok(match r.get(|l| &l.hub)? {
            Some(h) => Verdict::pass(format!("Security Hub is enabled (`{}`)", h.arn)),
            None => Verdict::fail("Security Hub is not enabled in this region"),
        })
    })
}

