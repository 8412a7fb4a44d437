//! Amazon GuardDuty rules: an enabled detector in every scanned region.

use crate::rules::{each_region, section, Context, Outcome, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "guardduty.enabled",
            f: enabled,
        },
        RuleFn {
            id: "guardduty.protection_plans",
            f: protection_plans,
        },
    ]
}

/// The protection plans every detector needs: a name for messages and the feature that is it.
const PLANS: [(&str, &str); 5] = [
    ("S3", "S3_DATA_EVENTS"),
    ("EKS", "EKS_AUDIT_LOGS"),
    ("RDS", "RDS_LOGIN_EVENTS"),
    ("Malware", "EBS_MALWARE_PROTECTION"),
    ("Runtime", "RUNTIME_MONITORING"),
];

fn protection_plans(ctx: &Context<'_>) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.guardduty, "GuardDuty", "logging"));
    each_region(ctx, regions, |r| {
        let detectors = r.get(|l| &l.detectors)?;
        if detectors.is_empty() {
            return Ok(Verdict::fail(
                "GuardDuty has no detector in this region, so no protection plan is on",
            ));
        }
        let mut problems = Vec::new();
        for d in detectors {
            if !d.status.get()?.eq_ignore_ascii_case("ENABLED") {
                problems.push(format!("detector `{}` is disabled", d.id));
                continue;
            }
            let features = d.features.get()?;
            let off: Vec<String> = PLANS
                .iter()
                .filter_map(|(plan, feature)| {
                    match features.iter().find(|f| f.name.eq_ignore_ascii_case(feature)) {
                        Some(f) if f.status.eq_ignore_ascii_case("ENABLED") => None,
                        Some(_) => Some((*plan).to_string()),
                        None => Some(format!("{plan} (not reported)")),
                    }
                })
                .collect();
            if !off.is_empty() {
                problems.push(format!("detector `{}` has {} off", d.id, off.join(", ")));
            }
        }
        Ok(if problems.is_empty() {
            Verdict::pass("S3, EKS, RDS, Malware and Runtime protection are on")
        } else {
            Verdict::fail(problems.join("; "))
        })
    })
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

