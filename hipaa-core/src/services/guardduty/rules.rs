//! Amazon GuardDuty rules: an enabled detector in every scanned region.

use crate::rules::{each_region, section, Context, Outcome, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![RuleFn {
        id: "guardduty.enabled",
        f: enabled,
    }]
}

fn enabled(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.guardduty, "GuardDuty", "logging"));
    each_region(ctx, regions, |r| {
        let detectors = r.get(|l| &l.detectors)?;
        if detectors.is_empty() {
            return Ok(Verdict::fail("GuardDuty has no detector in this region"));
        }
        let mut problems = Vec::new();
        let mut first_unknown = None;
        for d in detectors {
            match d.status.get() {
                Ok(s) if s.eq_ignore_ascii_case("ENABLED") => {
                    return Ok(Verdict::pass(format!(
                        "GuardDuty detector `{}` is enabled",
                        d.id
                    )))
                }
                Ok(s) => problems.push(format!("GuardDuty detector `{}` is {s}", d.id)),
                Err(u) => {
                    first_unknown.get_or_insert(u);
                }
            }
        }
        if let Some(u) = first_unknown {
            return Err(u);
        }
        Ok(Verdict::fail(problems.join("; ")))
    })
}

