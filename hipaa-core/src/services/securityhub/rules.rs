//! AWS Security Hub rules: the account is subscribed in every scanned region.

use crate::rules::{each_region, section, Context, Outcome, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "securityhub.enabled",
            f: enabled,
        },
        RuleFn {
            id: "securityhub.standards_enabled",
            f: standards_enabled,
        },
    ]
}

fn standards_enabled(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.securityhub, "Security Hub", "logging"));
    each_region(ctx, regions, |r| {
        if r.get(|l| &l.hub)?.is_none() {
            return Ok(Verdict::fail(
                "Security Hub is not enabled in this region, so no standard is checked",
            ));
        }
        let standards = r.get(|l| &l.standards)?;
        let ready: Vec<String> = standards
            .iter()
            .filter(|s| s.status.eq_ignore_ascii_case("READY"))
            .map(|s| format!("`{}`", s.name()))
            .collect();
        if !ready.is_empty() {
            return Ok(Verdict::pass(format!("enabled: {}", ready.join(", "))));
        }
        Ok(if standards.is_empty() {
            Verdict::fail("Security Hub is enabled but checks no standard")
        } else {
            let others: Vec<String> = standards
                .iter()
                .map(|s| format!("`{}` is {}", s.name(), s.status))
                .collect();
            Verdict::fail(format!("no standard is ready: {}", others.join(", ")))
        })
    })
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

